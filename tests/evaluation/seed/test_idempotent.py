import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from energy.models import ApiKey, Plan
from evaluation.models import AIModel, Provider, Slot, SlotChange


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
