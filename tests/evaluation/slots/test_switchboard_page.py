"""The switchboard page (/admin/switchboard/): each slot's model and probe age, the inference
engine's state, and who may see it and change things on it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation.models import ModelProbe, Slot, SlotChange, Tier
from tests.evaluation.slots.switchboard import BOARD_URL, CATALOG_URL


@pytest.mark.django_db
def test_it_shows_each_slots_model_and_probe_age(operator_client, rules_only_catalog, challenger):
    rules_only_catalog["fast"].model = challenger
    rules_only_catalog["fast"].save()
    probe = ModelProbe.objects.create(model=challenger, slot_name="fast", ok=True, latency_ms=3.0)
    ModelProbe.objects.filter(pk=probe.pk).update(created_at=timezone.now() - timedelta(seconds=42))

    response = operator_client.get(BOARD_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "fast — builtin/rules-challenger" in html
    assert "accurate — builtin/rules" in html
    assert "42 s ago" in html
    assert "no probe yet" in html  # builtin/rules has never been probed


@pytest.mark.llm
@pytest.mark.django_db
@pytest.mark.parametrize("url", [BOARD_URL, CATALOG_URL])
def test_it_shows_a_running_engine_with_its_model_and_slots(operator_client, rules_only_catalog, engine, url):
    response = operator_client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Inference engine" in html
    assert "<strong>up</strong>" in html
    assert "<code>gemma-3-270m-q4_k_m.gguf</code>" in html
    assert "0 of 4" in html  # slots busy


@pytest.mark.django_db
@pytest.mark.parametrize("url", [BOARD_URL, CATALOG_URL])
def test_it_shows_a_down_engine_with_what_it_means(operator_client, rules_only_catalog, settings, url):
    settings.ENGINE_URL = "http://127.0.0.1:9"

    html = operator_client.get(url).content.decode()

    assert "<strong>down</strong>" in html
    assert "fall back to the rules engine" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), [("get", ""), ("post", "slots/fast/rollback/")])
def test_it_sends_an_anonymous_visitor_to_the_login_page(client, rules_only_catalog, method, path):
    response = getattr(client, method)(BOARD_URL + path)

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"


POSTS = [
    ("slots/fast/switch/", {"model": "builtin/rules-challenger", "reason": "try it", "confirm": "yes"}),
    ("slots/fast/switch/", {"model": "builtin/rules-challenger", "reason": "try it"}),  # the preview
    ("slots/fast/rollback/", {"reason": "rollback"}),
    ("tiers/{tier}/apply/", {"reason": "cheaper"}),
    ("slots/accurate/canary/start/", {"challenger": "builtin/rules-challenger", "share": "10", "reason": "try it"}),
    ("slots/fast/canary/promote/", {"reason": "looks good"}),
    ("slots/fast/canary/abort/", {"reason": "looks bad"}),
]


@pytest.fixture
def tier(challenger) -> Tier:
    return Tier.objects.create(name="cost", assignments={"fast": challenger.key, "accurate": challenger.key})


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "data"), POSTS)
def test_it_lets_product_staff_look_but_not_change(staff_client, rules_only_catalog, challenger, tier, path, data):
    Slot.objects.filter(name="fast").update(challenger=challenger, challenger_share=20)
    before = list(Slot.objects.values_list("name", "model_id", "challenger_id", "challenger_share"))

    assert staff_client.get(BOARD_URL).status_code == 200
    response = staff_client.post(BOARD_URL + path.format(tier=tier.pk), data)

    assert response.status_code == 403
    assert list(Slot.objects.values_list("name", "model_id", "challenger_id", "challenger_share")) == before
    assert not SlotChange.objects.exists()
