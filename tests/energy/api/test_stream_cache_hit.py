"""A streamed request that the response cache answers gets its `result` at once."""

import pytest

from tests.energy.api.payloads import recommendation_body
from tests.energy.api.streams import kinds, stream_recommendation

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_cache_hit_streams_the_result_at_once(async_client, auth_headers, plans, rules_only_catalog):
    body = recommendation_body(mode="fast")
    await stream_recommendation(async_client, auth_headers, body)

    events = await stream_recommendation(async_client, auth_headers, body)

    assert kinds(events) == ["accepted", "result"]
    assert events[1][1]["metadata"]["cache"]["hit"] is True
