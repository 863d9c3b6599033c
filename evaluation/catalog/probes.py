"""A tiny live call to a model: is it reachable and answering, and how fast?"""

import time

from asgiref.sync import async_to_sync

from energy.calls import RecordingCaller
from energy.llm.base import CompletionRequest, GenerationSettings
from energy.llm.retry import RetryPolicy
from energy.llm.scopes import LIVE
from evaluation.catalog.routes import model_ref, servable
from evaluation.models import AIModel, ModelProbe, Provider

PROBE_SETTINGS = GenerationSettings(max_tokens=4, temperature=0.0)


def probe_request(model: AIModel) -> CompletionRequest:
    if model.prompt_style == AIModel.PromptStyle.RULES:
        return CompletionRequest(stage="probe", settings=PROBE_SETTINGS, reference_answer="OK")
    if model.prompt_style == AIModel.PromptStyle.COMPLETION:
        return CompletionRequest(stage="probe", settings=PROBE_SETTINGS, prompt="Question: Is the service up?\nAnswer:")
    return CompletionRequest(stage="probe", settings=PROBE_SETTINGS,
                             messages=({"role": "user", "content": "Reply with the single word OK."},))


def probe_model(model: AIModel, *, slot_name: str = "") -> ModelProbe:
    """Call the model once (recorded as an LLMCall like any other call) and store the outcome."""
    if model.provider.kind == Provider.Kind.COUNCIL:
        council = getattr(model, "council", None)
        if council is None:
            return ModelProbe.objects.create(model=model, slot_name=slot_name, ok=False, kind="not_a_council",
                                             error=f"{model.key} has no members", latency_ms=0.0)
        return probe_council(model, list(council.members.select_related("provider")), council.chairman,
                             council.min_answers, slot_name=slot_name)
    # One attempt: a probe reports what a single call does, not what retries can rescue. Live
    # scope: it asks what live traffic would get from a model that serves (or is about to).
    caller = RecordingCaller(context=f"probe:{slot_name or model.key}"[:100], background=True, scope=LIVE,
                             policy=RetryPolicy(max_attempts=1))
    started = time.perf_counter()
    try:
        completion = async_to_sync(caller.complete)(model_ref(model), probe_request(model))
        ok, kind, error = bool(completion.text.strip()) or completion.output_tokens > 0, "", ""
        if not ok:
            kind, error = "empty_answer", "empty answer"
    except Exception as exc:  # any failure is the probe's finding, not the caller's crash
        kind = getattr(exc, "error_class", type(exc).__name__)
        ok, error = False, f"{kind}: {exc}"[:300]
    return ModelProbe.objects.create(
        model=model, slot_name=slot_name, ok=ok, kind=kind[:64], error=error,
        latency_ms=(time.perf_counter() - started) * 1000,
    )


def probe_council(model: AIModel, members: list[AIModel], chairman: AIModel, min_answers: int, *,
                  slot_name: str = "") -> ModelProbe:
    """A council answers when at least `min_answers` of its members and its chairman do. Each is
    probed once (with a probe row of its own); the council's row says what that adds up to."""
    started = time.perf_counter()
    answering = [m for m in members if servable(m) and probe_model(m, slot_name=slot_name).ok]
    chairman_ok = chairman.prompt_style == AIModel.PromptStyle.RULES or (
        servable(chairman) and probe_model(chairman, slot_name=slot_name).ok)
    kind, error = "", ""
    if len(answering) < min_answers:
        kind = "council_below_minimum"
        error = f"{kind}: {len(answering)} of {len(members)} members answer; it needs {min_answers}"
    elif not chairman_ok:
        kind, error = "chairman_failed", f"chairman_failed: the chairman {chairman.key} does not answer"
    return ModelProbe.objects.create(model=model, slot_name=slot_name, ok=not kind, kind=kind, error=error,
                                     latency_ms=(time.perf_counter() - started) * 1000)
