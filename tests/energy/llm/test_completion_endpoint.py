import json

from energy.llm import openai_compatible
from energy.llm.base import CompletionRequest, GenerationSettings
from tests.energy.llm.streams import COMPLETIONS_URL, OPENROUTER, PROMPT, sse


async def test_it_posts_a_prompt_to_the_completions_endpoint(httpx_mock):
    body = sse(
        {"choices": [{"index": 0, "text": " Lowest", "finish_reason": None}]},
        {"choices": [{"index": 0, "text": " bill.", "finish_reason": "stop"}]},
        "[DONE]",
    )
    httpx_mock.add_response(url=COMPLETIONS_URL, method="POST", content=body)

    completion = await openai_compatible.complete(OPENROUTER, PROMPT)

    assert completion.text == " Lowest bill."
    assert completion.finish_reason == "stop"
    sent = json.loads(httpx_mock.get_request().content)
    assert sent["prompt"] == "Facts: cheapest.\nWhy:"
    assert "messages" not in sent


async def test_it_sends_no_stop_when_there_is_none(httpx_mock):
    httpx_mock.add_response(url=COMPLETIONS_URL, method="POST", content=sse({"choices": [{"text": "x"}]}, "[DONE]"))
    request = CompletionRequest(stage="narrative", settings=GenerationSettings(), prompt="Why:")

    await openai_compatible.complete(OPENROUTER, request)

    assert "stop" not in json.loads(httpx_mock.get_request().content)
