import httpx
import pytest

from energy.llm import openai_compatible
from energy.llm.base import ProviderConnectionError, ProviderTimeout
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER


@pytest.mark.parametrize(
    ("exception", "expected"),
    [
        (httpx.ReadTimeout("timed out"), ProviderTimeout),
        (httpx.ConnectTimeout("timed out"), ProviderTimeout),
        (httpx.PoolTimeout("no free connection"), ProviderTimeout),
        (httpx.ConnectError("connection refused"), ProviderConnectionError),
    ],
)
async def test_it_maps_transport_failures(httpx_mock, exception, expected):
    httpx_mock.add_exception(exception, url=CHAT_URL, method="POST")

    with pytest.raises(expected):
        await openai_compatible.complete(OPENROUTER, CHAT)


async def test_it_passes_the_models_timeouts(httpx_mock):
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=CHAT_URL, method="POST")

    with pytest.raises(ProviderTimeout):
        await openai_compatible.complete(OPENROUTER, CHAT)

    timeouts = httpx_mock.get_request().extensions["timeout"]
    assert timeouts == {"connect": 1.5, "read": 6.0, "write": 1.5, "pool": 1.5}
