import pytest

from evaluation.models import AIModel, Slot
from tests.energy.api.payloads import post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_does_not_serve_an_answer_cached_before_a_model_of_the_route_was_disabled(
    async_client, auth_headers, plans, rules_model, spare_rules_model, pipeline_runs,
):
    # fast → the spare, then the accurate slot's rules engine: disabling the spare changes the
    # chain but no slot, so only the catalog revision in the route version can tell.
    await Slot.objects.acreate(name="fast", model=spare_rules_model)
    await Slot.objects.acreate(name="accurate", model=rules_model)
    body = recommendation_body(mode="fast")
    before = (await post_recommendation(async_client, auth_headers, body)).json()
    assert set(before["metadata"]["models"].values()) == {"builtin/rules-spare"}

    await AIModel.objects.filter(pk=spare_rules_model.pk).aupdate(status=AIModel.Status.DISABLED)
    after = (await post_recommendation(async_client, auth_headers, body)).json()

    assert after["metadata"]["cache"]["hit"] is False
    assert set(after["metadata"]["models"].values()) == {"builtin/rules"}
    assert len(pipeline_runs) == 2
