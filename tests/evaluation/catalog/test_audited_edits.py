"""Catalog edits as audited actions: each leaves a CatalogChange with before → after and why; a
refusal (bad shape, no permission, no reason, a failing probe) stores nothing; rollback re-applies
`before` through the same action."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from evaluation.catalog.actions import EditRefused, edit_model, edit_provider
from evaluation.models import AIModel, CatalogChange, ModelProbe, Provider, RoutingPolicy, Slot, Tier
from evaluation.slots.changes import rollback_change
from evaluation.slots.routing import create_tier, edit_policy, edit_tier
from tests.conftest import UNREACHABLE_BASE_URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(rules_model, rules_a) -> dict[str, Slot]:
    """fast on test/rules-a, accurate on builtin/rules."""
    return {"fast": Slot.objects.create(name="fast", model=rules_a),
            "accurate": Slot.objects.create(name="accurate", model=rules_model)}


def test_it_records_the_changed_fields_before_and_after_with_the_reason(operator, rules_b):
    change = edit_model(rules_b, {"parameters": {"n_ctx": 2048}, "display_name": "Rules B", "notes": ""},
                        acting_user=operator, reason="  bigger context  ")

    assert (change.object_type, change.object_id, change.object_label, change.kind) == ("model", rules_b.pk,
                                                                                         "test/rules-b", "edit")
    assert change.before == {"parameters": {}, "display_name": "test/rules-b"}  # notes did not change
    assert change.after == {"parameters": {"n_ctx": 2048}, "display_name": "Rules B"}
    assert (change.reason, change.acting_user, change.forced) == ("bigger context", operator, False)
    assert AIModel.objects.get(pk=rules_b.pk).parameters == {"n_ctx": 2048}


@pytest.mark.parametrize(("changes", "field"), [
    ({"stage_settings": {"narrative": {"max_tokens": "many"}}}, "stage_settings"),
    ({"stage_settings": {"summary": {"max_tokens": 10}}}, "stage_settings"),
    ({"stage_settings": ["narrative"]}, "stage_settings"),
    ({"parameters": [1, 2]}, "parameters"),
    ({"status": "sleeping"}, "status"),
])
def test_it_refuses_settings_of_the_wrong_shape_and_stores_nothing(operator, rules_b, changes, field):
    with pytest.raises(EditRefused, match=f"^{field}: "):
        edit_model(rules_b, changes, acting_user=operator, reason="tune")

    unchanged = AIModel.objects.get(pk=rules_b.pk)
    assert (unchanged.parameters, unchanged.stage_settings, unchanged.status) == ({}, {}, "enabled")
    assert not CatalogChange.objects.exists()


def test_it_needs_the_change_permission_and_a_reason(staff, operator, rules_b):
    with pytest.raises(PermissionDenied, match=r"evaluation\.change_aimodel"):
        edit_model(rules_b, {"display_name": "x"}, acting_user=staff, reason="because")
    with pytest.raises(EditRefused, match="reason"):
        edit_model(rules_b, {"display_name": "x"}, acting_user=operator, reason="   ")

    assert AIModel.objects.get(pk=rules_b.pk).display_name == "test/rules-b"
    assert not CatalogChange.objects.exists()


@pytest.mark.parametrize(("rules", "message"), [
    ([{"stage": "*"}], "rules: rule 1 lacks signal, above, slot"),
    ([{"stage": "*", "signal": "moon_phase", "above": 1, "slot": "accurate"}], "rules: rule 1: unknown signal"),
    ([{"stage": "*", "signal": "eligible_plans", "above": 1, "slot": "turbo"}], "rules: .*'turbo', which does not exist"),
    ({"stage": "*"}, "rules: must be a list"),
])
def test_it_refuses_a_policy_serving_could_not_apply(operator, served, rules, message):
    with pytest.raises(EditRefused, match=message):
        edit_policy(None, {"rules": rules}, acting_user=operator, reason="harder inputs to accurate")

    assert not RoutingPolicy.objects.exists()
    assert not CatalogChange.objects.exists()


def test_it_stores_and_audits_a_policy_that_can_be_applied(operator, served):
    rule = {"stage": "plan_scoring", "signal": "eligible_plans", "above": 8, "slot": "accurate"}
    created = edit_policy(None, {"rules": [rule]}, acting_user=operator, reason="many plans to accurate")
    edited = edit_policy(RoutingPolicy.objects.get(), {"fallback_slots": {"fast": []}}, acting_user=operator,
                         reason="no fallback")

    assert (created.kind, created.after["rules"]) == ("create", [rule])
    assert (edited.kind, edited.before, edited.after) == ("edit", {"fallback_slots": {}},
                                                          {"fallback_slots": {"fast": []}})


def test_it_refuses_a_tier_that_names_an_unknown_slot_or_model(operator, served, rules_b):
    tier = Tier.objects.create(name="cost", assignments={"fast": "test/rules-b"})
    with pytest.raises(EditRefused, match="assignments: there is no slot named 'turbo'"):
        edit_tier(tier, {"assignments": {"turbo": "test/rules-b"}}, acting_user=operator, reason="faster")
    with pytest.raises(EditRefused, match="assignments: fast names 'nope/model', which is not in the catalog"):
        create_tier(Tier(name="speed", assignments={"fast": "nope/model"}), acting_user=operator, reason="new")

    assert Tier.objects.get().assignments == {"fast": "test/rules-b"}
    assert not CatalogChange.objects.exists()


def test_it_refuses_to_disable_a_model_or_provider_a_slot_uses(operator, served, rules_a):
    with pytest.raises(EditRefused, match="status: test/rules-a serves fast; switch the slot"):
        edit_model(rules_a, {"status": "disabled"}, acting_user=operator, reason="retire")
    with pytest.raises(EditRefused, match="enabled: builtin serves"):
        edit_provider(rules_a.provider, {"enabled": False}, acting_user=operator, reason="maintenance")

    assert AIModel.objects.get(pk=rules_a.pk).status == "enabled"
    assert Provider.objects.get(pk=rules_a.provider_id).enabled
    assert not CatalogChange.objects.exists()


def test_it_probes_a_serving_model_whose_reachability_changes(operator, served, rules_a):
    change = edit_model(rules_a, {"provider_model": "rules-v2"}, acting_user=operator, reason="new build")

    probe = ModelProbe.objects.get()
    assert (probe.model, probe.slot_name, probe.ok) == (rules_a, "fast", True)
    assert change.after == {"provider_model": "rules-v2"}


def test_it_refuses_a_provider_change_that_fails_the_probe_unless_forced(operator, remote_catalog, remote_model):
    # Moving a provider takes a permission of its own (test_provider_endpoints.py); this one has it.
    operator.user_permissions.add(Permission.objects.get(codename="change_provider_endpoint"))
    operator = type(operator).objects.get(pk=operator.pk)  # permissions are cached per instance
    provider = remote_model.provider
    provider.connect_timeout_s = provider.read_timeout_s = 0.5
    provider.save()

    with pytest.raises(EditRefused, match="remote/chat-mini would fail its live probe"):
        edit_provider(provider, {"base_url": UNREACHABLE_BASE_URL}, acting_user=operator, reason="move")
    assert Provider.objects.get(pk=provider.pk).base_url != UNREACHABLE_BASE_URL
    assert not CatalogChange.objects.exists()

    change = edit_provider(provider, {"base_url": UNREACHABLE_BASE_URL}, acting_user=operator, reason="move anyway",
                           force=True)
    assert change.forced
    assert Provider.objects.get(pk=provider.pk).base_url == UNREACHABLE_BASE_URL


def test_it_rolls_back_an_edit_through_the_same_action(operator, rules_b):
    edit = edit_model(rules_b, {"stage_settings": {"narrative": {"max_tokens": 48}}}, acting_user=operator,
                      reason="shorter")

    rollback = rollback_change(edit, acting_user=operator, reason="too short")

    assert AIModel.objects.get(pk=rules_b.pk).stage_settings == {}
    assert (rollback.kind, rollback.before, rollback.after) == ("rollback", edit.after, edit.before)
    assert rollback.reason == "too short"


def test_it_refuses_to_roll_back_a_change_edited_again_since(operator, rules_b):
    first = edit_model(rules_b, {"display_name": "one"}, acting_user=operator, reason="a")
    edit_model(rules_b, {"display_name": "two"}, acting_user=operator, reason="b")

    with pytest.raises(EditRefused, match="changed again since"):
        rollback_change(first, acting_user=operator, reason="undo a")
    assert AIModel.objects.get(pk=rules_b.pk).display_name == "two"
