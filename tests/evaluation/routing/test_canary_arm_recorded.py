import pytest
from asgiref.sync import sync_to_async

from energy.models import Recommendation
from evaluation.catalog.routes import canary_arm
from evaluation.models import Slot
from tests.energy.api.payloads import post_recommendation, recommendation_body


def request_key_on(slot: Slot, arm: str) -> str:
    return next(key for key in (f"client-req-{n}" for n in range(1000)) if canary_arm(slot, key) == arm)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("arm", "served_by"), [("challenger", "builtin/rules"), ("champion", "test/rules-a")])
async def test_it_records_the_canary_arm_a_recommendation_ran_on(async_client, auth_headers, plans, slots, rules_model,
                                                                 arm, served_by):
    await Slot.objects.filter(name="fast").aupdate(challenger=rules_model, challenger_share=50)
    request_key = request_key_on(await sync_to_async(Slot.objects.get)(name="fast"), arm)

    response = await post_recommendation(async_client, {**auth_headers, "X-Request-ID": request_key},
                                         recommendation_body(mode="fast"))

    answer = response.json()
    assert response.status_code == 200, answer
    assert answer["metadata"]["models"]["narrative"] == served_by
    recommendation = await Recommendation.objects.aget(pk=answer["id"])
    assert recommendation.route["arms"] == {"fast": arm, "accurate": "champion"}
    assert recommendation.route["stages"]["narrative"][0] == served_by
