"""seed_demo's catalog: providers and models, the routing policy and tiers, the slots; run twice, it changes nothing."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from energy.models import ApiKey, Plan
from evaluation.catalog.routes import active_route, get_model
from evaluation.models import AIModel, Provider, RoutingPolicy, Slot, SlotChange, Tier


@pytest.mark.django_db
def test_it_seeds_the_catalog_so_aliases_and_routes_resolve(seed_demo):
    seed_demo()

    gemma = get_model("gemma-3-270m")
    assert gemma.key == "local/gemma-3-270m"
    assert (gemma.provider.kind, gemma.prompt_style, gemma.quantization) == ("llama_cpp", "completion", "Q4_K_M")
    assert gemma.stage_settings["plan_scoring"] == {"max_tokens": 16, "temperature": 0.0, "stop": ["\n"]}
    assert get_model("rules").key == "builtin/rules"
    llama = get_model("workers-ai/llama-3.3-70b-instruct-fp8-fast")
    assert (llama.price_input_per_mtok, llama.price_output_per_mtok) == (Decimal("0.293"), Decimal("2.253"))
    assert [ref.key for ref in active_route("fast").chain("narrative")] == ["local/gemma-3-270m", "builtin/rules"]


@pytest.mark.django_db
def test_it_enables_remote_models_whose_secret_is_set_and_never_flips_them_later(seed_demo, monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-test")
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    monkeypatch.setenv("CLOUDFLARE_ACCOUNT_ID", "0123abcd")
    seed_demo()
    monkeypatch.delenv("OPENROUTER_API_KEY")

    seed_demo()

    assert set(AIModel.objects.filter(provider__name="openrouter").values_list("status", flat=True)) == {"enabled"}
    assert set(AIModel.objects.filter(provider__name="workers-ai").values_list("status", flat=True)) == {"disabled"}
    assert Provider.objects.get(name="workers-ai").account_id == "0123abcd"


@pytest.mark.django_db
def test_it_disables_remote_models_whose_secret_is_missing(seed_demo, monkeypatch):
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN", raising=False)
    monkeypatch.delenv("OPENROUTER_API_KEY", raising=False)

    seed_demo()

    statuses = dict(AIModel.objects.values_list("key", "status"))
    remote = {key: status for key, status in statuses.items() if key.startswith(("workers-ai/", "openrouter/"))}
    assert len(remote) == 9
    assert set(remote.values()) == {"disabled"}
    assert statuses["local/gemma-3-270m"] == "enabled"
    assert statuses["builtin/rules"] == "enabled"


@pytest.mark.django_db
def test_it_seeds_the_routing_policy_and_three_tiers_naming_catalog_models(seed_demo):
    seed_demo()
    seed_demo()

    policy = RoutingPolicy.objects.get(pk=1)
    assert policy.fallback_slots == {"fast": ["accurate"], "accurate": []}
    # A fast request asks the model only for the narrative (docs/ai-model-analysis.md).
    assert policy.stage_slots == {"fast": {"usage_summary": "exact", "plan_scoring": "exact"}}
    tiers = {t.name: t.assignments for t in Tier.objects.all()}
    assert set(tiers) == {"speed", "balanced", "cost"}
    for assignments in tiers.values():
        assert set(assignments) == {"fast", "accurate"}
        assert AIModel.objects.filter(key__in=assignments.values()).count() == len(set(assignments.values()))


# On the seeded catalog a fast request asks the embedded model for the narrative only; the
# usage summary and the plan scores come from the rules engine, with the usual fallbacks.
@pytest.mark.django_db
def test_it_uses_the_model_for_the_narrative_only_on_fast_requests(seed_demo):
    seed_demo()

    route = active_route("fast")

    assert [m.key for m in route.chain("narrative")] == ["local/gemma-3-270m", "builtin/rules"]
    assert route.chain("usage_summary")[0].key == "builtin/rules"
    assert route.chain("plan_scoring")[0].key == "builtin/rules"
    assert [m.key for m in active_route("accurate").chain("usage_summary")] == ["builtin/rules"]


@pytest.mark.django_db
def test_it_points_the_slots_at_the_embedded_model_and_the_rules_engine_with_an_audit_row(seed_demo):
    seed_demo()

    assert dict(Slot.objects.values_list("name", "model__key")) == {
        "fast": "local/gemma-3-270m",
        "accurate": "builtin/rules",
        "exact": "builtin/rules",
    }
    changes = SlotChange.objects.order_by("slot__name")
    assert [(c.slot.name, c.from_model, c.to_model.key, c.acting_user, c.reason) for c in changes] == [
        ("accurate", None, "builtin/rules", None, "initial seed (MODEL_TIER balanced)"),
        ("exact", None, "builtin/rules", None, "initial seed (MODEL_TIER balanced)"),
        ("fast", None, "local/gemma-3-270m", None, "initial seed (MODEL_TIER balanced)"),
    ]


@pytest.mark.django_db
def test_it_leaves_a_switched_slot_where_the_operator_put_it(seed_demo):
    seed_demo()
    Slot.objects.filter(name="fast").update(model=AIModel.objects.get(key="builtin/rules"))

    seed_demo()

    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    assert SlotChange.objects.count() == 3  # the initial seeds only


def snapshot() -> dict:
    return {
        "plans": sorted(Plan.objects.values_list("provider", "name", "energy_rate_cents", "tiers", "bill_credit")),
        "providers": sorted(Provider.objects.values_list("name", "kind", "base_url", "account_id", "secret_env")),
        "models": sorted(AIModel.objects.values_list("key", "provider__name", "status", "price_input_per_mtok")),
        "slots": sorted(Slot.objects.values_list("name", "model__key", "updated_at")),
        "slot_changes": SlotChange.objects.count(),
        "groups": sorted(Group.objects.values_list("name", "permissions__codename")),
        "users": sorted(get_user_model().objects.values_list("username", "password", "is_staff", "is_superuser")),
        "api_keys": sorted(ApiKey.objects.values_list("name", "prefix", "key_hash")),
    }


@pytest.mark.django_db
def test_it_creates_nothing_and_changes_nothing_on_a_second_run(seed_demo):
    seed_demo()
    first = snapshot()

    seed_demo()

    assert snapshot() == first
    assert first["slot_changes"] == 3  # one initial seed per slot
    assert len(first["api_keys"]) == 1
