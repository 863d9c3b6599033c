"""API keys act only as their owner, only for what they were made for, and only while valid:
scopes are checked beside the user's permissions, an expired key or an inactive user's key is
refused, only a superuser binds a key to another user, and a new key is shown once, on a page,
never in a cookie."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from energy.models import ApiKey, hash_api_key
from evaluation.models import Slot, SlotChange

pytestmark = pytest.mark.django_db

SWITCH = {"model": "builtin/rules-spare", "reason": "try"}


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def put_fast(client, raw: str):
    return client.put("/api/v1/slots/fast", SWITCH, content_type="application/json", headers=bearer(raw))


def test_a_key_without_the_switch_scope_may_not_switch_even_for_an_operator(client, operator, rules_only_catalog,
                                                                             spare_rules_model):
    _, recommend_and_read = ApiKey.generate("app", user=operator, scopes=("recommend", "read"))
    _, switcher = ApiKey.generate("ops", user=operator, scopes=("switch",))

    refused = put_fast(client, recommend_and_read)
    assert refused.status_code == 403
    assert "does not have the 'switch' scope" in refused.json()["detail"]
    assert not SlotChange.objects.exists()

    switched = put_fast(client, switcher)
    assert switched.status_code == 200, switched.content
    assert Slot.objects.get(name="fast").model.key == "builtin/rules-spare"


def test_a_scope_does_not_give_a_permission_the_user_lacks(client, staff, rules_only_catalog, spare_rules_model):
    _, raw = ApiKey.generate("staff's", user=staff, scopes=("switch",))

    response = put_fast(client, raw)

    assert response.status_code == 403
    assert "evaluation.switch_slot" in response.json()["detail"]


@pytest.mark.parametrize(("scopes", "method", "path", "allowed"), [
    (("read",), "get", "/api/v1/plans", True),
    (("recommend",), "get", "/api/v1/plans", False),
    (("read",), "post", "/api/v1/recommendations", False),
    (("read",), "get", "/api/v1/ratings/next", False),
])
def test_each_operation_needs_its_scope(client, operator, rules_only_catalog, scopes, method, path, allowed):
    _, raw = ApiKey.generate("scoped", user=operator, scopes=scopes)

    response = getattr(client, method)(path, content_type="application/json", headers=bearer(raw))

    assert (response.status_code != 403) is allowed, response.content


def test_an_expired_key_is_refused(client):
    _, expired = ApiKey.generate("old", expires_at=timezone.now() - timedelta(seconds=1))
    _, valid = ApiKey.generate("new", expires_at=timezone.now() + timedelta(days=1))

    assert client.get("/api/v1/plans", headers=bearer(expired)).status_code == 401
    assert client.get("/api/v1/plans", headers=bearer(valid)).status_code == 200


def test_an_inactive_users_key_is_refused(client, operator):
    _, raw = ApiKey.generate("ops", user=operator)
    assert client.get("/api/v1/plans", headers=bearer(raw)).status_code == 200

    operator.is_active = False
    operator.save()

    assert client.get("/api/v1/plans", headers=bearer(raw)).status_code == 401


def admin_login(client, user) -> None:
    user.is_staff = True  # the admin is for staff, as the seeded operator is
    user.save()
    client.force_login(user)


def add_key_form(**fields) -> dict:
    return {"name": "laptop", "scopes": ["recommend", "read"], "expires_at_0": "", "expires_at_1": "", "active": "on",
            **fields}


def test_an_operator_makes_keys_for_themselves_only(client, operator, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "a long passphrase 7")
    ApiKey.generate("root's", user=root)
    admin_login(client, operator)

    page = client.post("/admin/energy/apikey/add/", add_key_form(user=root.pk))
    listing = client.get("/admin/energy/apikey/")

    made = ApiKey.objects.get(name="laptop")
    assert page.status_code == 200
    assert made.user == operator  # not root: the field is not theirs to set
    assert "laptop" in listing.content.decode()
    assert "root&#x27;s" not in listing.content.decode()  # another user's key is not listed


def test_a_superuser_may_bind_a_key_to_another_user(client, operator, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "a long passphrase 7")
    client.force_login(root)

    client.post("/admin/energy/apikey/add/", add_key_form(user=operator.pk, scopes=["switch"]))

    made = ApiKey.objects.get(name="laptop")
    assert (made.user, made.scopes) == (operator, "switch")


def test_a_key_without_a_user_may_not_have_the_user_scopes(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "a long passphrase 7")
    client.force_login(root)

    page = client.post("/admin/energy/apikey/add/", add_key_form(user="", scopes=["recommend", "switch"]))

    assert page.status_code == 200
    assert "a key without a user can only have the recommend and read scopes" in page.content.decode()
    assert not ApiKey.objects.filter(name="laptop").exists()


def test_a_new_key_is_shown_once_on_a_page_and_never_in_a_cookie(client, operator):
    admin_login(client, operator)

    page = client.post("/admin/energy/apikey/add/", add_key_form())

    raw = re.search(r'value="(eg_[^"]+)"', page.content.decode()).group(1)
    assert "no-store" in page["Cache-Control"]
    assert "messages" not in page.cookies
    assert all(raw not in morsel.value for morsel in client.cookies.values())
    assert ApiKey.objects.get(name="laptop").key_hash == hash_api_key(raw)
    assert raw not in client.get("/admin/energy/apikey/").content.decode()
    assert client.get("/api/v1/plans", headers=bearer(raw)).status_code == 200


def test_the_command_makes_scoped_expiring_keys_and_refuses_unknown_scopes(operator):
    out = StringIO()
    call_command("create_api_key", "ci", "--user", "operator", "--scopes", "read,switch", "--expires-in-days", "7",
                 stdout=out)

    key = ApiKey.objects.get(key_hash=hash_api_key(out.getvalue().splitlines()[-1]))
    assert key.scopes == "read switch"
    assert timedelta(days=6.9) < key.expires_at - timezone.now() <= timedelta(days=7)
    with pytest.raises(CommandError, match="--scopes: admin"):
        call_command("create_api_key", "ci", "--scopes", "admin", stdout=StringIO())
    with pytest.raises(CommandError, match="without --user"):
        call_command("create_api_key", "ci", "--scopes", "switch", stdout=StringIO())
