import pytest

from tests.energy.api.payloads import post_recommendation, recommendation_body


@pytest.mark.django_db(transaction=True)
async def test_it_runs_the_pipeline_again_for_a_different_input(
    async_client, auth_headers, plans, rules_only_catalog, pipeline_runs,
):
    await post_recommendation(async_client, auth_headers, recommendation_body(top_n=3))

    other = await post_recommendation(async_client, auth_headers, recommendation_body(top_n=2))

    assert other.json()["metadata"]["cache"]["hit"] is False
    assert len(pipeline_runs) == 2
