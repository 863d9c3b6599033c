import json

from energy.llm import openai_compatible
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENAI_SECRET, OPENROUTER, RESOLVED_MODEL, chat_stream


async def test_it_collects_the_streamed_text_and_usage(httpx_mock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("Plan A ", "is cheapest."))

    completion = await openai_compatible.complete(OPENROUTER, CHAT)

    assert completion.text == "Plan A is cheapest."
    assert (completion.input_tokens, completion.output_tokens) == (42, 2)
    assert completion.finish_reason == "stop"
    assert completion.resolved_model == RESOLVED_MODEL
    assert completion.ttft_ms is not None
    assert 0 < completion.ttft_ms <= completion.inference_ms


async def test_it_sends_the_secret_and_the_generation_settings(httpx_mock):
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=chat_stream("ok"))

    await openai_compatible.complete(OPENROUTER, CHAT)

    request = httpx_mock.get_request()
    assert request.headers["Authorization"] == f"Bearer {OPENAI_SECRET}"
    assert json.loads(request.content) == {
        "model": "openai/gpt-4o-mini",
        "messages": [{"role": "system", "content": "Explain."}, {"role": "user", "content": "Why plan A?"}],
        "max_tokens": 64,
        "temperature": 0.1,
        "stop": ["\n"],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
