from energy.llm import openai_compatible
from tests.energy.llm.streams import CHAT, CHAT_URL, OPENROUTER, delta, sse


async def test_it_counts_one_token_per_delta_without_a_usage_report(httpx_mock):
    body = sse(delta("Plan"), delta(" A"), delta(""), delta(" wins", "stop"), "[DONE]")
    httpx_mock.add_response(url=CHAT_URL, method="POST", content=body)

    completion = await openai_compatible.complete(OPENROUTER, CHAT)

    assert (completion.input_tokens, completion.output_tokens) == (0, 3)
