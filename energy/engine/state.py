"""What the inference engine is doing now, read from its own endpoints: `/health` (up, or still
loading), `/slots` (how many requests it decodes at once, and how many it is decoding),
`/metrics` (requests waiting for a slot, tokens generated and the time spent on them) and
`/v1/models`. Admission reads it before every engine call, so a reading is shared for
ENGINE_STATE_TTL_S within a process; health, the switchboard and the catalog show it.
"""

import asyncio
import time
from dataclasses import asdict, dataclass, field, replace

import httpx
from asgiref.sync import async_to_sync
from django.conf import settings

from energy.llm.http import get_client

# Local and small: an engine that takes longer than this to say how it is is not serving.
READ_TIMEOUT = httpx.Timeout(1.0)


@dataclass(frozen=True)
class EngineState:
    url: str
    status: str  # ok | loading | down
    error: str = ""
    models: list[str] = field(default_factory=list)
    slots: int = 0
    processing: int = 0  # requests being decoded
    deferred: int = 0  # requests waiting for a free slot
    tokens_predicted: int = 0
    # Generation speed of one request: tokens per second of the engine's generation time.
    tokens_per_s: float | None = None
    # The engine's output as a whole since the previous reading in this process (all slots).
    recent_tokens_per_s: float | None = None
    read_at: float = 0.0  # time.monotonic()

    @property
    def up(self) -> bool:
        return self.status == "ok"

    @property
    def busy(self) -> int:
        """Requests the engine holds: decoding or waiting for a slot."""
        return self.processing + self.deferred

    def as_dict(self) -> dict:
        fields = asdict(self)
        del fields["read_at"]
        return fields


_last: EngineState | None = None
# (when, tokens predicted by then): the start of the window `recent_tokens_per_s` is measured over.
_baseline: tuple[float, int] | None = None
RATE_WINDOW_S = (1.0, 10.0)  # at least one second of data; started afresh after ten
_refreshing: "dict[asyncio.AbstractEventLoop, asyncio.Task[EngineState]]" = {}


async def current(*, max_age_s: float | None = None) -> EngineState:
    """The latest reading, refreshed when older than `max_age_s` (ENGINE_STATE_TTL_S). Callers
    that ask at the same moment share one refresh."""
    max_age_s = settings.ENGINE_STATE_TTL_S if max_age_s is None else max_age_s
    if _last is not None and _last.url == settings.ENGINE_URL and time.monotonic() - _last.read_at <= max_age_s:
        return _last
    loop = asyncio.get_running_loop()
    task = _refreshing.get(loop)
    if task is None:
        task = _refreshing[loop] = loop.create_task(_refresh())
        # Workers and async_to_sync run a fresh loop per call: keep no entry for a loop once done.
        task.add_done_callback(lambda _: _refreshing.pop(loop, None))
    return await asyncio.shield(task)


def current_sync(*, max_age_s: float | None = None) -> EngineState:
    """For sync views (the switchboard, the catalog)."""
    return async_to_sync(current)(max_age_s=max_age_s)


async def _refresh() -> EngineState:
    global _last
    state = await read(settings.ENGINE_URL)
    _last = with_recent_rate(state)
    return _last


def with_recent_rate(state: EngineState) -> EngineState:
    global _baseline
    if not state.up:
        _baseline = None
        return state
    recent = None
    if _baseline is not None and state.tokens_predicted >= _baseline[1]:
        elapsed = state.read_at - _baseline[0]
        if elapsed >= RATE_WINDOW_S[0]:
            recent = round((state.tokens_predicted - _baseline[1]) / elapsed, 1)
        if elapsed < RATE_WINDOW_S[1]:
            return replace(state, recent_tokens_per_s=recent)
    _baseline = (state.read_at, state.tokens_predicted)  # the first reading, a restarted engine, or a stale window
    return replace(state, recent_tokens_per_s=recent)


async def read(url: str) -> EngineState:
    client, _ = get_client()
    now = time.monotonic()
    try:
        health = await client.get(f"{url}/health", timeout=READ_TIMEOUT)
        if health.status_code == 503:  # llama-server answers 503 while it loads the model
            return EngineState(url=url, status="loading", error="loading the model", read_at=now)
        health.raise_for_status()
        slots, metrics, models = await asyncio.gather(
            client.get(f"{url}/slots", timeout=READ_TIMEOUT),
            client.get(f"{url}/metrics", timeout=READ_TIMEOUT),
            client.get(f"{url}/v1/models", timeout=READ_TIMEOUT),
        )
        for response in (slots, metrics, models):
            response.raise_for_status()
        slot_list = slots.json()
        gauges = parse_metrics(metrics.text)
        listed = models.json()
        model_names = [m.get("id") or m.get("name") for m in listed.get("data") or listed.get("models") or []]
    except (httpx.HTTPError, ValueError, TypeError, AttributeError) as exc:
        return EngineState(url=url, status="down", error=f"{type(exc).__name__}: {exc}"[:200], read_at=now)
    predicted = int(gauges.get("llamacpp:tokens_predicted_total", 0))
    generation_s = gauges.get("llamacpp:tokens_predicted_seconds_total", 0.0)
    return EngineState(
        url=url, status="ok", models=[name for name in model_names if name],
        slots=len(slot_list), processing=sum(1 for s in slot_list if s.get("is_processing")),
        deferred=int(gauges.get("llamacpp:requests_deferred", 0)),
        tokens_predicted=predicted,
        tokens_per_s=round(predicted / generation_s, 1) if generation_s > 0 else None,
        read_at=now,
    )


def parse_metrics(text: str) -> dict[str, float]:
    """Prometheus text format, the unlabelled samples llama-server exports."""
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition(" ")
            try:
                values[name] = float(value)
            except ValueError:
                continue
    return values
