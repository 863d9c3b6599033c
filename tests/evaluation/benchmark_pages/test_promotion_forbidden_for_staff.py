import pytest

from evaluation.models import Slot, SlotChange


@pytest.mark.django_db
def test_it_offers_no_promotion_to_product_staff_and_answers_403(staff_client, finished_run):
    route = finished_run.routes.get(label="builtin/rules-b")

    matrix = staff_client.get(f"/admin/benchmarks/matrix/?run={finished_run.pk}")
    post = staff_client.post(f"/admin/benchmarks/matrix/routes/{route.pk}/promote/",
                             {"slot": "fast", "reason": "sneaky", "override_gates": "on"})

    assert matrix.status_code == 200
    assert "/promote/" not in matrix.content.decode()
    assert post.status_code == 403
    assert Slot.objects.get(name="fast").model.key == "local/gemma-3-270m"
    assert not SlotChange.objects.filter(to_model__key="builtin/rules-b").exists()
