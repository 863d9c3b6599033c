import pytest

from energy.models import ApiKey
from evaluation.models import Slot, SlotChange


@pytest.mark.django_db(transaction=True)
def test_it_keeps_product_staff_who_rate_away_from_the_switch_paths(rita, rita_client, rules_only_catalog, spare_rules_model):
    _, raw_key = ApiKey.generate("rita's key", user=rita)

    page = rita_client.post("/admin/switchboard/slots/fast/switch/",
                            {"model": spare_rules_model.key, "reason": "try it", "confirm": "yes"})
    api = rita_client.put("/api/v1/slots/fast", {"model": spare_rules_model.key, "reason": "try it"},
                          content_type="application/json", headers={"Authorization": f"Bearer {raw_key}"})

    assert rita.has_perm("evaluation.rate_output")
    assert (page.status_code, api.status_code) == (403, 403)
    assert Slot.objects.get(name="fast").model.key == "builtin/rules"
    assert not SlotChange.objects.exists()
