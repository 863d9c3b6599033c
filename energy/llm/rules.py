"""The built-in rules engine as a provider: it answers with the stage's deterministic
reference answer, computed from the facts, so it goes through the same parsing and
validation as any model and can never be the odd one out in a benchmark."""

import time

from energy.llm.base import Completion, CompletionRequest, ModelRef, ProviderError


async def complete(model: ModelRef, request: CompletionRequest) -> Completion:
    started = time.perf_counter()
    if request.reference_answer is None:
        raise ProviderError(f"stage {request.stage} has no deterministic answer")
    return Completion(
        text=request.reference_answer,
        inference_ms=(time.perf_counter() - started) * 1000,
        ttft_ms=None,
        finish_reason="stop",
        resolved_model="rules",
    )
