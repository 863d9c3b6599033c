"""The route, the active plans and the API keys each process keeps in memory (energy.local_copies):
requests between two checks read no rows, and a change reaches every process within
LOCAL_COPY_RECHECK_S: a switch, a plan edit, a revoked key, a deactivated user, whether this
process or another made it. The in-process suite runs with the copies off (tests/settings.py);
these tests turn them on."""

import os
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from energy import local_copies
from energy.models import ApiKey
from energy.offers import ACTIVE_PLANS
from evaluation.catalog.routes import active_route
from tests.conftest import BASE_DIR, database_env

RECHECK_S = 0.25
PLANS = "/api/v1/plans"


@pytest.fixture(autouse=True)
def copies_on(settings):
    settings.LOCAL_COPY_RECHECK_S = RECHECK_S
    local_copies.forget_all()
    yield
    local_copies.forget_all()


def queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def in_another_process(code: str) -> None:
    """Run Django code in a process of its own on the test database, as another worker would."""
    script = f"import django; django.setup()\n{code}"
    done = subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, env={**os.environ, **database_env()},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


@pytest.mark.django_db
def test_requests_between_checks_read_no_rows(plans, rules_only_catalog):
    assert queries(ACTIVE_PLANS.get) > 0
    assert queries(lambda: active_route("fast")) > 0

    assert queries(ACTIVE_PLANS.get) == 0
    assert queries(lambda: active_route("fast")) == 0


@pytest.mark.django_db
def test_a_change_in_this_process_applies_to_the_next_request(plans, rules_only_catalog, rules_a):
    assert len(ACTIVE_PLANS.get()) == 5
    assert active_route("fast").chains["narrative"][0].key == "builtin/rules"

    plans["green"].active = False
    plans["green"].save()
    rules_only_catalog["fast"].model = rules_a
    rules_only_catalog["fast"].save()

    assert plans["green"].pk not in [plan.pk for plan in ACTIVE_PLANS.get()]
    assert active_route("fast").chains["narrative"][0].key == "test/rules-a"


@pytest.mark.django_db(transaction=True)
def test_a_switch_and_a_plan_edit_in_another_process_apply_within_the_recheck(plans, rules_only_catalog, rules_a):
    assert active_route("fast").chains["narrative"][0].key == "builtin/rules"
    assert len(ACTIVE_PLANS.get()) == 5

    in_another_process(
        "from evaluation.models import AIModel, Slot\nfrom energy.models import Plan\n"
        "slot = Slot.objects.get(name='fast'); slot.model = AIModel.objects.get(key='test/rules-a'); slot.save()\n"
        f"plan = Plan.objects.get(pk={plans['green'].pk}); plan.active = False; plan.save()\n"
    )
    changed_at = time.monotonic()
    while active_route("fast").chains["narrative"][0].key != "test/rules-a":
        assert time.monotonic() - changed_at < 1, "the switch did not reach this process within 1 s"
        time.sleep(0.01)
    seen_after_s = time.monotonic() - changed_at

    assert seen_after_s <= RECHECK_S + 0.1
    assert len(ACTIVE_PLANS.get()) == 4


@pytest.mark.django_db(transaction=True)
def test_a_key_revoked_or_its_user_deactivated_in_another_process_stops_working(client, operator):
    key, raw = ApiKey.generate("ops", user=operator)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get(PLANS, headers=headers).status_code == 200

    in_another_process(f"from energy.models import ApiKey\nk = ApiKey.objects.get(pk={key.pk}); k.active = False; k.save()")
    time.sleep(RECHECK_S + 0.05)
    assert client.get(PLANS, headers=headers).status_code == 401

    ApiKey.objects.filter(pk=key.pk).update(active=True)  # around the product: no signal, the copy keeps its view
    assert client.get(PLANS, headers=headers).status_code == 401
    local_copies.changed("api-keys")
    assert client.get(PLANS, headers=headers).status_code == 200

    in_another_process(f"from django.contrib.auth.models import User\nUser.objects.filter(pk={operator.pk}).update("
                       "is_active=False)\nfrom energy import local_copies\nlocal_copies.changed('api-keys')")
    time.sleep(RECHECK_S + 0.05)
    assert client.get(PLANS, headers=headers).status_code == 401


@pytest.mark.django_db
def test_a_deactivated_users_key_is_refused_at_once(client, operator):
    _, raw = ApiKey.generate("ops", user=operator)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get(PLANS, headers=headers).status_code == 200

    operator.is_active = False
    operator.save()

    assert client.get(PLANS, headers=headers).status_code == 401


def test_a_derived_value_is_computed_once_per_copy_and_again_after_a_reload():
    computed = []
    derived = local_copies.Derived(lambda plans: computed.append(plans) or len(plans))
    first, equal_but_reloaded = ("a", "b"), tuple(["a", "b"])

    assert derived(first) == 2
    assert derived(first) == 2
    assert derived(equal_but_reloaded) == 2

    assert len(computed) == 2  # once per object: the reload is a new tuple, even if equal
    assert computed[1] is equal_but_reloaded
