"""MODEL_TIER (issue 16): the tier whose models the slots start on when a database is first
seeded. A value that names no tier warns and seeds balanced; a tier's model that cannot serve
here (disabled, or no secret in the environment) warns and leaves its slot on the embedded default;
a seeded database is never re-pointed."""

import logging

import pytest

from evaluation.models import AIModel, Provider, Slot, SlotChange

SPEED = {"fast": "workers-ai/llama-3.1-8b-instruct-fast", "accurate": "council/speed"}


def slots() -> dict[str, str]:
    return dict(Slot.objects.values_list("name", "model__key"))


@pytest.mark.django_db
def test_the_cost_tier_starts_the_slots_on_this_machines_models(seed_demo, settings, caplog):
    settings.MODEL_TIER = "cost"

    seed_demo()

    assert slots() == {"fast": "local/gemma-3-270m", "accurate": "builtin/rules", "exact": "builtin/rules"}
    assert set(SlotChange.objects.values_list("reason", flat=True)) == {"initial seed (MODEL_TIER cost)"}
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.name == "evaluation.seeds.slots"]


@pytest.mark.django_db
def test_a_tier_model_that_cannot_serve_here_leaves_its_slot_on_the_default_and_says_why(seed_demo, settings, caplog):
    settings.MODEL_TIER = "balanced"  # accurate on a council of hosted models, disabled in the seeds

    seed_demo()

    assert slots() == {"fast": "local/gemma-3-270m", "accurate": "builtin/rules", "exact": "builtin/rules"}
    warned = [r.getMessage() for r in caplog.records if r.name == "evaluation.seeds.slots"]
    assert warned == ["the balanced tier puts council/balanced in the accurate slot, which "
                      "cannot serve here (disabled, or its provider's secret is not set): the slot starts on builtin/rules"]


@pytest.mark.django_db
def test_a_value_that_names_no_tier_warns_and_seeds_balanced(seed_demo, settings, caplog):
    settings.MODEL_TIER = "fastest"

    seed_demo()

    assert "MODEL_TIER='fastest' is not a tier (speed, balanced, cost): seeding the balanced tier" in caplog.text
    assert set(SlotChange.objects.values_list("reason", flat=True)) == {"initial seed (MODEL_TIER balanced)"}


@pytest.mark.django_db
def test_the_speed_tier_puts_the_hosted_models_in_the_slots_when_they_can_serve(seed_demo, settings, monkeypatch):
    settings.MODEL_TIER = "speed"
    seed_demo()  # the catalog, with the hosted models disabled: the slots start on the defaults
    assert slots()["fast"] == "local/gemma-3-270m"
    Slot.objects.all().delete()
    # The council and its members, all on Workers AI.
    AIModel.objects.filter(provider__name__in=["workers-ai", "Councils"]).update(status=AIModel.Status.ENABLED)
    Provider.objects.filter(name="workers-ai").update(enabled=True)
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "test-token")

    seed_demo()

    assert slots() == {**SPEED, "exact": "builtin/rules"}


@pytest.mark.django_db
def test_a_seeded_database_is_never_re_pointed_by_another_tier(seed_demo, settings):
    settings.MODEL_TIER = "cost"
    seed_demo()
    settings.MODEL_TIER = "fastest"

    seed_demo()

    assert slots()["fast"] == "local/gemma-3-270m"
    assert SlotChange.objects.count() == 3
