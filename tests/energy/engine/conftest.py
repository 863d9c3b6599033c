"""The embedded model as the catalog seeds it, served by the session's real engine, and a way to
keep that engine busy as other processes' live traffic would."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import pytest

from energy.engine import admission
from energy.engine import state as engine_state
from energy.llm.base import CompletionRequest, GenerationSettings, ModelRef
from evaluation.seeds.catalog import MODELS

SEED = next(model for model in MODELS if model["key"] == "local/gemma-3-270m")


@pytest.fixture
def gemma(engine) -> ModelRef:
    return ModelRef(key="local/gemma-3-270m", provider_kind="llama_cpp", prompt_style="completion",
                    stage_settings=SEED["stage_settings"])


@pytest.fixture(autouse=True)
def fresh_admission(monkeypatch):
    """No service times measured yet, no calls in flight, and no reading of the engine kept from
    an earlier test."""
    monkeypatch.setattr(admission, "service_times", admission.ServiceTimes({}))
    monkeypatch.setattr(admission, "_in_flight", 0)
    monkeypatch.setattr(admission, "_background_in_flight", 0)
    monkeypatch.setattr(engine_state, "_last", None)


def short_request(stage: str = "narrative") -> CompletionRequest:
    return CompletionRequest(stage=stage, settings=GenerationSettings(max_tokens=8, temperature=0.0, stop=("\n",)),
                             prompt="Question: Is the service up?\nAnswer:")


def endless_request(max_tokens: int = 4000) -> CompletionRequest:
    """A generation that only its token limit (or a cut) ends."""
    return CompletionRequest(stage="narrative", settings=GenerationSettings(max_tokens=max_tokens, temperature=0.0),
                             prompt="Count: 1, 2, 3, 4,")


@pytest.fixture
def occupy(engine) -> Callable:
    """`async with occupy(n, tokens):` n generations of `tokens` each run on the engine, sent as
    another process would; they are cut when the block ends."""

    @asynccontextmanager
    async def running(count: int, tokens: int) -> AsyncIterator[list[asyncio.Task]]:
        async with httpx.AsyncClient(timeout=120) as client:
            body = {"prompt": "Count: 1, 2, 3, 4,", "max_tokens": tokens, "temperature": 0, "ignore_eos": True,
                    "stream": True}

            async def generate() -> None:
                # Streamed: a cancelled reader closes the connection, which stops the generation.
                async with client.stream("POST", f"{engine}/v1/completions", json=body) as response:
                    async for _ in response.aiter_bytes():
                        pass

            tasks = [asyncio.create_task(generate()) for _ in range(count)]
            try:
                await wait_until_processing(engine, count)
                yield tasks
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                await wait_until_processing(engine, 0, at_most=True)

    return running


async def slots(engine_url: str) -> list[dict]:
    async with httpx.AsyncClient() as client:
        return (await client.get(f"{engine_url}/slots")).json()


async def processing(engine_url: str) -> int:
    return sum(1 for slot in await slots(engine_url) if slot["is_processing"])


async def wait_until_processing(engine_url: str, count: int, *, at_most: bool = False, timeout_s: float = 10) -> None:
    """Until `count` requests are decoding (or every slot is), or no more than `count` are."""
    count = min(count, len(await slots(engine_url)))
    async with asyncio.timeout(timeout_s):
        while (await processing(engine_url) > count) if at_most else (await processing(engine_url) < count):
            await asyncio.sleep(0.05)
