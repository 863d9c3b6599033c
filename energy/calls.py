"""Record every provider call as an LLMCall row: written before the call, finished after it.

A row left in `started` means the process died mid-call; nothing is lost silently."""

import time
from typing import Any

from django.utils import timezone

from energy.llm import dispatch
from energy.llm.base import Completion, CompletionRequest, ModelRef, ProviderTimeout, StreamIncomplete
from energy.models import LLMCall

# The rules engine runs in-process in microseconds; it is not a provider call.
UNRECORDED_KINDS = {"rules"}


def status_for(exc: BaseException) -> str:
    if isinstance(exc, ProviderTimeout):
        return LLMCall.Status.TIMEOUT
    if isinstance(exc, StreamIncomplete):
        return LLMCall.Status.INCOMPLETE
    return LLMCall.Status.FAILED


class RecordingCaller:
    """The pipeline's ModelCaller for real traffic and benchmarks."""

    def __init__(self, *, recommendation_id: Any = None, context: str = ""):
        self.recommendation_id = recommendation_id
        self.context = context

    async def complete(self, model: ModelRef, request: CompletionRequest) -> Completion:
        if model.provider_kind in UNRECORDED_KINDS:
            return await dispatch.complete(model, request)
        call = await LLMCall.objects.acreate(
            recommendation_id=self.recommendation_id, context=self.context, stage=request.stage,
            model_key=model.key, provider_kind=model.provider_kind, started_at=timezone.now(),
        )
        started = time.perf_counter()
        try:
            completion = await dispatch.complete(model, request)
        except Exception as exc:
            await LLMCall.objects.filter(pk=call.pk).aupdate(
                status=status_for(exc), error_class=getattr(exc, "error_class", type(exc).__name__),
                error_message=str(exc)[:2000], finished_at=timezone.now(),
                duration_ms=(time.perf_counter() - started) * 1000, ttft_ms=getattr(exc, "ttft_ms", None),
            )
            raise
        await LLMCall.objects.filter(pk=call.pk).aupdate(
            status=LLMCall.Status.SUCCEEDED, finished_at=timezone.now(),
            duration_ms=(time.perf_counter() - started) * 1000, ttft_ms=completion.ttft_ms,
            input_tokens=completion.input_tokens, output_tokens=completion.output_tokens,
            cost_usd=model.cost_usd(completion.input_tokens, completion.output_tokens),
            resolved_model=completion.resolved_model[:200],
        )
        return completion
