import pytest

from tests.energy.api.payloads import post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_runs_every_request_when_the_ttl_is_zero(
    async_client, auth_headers, plans, rules_only_catalog, pipeline_runs, settings,
):
    settings.RESPONSE_CACHE_TTL_S = 0
    body = recommendation_body()

    answers = [(await post_recommendation(async_client, auth_headers, body)).json() for _ in range(2)]

    assert [answer["metadata"]["cache"] for answer in answers] == [{"hit": False}, {"hit": False}]
    assert len(pipeline_runs) == 2
