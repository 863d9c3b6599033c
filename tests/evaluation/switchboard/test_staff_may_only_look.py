import pytest

from evaluation.models import Slot, SlotChange, Tier
from tests.evaluation.switchboard.conftest import BOARD_URL

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
def test_it_lets_product_staff_look_but_not_change(staff_client, slots, challenger, tier, path, data):
    Slot.objects.filter(name="fast").update(challenger=challenger, challenger_share=20)
    before = list(Slot.objects.values_list("name", "model_id", "challenger_id", "challenger_share"))

    assert staff_client.get(BOARD_URL).status_code == 200
    response = staff_client.post(BOARD_URL + path.format(tier=tier.pk), data)

    assert response.status_code == 403
    assert list(Slot.objects.values_list("name", "model_id", "challenger_id", "challenger_share")) == before
    assert not SlotChange.objects.exists()
