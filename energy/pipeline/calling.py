"""How a stage calls a model for one request: the caller it is given, the requests sent
together, and telling the caller when an answer is refused. Shared by a single model's attempt
(energy.pipeline.runner) and a council's steps (energy.pipeline.council)."""

import asyncio
import time
from typing import Protocol

from energy.llm.base import Completion, CompletionRequest, ModelRef
from energy.pipeline.stages.base import OutputInvalid


class ModelCaller(Protocol):
    """Calls models for one request. A caller may also have `async reject(model, completions,
    kind, message)`, to hear that the stage refused a model's answer (energy.calls records it)."""

    async def complete(self, model: ModelRef, request: CompletionRequest) -> Completion: ...


def ms_since(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 3)


async def call_all(caller: ModelCaller, model: ModelRef, requests: list[CompletionRequest]) -> list[Completion]:
    """Independent requests run concurrently (the embedded model queues them itself)."""
    results = await asyncio.gather(*(caller.complete(model, r) for r in requests), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return list(results)


async def tell_rejected(caller: ModelCaller, model: ModelRef, completions: list[Completion], exc: OutputInvalid) -> None:
    """Tell the caller, if it listens, that these completions carried an answer the stage refused."""
    reject = getattr(caller, "reject", None)
    if reject is not None:
        await reject(model, completions, exc.kind, str(exc))
