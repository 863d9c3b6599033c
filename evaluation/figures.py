"""The figures every evaluation page, report and API answer is built from, one implementation
each: percentiles with n, shares, the stable sampling bucket and a route's label.

Percentiles use numpy's linear method and always carry n; p99 is flagged when n is below
SMALL_SAMPLE (with fewer samples it is the maximum in disguise)."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from energy.llm.base import STAGES

SMALL_SAMPLE = 100


@dataclass(frozen=True)
class Percentiles:
    p50: float
    p90: float
    p95: float
    p99: float
    n: int

    @property
    def p99_reliable(self) -> bool:
        return self.n >= SMALL_SAMPLE

    def as_dict(self) -> dict:
        return {"p50": self.p50, "p90": self.p90, "p95": self.p95, "p99": self.p99, "n": self.n,
                "p99_reliable": self.p99_reliable}


def percentiles(samples: list[float]) -> Percentiles | None:
    if not samples:
        return None
    p50, p90, p95, p99 = (round(float(v), 3) for v in np.percentile(samples, [50, 90, 95, 99], method="linear"))
    return Percentiles(p50=p50, p90=p90, p95=p95, p99=p99, n=len(samples))


def three_places(value: float) -> str:
    """A 0–1 figure as every page, report and gate message shows it: three places, rounded half up
    from the figure as stored (0.7875 → "0.788"), as the templates' `floatformat:3` does, where
    f"{0.7875:.3f}" gives "0.787" (the float is a hair below)."""
    return str(Decimal(repr(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def median(samples: list[float]) -> float | None:
    return None if not samples else round(float(np.median(samples)), 3)


@dataclass(frozen=True)
class Share:
    """`hits` out of `n`, e.g. failed calls out of finished calls."""

    hits: int
    n: int

    @property
    def rate(self) -> float | None:
        return round(self.hits / self.n, 4) if self.n else None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else self.rate * 100


def rate(hits: int, n: int) -> float | None:
    return Share(hits, n).rate


def stable_bucket(*parts: object) -> int:
    """0–99, the same for the same parts in every process and on every run: sampling and canary
    splits that neither drift nor depend on Python's per-process hash seed."""
    material = ":".join(map(str, parts)).encode()
    return int(hashlib.sha256(material).hexdigest()[:8], 16) % 100


def route_label(stage_models: Mapping[str, str]) -> str:
    """One key when one model serves every stage, else each stage's model in pipeline order."""
    keys = set(stage_models.values())
    if len(keys) == 1:
        return keys.pop()
    ordered = sorted(stage_models.items(), key=lambda item: STAGES.index(item[0]) if item[0] in STAGES else len(STAGES))
    return " / ".join(f"{stage}={key}" for stage, key in ordered)


@dataclass(frozen=True)
class Tally:
    """How many pieces of work are in each status, and how many of them have ended."""

    by_status: Mapping[str, int]
    ended_statuses: frozenset[str]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def terminal(self) -> int:
        return sum(n for status, n in self.by_status.items() if status in self.ended_statuses)

    @property
    def percent(self) -> float:
        # Nothing to do is all done: an empty run reads 100 %, never a division by zero.
        return 100.0 if self.total == 0 else round(100 * self.terminal / self.total, 1)

    def as_dict(self) -> dict:
        return {**self.by_status, "total": self.total, "terminal": self.terminal, "percent": self.percent,
                "statuses": dict(self.by_status)}
