"""The pipeline's cast, with no database: five plan offers, three model refs, and a fake
model caller that replays queued replies and records what it was asked."""

from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from decimal import Decimal

import pytest

from energy.llm import rules
from energy.llm.base import STAGES, Completion, CompletionRequest, ModelRef, Route
from energy.pipeline.facts import Facts, compute_facts
from energy.pipeline.inputs import PlanOffer, Preferences, RecommendationInputs
from energy.tariffs import PlanTerms, Tier

# A reply is the answer text, a Completion (to control tokens and timings), an exception the
# call raises, or an async function of the request that returns one of those.
Reply = str | Completion | BaseException | Callable[[CompletionRequest], Awaitable["str | Completion"]]

TDU = {"tdu_fixed": Decimal("4.39"), "tdu_rate_cents": Decimal("4.8")}
# Summer-peaking (peak 1,700 kWh in July, lowest 800 in November) and stable (6,700 kWh in the
# first half, 7,000 in the second); 13,700 kWh in all.
USAGE = tuple(Decimal(u) for u in (1200, 1100, 950, 900, 1000, 1550, 1700, 1600, 1050, 850, 800, 1000))


class ReplayingModel:
    """A model caller for `run_pipeline`. Replies are queued per model key (optionally per
    stage too) and replayed in order; every call is recorded as (model key, request). The
    rules engine is not faked: calls to a `rules` model go to `energy.llm.rules`."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, CompletionRequest]] = []
        self._replies: dict[tuple[str, str | None], deque[Reply]] = defaultdict(deque)

    def queue(self, model_key: str, *replies: Reply, stage: str | None = None) -> None:
        self._replies[(model_key, stage)].extend(replies)

    def asked(self, stage: str) -> list[str]:
        """The model keys asked for one stage, one entry per request, in call order."""
        return [key for key, request in self.calls if request.stage == stage]

    def requests(self, model_key: str, stage: str) -> list[CompletionRequest]:
        return [request for key, request in self.calls if key == model_key and request.stage == stage]

    async def complete(self, model: ModelRef, request: CompletionRequest) -> Completion:
        self.calls.append((model.key, request))
        if model.provider_kind == "rules":
            return await rules.complete(model, request)
        reply = self._next_reply(model.key, request.stage)
        if callable(reply):
            reply = await reply(request)
        if isinstance(reply, BaseException):
            raise reply
        if isinstance(reply, Completion):
            return reply
        # One word is one token: rough, but deterministic.
        return Completion(text=reply, input_tokens=len(prompt_text(request).split()), output_tokens=len(reply.split()),
                          ttft_ms=1.0, inference_ms=2.0, finish_reason="stop", resolved_model=model.key)

    def _next_reply(self, model_key: str, stage: str) -> Reply:
        for key in ((model_key, stage), (model_key, None)):
            if self._replies[key]:
                return self._replies[key].popleft()
        raise AssertionError(f"no reply queued for {model_key} ({stage})")


def prompt_text(request: CompletionRequest) -> str:
    if request.messages is not None:
        return " ".join(m["content"] for m in request.messages)
    return request.prompt or ""


@pytest.fixture
def fake_model() -> ReplayingModel:
    return ReplayingModel()


# Models ---------------------------------------------------------------------------------


@pytest.fixture
def chat_model() -> ModelRef:
    """A remote instruction-tuned model that answers in JSON; $0.50 / $1.50 per M tokens."""
    return ModelRef(key="test/chat", provider_kind="openai_compatible", provider_model="chat-7b", prompt_style="chat",
                    price_input_per_mtok=Decimal("0.50"), price_output_per_mtok=Decimal("1.50"))


@pytest.fixture
def completion_model() -> ModelRef:
    """A base model prompted with few-shot completions, one line per answer; free."""
    return ModelRef(key="test/completion", provider_kind="llama_cpp", prompt_style="completion")


@pytest.fixture
def rules_ref() -> ModelRef:
    """The catalog's rules engine, built directly so that no test here needs the database."""
    return ModelRef(key="builtin/rules", provider_kind="rules", prompt_style="rules")


@pytest.fixture
def gemma(engine) -> ModelRef:
    """The real embedded model, served by a real inference engine, with the seed catalog's
    per-stage settings (one line each)."""
    from evaluation.seeds.catalog import MODELS

    seed = next(model for model in MODELS if model["key"] == "local/gemma-3-270m")
    return ModelRef(key="local/gemma-3-270m", provider_kind="llama_cpp", prompt_style="completion",
                    parameters={"n_ctx": 2048}, stage_settings=seed["stage_settings"])


@pytest.fixture
def route_of() -> Callable[..., Route]:
    """The same fallback chain for every stage: route_of(chat_model, rules_ref)."""

    def build(*chain: ModelRef, **per_stage: tuple[ModelRef, ...]) -> Route:
        return Route(chains={stage: tuple(per_stage.get(stage, chain)) for stage in STAGES}, version="test")

    return build


# Plans ----------------------------------------------------------------------------------

CHEAP = PlanOffer(
    id=3, provider="Lone Star Power", name="Cheap 12",
    terms=PlanTerms(energy_rate_cents=Decimal("9.0"), base_fee=Decimal("4.95"), **TDU),
    renewable_pct=0, contract_months=12, early_termination_fee=Decimal("150"),
)
TIERED = PlanOffer(
    id=8, provider="Pecan Street Energy", name="Two-Step 12",
    terms=PlanTerms(tiers=(Tier(up_to_kwh=Decimal(1000), cents=Decimal("10.5")), Tier(up_to_kwh=None, cents=Decimal("14.5"))),
                    **TDU),
    renewable_pct=20, contract_months=12, early_termination_fee=Decimal("150"),
)
CREDIT = PlanOffer(
    id=14, provider="Gulf Coast Electric", name="Coastal Credit 6",
    terms=PlanTerms(energy_rate_cents=Decimal("14.8"), base_fee=Decimal("9.95"), bill_credit=Decimal(100),
                    credit_min_kwh=Decimal(1000), credit_max_kwh=Decimal(2000), **TDU),
    renewable_pct=50, contract_months=6, early_termination_fee=Decimal("75"),
)
GREEN = PlanOffer(
    id=21, provider="Prairie Wind Power", name="Wind 100 Flex",
    terms=PlanTerms(energy_rate_cents=Decimal("14.2"), **TDU),
    renewable_pct=100, contract_months=0, early_termination_fee=Decimal(0),
)
LONG = PlanOffer(
    id=36, provider="Lone Star Power", name="Secure 36",
    terms=PlanTerms(energy_rate_cents=Decimal("8.1"), base_fee=Decimal("4.95"), **TDU),
    renewable_pct=10, contract_months=36, early_termination_fee=Decimal("295"),
)
OFFERS = {"cheap": CHEAP, "tiered": TIERED, "credit": CREDIT, "green": GREEN, "long": LONG}


@pytest.fixture(scope="session")
def offers() -> dict[str, PlanOffer]:
    """Five plans: flat, tiered, a bill-credit window, 100 % renewable with no contract, and a
    36-month contract. Session-scoped (they are frozen) so Hypothesis tests may use them."""
    return OFFERS


def make_inputs(usage: tuple[Decimal, ...] = USAGE, plans: tuple[PlanOffer, ...] = tuple(OFFERS.values()), *,
                current_terms: PlanTerms | None = None, top_n: int = 3, **preferences) -> RecommendationInputs:
    return RecommendationInputs(monthly_usage_kwh=tuple(Decimal(u) for u in usage), plans=plans,
                                preferences=Preferences(**preferences), current_terms=current_terms, top_n=top_n)


@pytest.fixture(scope="session")
def inputs_for() -> Callable[..., RecommendationInputs]:
    """inputs_for(usage=…, plans=…, current_terms=…, top_n=…, max_monthly_budget=…, …);
    the defaults are the five plans and a summer-peaking, stable year."""
    return make_inputs


@pytest.fixture
def inputs() -> RecommendationInputs:
    return make_inputs()


@pytest.fixture
def facts(inputs) -> Facts:
    return compute_facts(inputs)
