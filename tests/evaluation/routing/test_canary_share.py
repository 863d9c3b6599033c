import pytest

from evaluation.catalog.routes import canary_arm
from evaluation.models import Slot


@pytest.mark.django_db
def test_it_sends_the_configured_share_of_request_keys_to_the_challenger(slots, rules_model):
    Slot.objects.filter(name="fast").update(challenger=rules_model, challenger_share=20)
    slot = Slot.objects.get(name="fast")

    arms = [canary_arm(slot, f"request-{n}") for n in range(1000)]

    assert 160 <= arms.count("challenger") <= 240  # 20 % ± 4 %
    assert set(arms) == {"champion", "challenger"}
