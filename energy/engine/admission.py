"""Whether an engine call may be sent, from the engine's measured service time.

- A live call that cannot start and finish within its request's remaining deadline is not
  sent: `EngineBusy`, and the stage falls back at once rather than queue past the deadline.
  Its service time is what calls like it (same model, same stage) took the engine lately,
  under the load of the time; its wait is its place in the engine's queue.
- Background calls (benchmark units, probes) wait their turn: they start only while the engine
  serves nothing else (no other process's request decoding or waiting, no live call of this
  process). Every request shares the same cores, so a background call that overlaps live ones
  slows them down (bench/embedded_serving.py measures by how much). A benchmark can yield to
  live traffic for as long as its own deadline allows; the wait is recorded as queue time,
  apart from the inference time.
"""

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from energy.engine import state as engine_state
from energy.llm.base import EngineBusy, ModelRef
from energy.llm.deadline import Deadline

# Weight of the newest observation in the moving average of service times.
SMOOTHING = 0.3
POLL_S = 0.1


@dataclass
class ServiceTimes:
    """Moving averages of the engine's own time per call (prompt + generation), by model and
    stage: a stage's calls ask for similar token counts, so their recent past predicts them."""

    seconds: dict[tuple[str, str], float]

    def observe(self, model_key: str, stage: str, service_s: float) -> None:
        key = (model_key, stage)
        old = self.seconds.get(key)
        self.seconds[key] = service_s if old is None else (1 - SMOOTHING) * old + SMOOTHING * service_s

    def estimate(self, model_key: str, stage: str) -> float | None:
        return self.seconds.get((model_key, stage))


service_times = ServiceTimes({})
# Engine calls this process has sent and not seen finish, live and background: the engine's own
# counts lag behind a burst that arrives within one reading.
_in_flight = 0
_background_in_flight = 0


def expected_wait_s(busy: int, slots: int, service_s: float) -> float:
    """Until a slot frees for a call that finds `busy` requests ahead of it: none while a slot is
    free; else one service time for each full round of slots ahead of it."""
    if slots <= 0 or busy < slots:
        return 0.0
    return (busy - slots + 1) / slots * service_s


async def admit(model: ModelRef, stage: str, deadline: Deadline, *, background: bool) -> float:
    """Wait for the engine if `background`, then decide. Returns the seconds waited; raises
    EngineBusy when the call could not finish within the deadline."""
    started = time.monotonic()
    if background:
        await _wait_for_idle_engine(model, deadline)
    state = await engine_state.current()
    service_s = service_times.estimate(model.key, stage)
    if not state.up or service_s is None:
        # Down: the call fails at once and the stage falls back (and a restarted engine is
        # found by the next call). Never measured: the first call measures it.
        return time.monotonic() - started
    busy = max(state.busy, _in_flight)
    wait_s = expected_wait_s(busy, state.slots, service_s)
    if wait_s + service_s > deadline.remaining():
        raise EngineBusy(
            f"{model.key}: the engine holds {busy} requests on {state.slots} slots; this call would take about "
            f"{wait_s + service_s:.1f} s ({wait_s:.1f} s waiting), {deadline.remaining():.1f} s are left"
        )
    return time.monotonic() - started


async def _wait_for_idle_engine(model: ModelRef, deadline: Deadline) -> None:
    """Until the engine serves nothing but this process's own background calls (a benchmark
    unit's narrative sends its calls together)."""
    while True:
        state = await engine_state.current()
        live_here = _in_flight - _background_in_flight
        if not state.up or (state.deferred == 0 and live_here == 0 and state.processing <= _background_in_flight):
            return
        if not deadline.allows(POLL_S):
            raise EngineBusy(f"{model.key}: live requests kept the engine busy until the deadline")
        await asyncio.sleep(POLL_S)


@contextmanager
def in_flight(*, background: bool) -> Iterator[None]:
    global _in_flight, _background_in_flight
    _in_flight += 1
    _background_in_flight += background
    try:
        yield
    finally:
        _in_flight -= 1
        _background_in_flight -= background
