"""The one interface every provider adapter implements, and the values that cross it.

An adapter is a module with `async def complete(model: ModelRef, request: CompletionRequest)
-> Completion`. It reports the text, token counts, TTFT and timings, and raises a
`ProviderError` subclass for every failure, so that callers can record and fall back
without knowing which provider they talked to.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

STAGES = ("usage_summary", "plan_scoring", "narrative")
MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class GenerationSettings:
    max_tokens: int = 256
    temperature: float = 0.2
    stop: tuple[str, ...] = ()


@dataclass(frozen=True, eq=True)
class ModelRef:
    """Everything needed to call one catalog model, detached from the database so that a
    request can pin its route at start and never see a half-applied switch."""

    key: str
    provider_kind: str  # openai_compatible | cloudflare | llama_cpp (the inference engine) | rules | council
    provider_model: str = ""
    base_url: str = ""
    account_id: str = ""
    secret_env: str = ""
    prompt_style: str = "chat"  # chat | completion | rules
    parameters: dict[str, Any] = field(default_factory=dict, hash=False)
    stage_settings: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False)
    price_input_per_mtok: Decimal = Decimal(0)
    price_output_per_mtok: Decimal = Decimal(0)
    connect_timeout_s: float = 3.0
    read_timeout_s: float = 8.0
    max_concurrency: int = 16
    # Set for a council (provider kind "council"): the models it asks; it is never called itself.
    council: "CouncilSpec | None" = field(default=None, hash=False)

    def settings_for(self, stage: str, default: GenerationSettings) -> GenerationSettings:
        own = self.stage_settings.get(stage, {})
        return GenerationSettings(
            max_tokens=int(own.get("max_tokens", default.max_tokens)),
            temperature=float(own.get("temperature", default.temperature)),
            stop=tuple(own.get("stop", default.stop)),
        )

    def cost_usd(self, input_tokens: int, output_tokens: int) -> Decimal:
        return (input_tokens * self.price_input_per_mtok + output_tokens * self.price_output_per_mtok) / MILLION

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "provider_kind": self.provider_kind,
            "provider_model": self.provider_model,
            "prompt_style": self.prompt_style,
        }


@dataclass(frozen=True)
class CouncilSpec:
    """A council route (energy.pipeline.council): the members answer a stage in parallel, each
    ranks the others' anonymized answers, and the chairman synthesizes one answer from them.

    `min_answers`: fewer valid answers than this and the council fails the stage, which falls back
    along its chain like any failed model. `ranking_share`: the share of the expected rankings
    after which synthesis starts (it starts at `ranking_timeout_s` with whatever has arrived)."""

    members: tuple[ModelRef, ...]
    chairman: ModelRef
    min_answers: int = 2
    ranking_share: float = 1.0
    answers_timeout_s: float = 20.0
    ranking_timeout_s: float = 10.0
    synthesis_timeout_s: float = 20.0


@dataclass(frozen=True)
class RouteRule:
    """Use `chain` for `stage` ("*" = any) when the request's `signal` is above `above`."""

    stage: str
    signal: str  # eligible_plans | prompt_tokens
    above: float
    chain: tuple[ModelRef, ...] = field(hash=False)

    def applies(self, stage: str, signals: dict[str, float]) -> bool:
        return self.stage in (stage, "*") and signals.get(self.signal, 0) > self.above


@dataclass(frozen=True)
class Route:
    """Which models serve each stage, in fallback order (e.g. fast → accurate → rules), the
    rules that move a stage elsewhere for hard inputs, and which canary arm each slot is on.
    `warnings` are what the resolver had to work around (e.g. a stored policy it could not
    apply); every answer on this route lists them in its errors."""

    chains: dict[str, tuple[ModelRef, ...]] = field(hash=False)
    version: str = ""
    rules: tuple[RouteRule, ...] = ()
    arms: dict[str, str] = field(default_factory=dict, hash=False)  # slot -> champion | challenger
    warnings: tuple[dict[str, Any], ...] = field(default=(), hash=False)

    def chain(self, stage: str, signals: dict[str, float] | None = None) -> tuple[ModelRef, ...]:
        for rule in self.rules:
            if signals is not None and rule.applies(stage, signals):
                return rule.chain
        return self.chains[stage]

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "stages": {s: [m.key for m in chain] for s, chain in self.chains.items()},
            "rules": [{"stage": r.stage, "signal": r.signal, "above": r.above, "chain": [m.key for m in r.chain]}
                      for r in self.rules],
            "arms": dict(self.arms),
            **({"warnings": [dict(w) for w in self.warnings]} if self.warnings else {}),
        }


@dataclass(frozen=True)
class CompletionRequest:
    stage: str
    settings: GenerationSettings
    prompt: str | None = None  # completion style
    messages: tuple[dict[str, str], ...] | None = None  # chat style
    json_output: bool = False
    # The deterministic answer computed from the facts; the rules provider returns it.
    reference_answer: str | None = None
    # Hears each piece of text as it streams in (a streamed answer's `token` events).
    on_text: Callable[[str], Awaitable[None]] | None = field(default=None, compare=False, repr=False)


@dataclass
class Completion:
    text: str
    input_tokens: int = 0
    output_tokens: int = 0
    ttft_ms: float | None = None
    inference_ms: float = 0.0
    # Time this call spent waiting for a model to load or a client to be created.
    init_ms: float = 0.0
    # Part of `inference_ms`: opening a connection to the provider (TCP and TLS), when it did.
    connect_ms: float = 0.0
    # Time it waited for the inference engine (admission, then the engine's own queue), apart
    # from `inference_ms`: a benchmark call that yields to live traffic is not slower for it.
    queue_ms: float = 0.0
    # The server's own time for the prompt and the generation, when it reports one (llama-server's
    # `timings`): the call's wall time minus this is time spent queued or in transit.
    service_ms: float | None = None
    # Prompt tokens the server took from its cache rather than evaluating (OpenAI's
    # usage.prompt_tokens_details.cached_tokens): the few-shot prefix, once a slot holds it.
    cached_tokens: int = 0
    finish_reason: str = ""
    resolved_model: str = ""
    # What the provider's X-RateLimit headers said: (requests remaining, seconds until the reset).
    rate_limit: tuple[int | None, float | None] | None = None
    # The LLMCall row that recorded this call, when one did (energy.calls), so that a stage that
    # rejects the answer can say so on the row.
    call_id: int | None = None
    # The call's ticket in its model's circuit-breaker window (energy.llm.breaker), so that a
    # rejected answer turns that very outcome into a failure.
    breaker_ticket: int | None = None


class ProviderError(Exception):
    """Any failure to get a usable completion from a provider."""

    error_class = "provider_error"


class ProviderNotConfigured(ProviderError):
    error_class = "not_configured"


class ProviderTimeout(ProviderError):
    error_class = "timeout"


class ProviderConnectionError(ProviderError):
    error_class = "connection_error"


class ProviderHTTPError(ProviderError):
    error_class = "http_error"

    def __init__(self, status_code: int, message: str, *, retry_after_s: float | None = None, code: int | None = None,
                 rate_limit: tuple[int | None, float | None] | None = None):
        super().__init__(f"HTTP {status_code}: {message}")
        self.status_code = status_code
        self.retry_after_s = retry_after_s
        self.code = code  # provider-specific error code, e.g. Cloudflare 3040
        self.rate_limit = rate_limit  # as in Completion.rate_limit


class ProviderResponseError(ProviderError):
    """The provider answered 200 with something unusable (bad JSON, no choices)."""

    error_class = "bad_response"


class StreamIncomplete(ProviderError):
    """The stream broke after the first token: the partial text is kept, never used."""

    error_class = "stream_incomplete"

    def __init__(self, message: str, *, partial_text: str = "", ttft_ms: float | None = None):
        super().__init__(message)
        self.partial_text = partial_text
        self.ttft_ms = ttft_ms


class EngineBusy(ProviderError):
    """The inference engine could not start and finish the call within the request's deadline
    (its queue, at its measured service time, is too long), so the call was never sent."""

    error_class = "engine_busy"


class DeadlineExceeded(ProviderTimeout):
    """The request's deadline left no time for this call, or ran out during it."""

    error_class = "deadline_exceeded"


class ProviderExhausted(ProviderError):
    """The provider allows no more calls until its quota resets (Cloudflare's daily allocation,
    or an X-RateLimit window too long to wait for); `retry_after_s` says when it does."""

    error_class = "provider_exhausted"

    def __init__(self, message: str, *, retry_after_s: float | None = None):
        super().__init__(message)
        self.retry_after_s = retry_after_s


class FailedEarlier(ProviderError):
    """The model already failed a call of this request, so the request does not call it again:
    each model is tried at most once per request along its fallback chain."""

    error_class = "failed_earlier"


class CircuitOpen(ProviderError):
    """The model's circuit breaker is open: it failed too often lately, so it is not called
    until `retry_after_s` has passed and a probe call succeeds."""

    error_class = "circuit_open"

    def __init__(self, message: str, *, retry_after_s: float | None = None):
        super().__init__(message)
        self.retry_after_s = retry_after_s


# How a call ends when it never reached the model: it had failed the request already, its breaker
# was open, its provider paused or unconfigured, or the engine had no room before the deadline.
# It costs microseconds that are not the model's latency, and it says nothing about its health.
NEVER_SENT = (FailedEarlier, CircuitOpen, ProviderExhausted, EngineBusy, ProviderNotConfigured)
