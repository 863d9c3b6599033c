"""A chat model behind the mocked OpenAI-compatible server (REMOTE_CHAT_URL): it streams each
stage's JSON answer the way a good model would."""

import json
from collections.abc import Callable

import httpx

INPUT_TOKENS = 120
SUMMARY = "Usage peaks at 1,900 kWh in August."


def sse(answer: dict, chunk_chars: int = 16) -> bytes:
    """An OpenAI-style chat stream of `answer` as JSON: deltas, a finish, a usage chunk, [DONE]."""
    text = json.dumps(answer)
    pieces = [text[i:i + chunk_chars] for i in range(0, len(text), chunk_chars)]
    events = [{"model": "chat-mini-0401", "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]}
              for p in pieces]
    events.append({"model": "chat-mini-0401", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    events.append({"model": "chat-mini-0401", "choices": [],
                   "usage": {"prompt_tokens": INPUT_TOKENS, "completion_tokens": len(pieces)}})
    payloads = [*(json.dumps(e) for e in events), "[DONE]"]
    return b"".join(f"data: {payload}\n\n".encode() for payload in payloads)


def renewable_share(plan) -> str:
    return f"It is {plan.renewable_pct}% renewable."


def chat_server(plans, *, why: Callable = renewable_share):
    """Answers each stage's prompt correctly, as a good chat model would; `why(plan)` writes the
    explanations (Coastal Credit 6, Cheap 12 and Wind 100 Flex, ranked in that order)."""
    ranked = [plans["credit"], plans["cheap"], plans["green"]]

    def answer(request: httpx.Request) -> httpx.Response:
        prompt = json.loads(request.content)["messages"][-1]["content"]
        if '"ranking"' in prompt:
            reply = {"ranking": [{"plan_id": p.pk, "score": 90 - i} for i, p in enumerate(ranked)]}
        elif '"explanations"' in prompt:
            reply = {"explanations": [{"plan_id": p.pk, "why": why(p)} for p in ranked]}
        else:
            reply = {"summary": SUMMARY, "seasonal_pattern": "summer-peaking", "trend": "rising"}
        return httpx.Response(200, content=sse(reply), headers={"Content-Type": "text/event-stream"})

    return answer
