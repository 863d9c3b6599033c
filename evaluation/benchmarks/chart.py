"""The decision matrix's chart: median latency (x, log scale) against quality (y), with cost
per recommendation as each circle's area. Every coordinate is computed here and the template
only writes the SVG elements: no script, no library, no CDN, so it renders offline."""

import math
from collections.abc import Callable
from dataclasses import dataclass

WIDTH, HEIGHT = 820, 420
# The plot box. The wide right margin leaves room for the labels of the slowest routes, the top
# one for the biggest circle at quality 1.
LEFT, RIGHT, TOP, BOTTOM = 64, WIDTH - 250, 30, HEIGHT - 52
MIN_RADIUS, MAX_RADIUS = 4.0, 26.0
LABEL_HEIGHT, LABEL_WIDTH = 13, 160  # how close two labels may come before one moves down
LABEL_CHARS = 36  # longer labels (per-stage combinations) are cut; the circle's tooltip has them whole
FASTEST_MS = 0.01  # a latency below this is drawn at it (a log scale has no zero)
PALETTE = ("#417690", "#c1473a", "#2e7d32", "#b8860b", "#6a4c93", "#00838f", "#ad1457", "#5d4037")


@dataclass(frozen=True)
class Datum:
    label: str
    latency_ms: float  # p50
    quality: float  # 0–1
    cost: float  # USD per recommendation


@dataclass(frozen=True)
class Point:
    datum: Datum
    x: float
    y: float
    r: float
    label_x: float
    label_y: float
    color: str

    @property
    def short_label(self) -> str:
        label = self.datum.label
        return label if len(label) <= LABEL_CHARS else f"{label[:LABEL_CHARS - 1]}…"


@dataclass(frozen=True)
class Tick:
    at: float  # pixels along the axis
    label: str


@dataclass(frozen=True)
class Chart:
    points: list[Point]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    max_cost: float
    quality_gate_y: float | None
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = RIGHT
    top: int = TOP
    bottom: int = BOTTOM

    @property
    def plot_width(self) -> int:
        return self.right - self.left

    @property
    def plot_height(self) -> int:
        return self.bottom - self.top

    @property
    def x_middle(self) -> float:
        return (self.left + self.right) / 2

    @property
    def y_middle(self) -> float:
        return (self.top + self.bottom) / 2


def duration_label(ms: float) -> str:
    return f"{ms / 1000:g} s" if ms >= 1000 else f"{ms:g} ms"


def decade_range(latencies: list[float]) -> tuple[int, int]:
    """The powers of ten that enclose every latency, at least one decade apart."""
    low = math.floor(math.log10(min(latencies)))
    high = math.ceil(math.log10(max(latencies)))
    return low, max(high, low + 1)


def x_ticks(low: int, high: int, to_x: Callable[[float], float]) -> list[Tick]:
    # 1-2-5 steps while they fit; one tick per decade on wide ranges.
    steps = (1, 2, 5) if high - low <= 2 else (1,)
    values = [round(step * 10.0**exponent, 6) for exponent in range(low, high + 1) for step in steps]
    return [Tick(at=to_x(value), label=duration_label(value)) for value in values if value <= 10.0**high]


def place_labels(points: list[tuple[Datum, float, float, float]]) -> list[tuple[float, float]]:
    """Each label right of its circle, moved down past labels already placed where they would overlap."""
    placed: list[tuple[float, float]] = []
    for _, x, y, r in points:
        label_x, label_y = x + r + 4, y + 4
        while any(abs(label_y - other_y) < LABEL_HEIGHT and abs(label_x - other_x) < LABEL_WIDTH
                  for other_x, other_y in placed):
            label_y += LABEL_HEIGHT
        placed.append((label_x, label_y))
    return placed


def latency_quality_chart(data: list[Datum], *, quality_gate: float | None = None) -> Chart:
    """Pixel geometry for one circle per datum; area proportional to cost (never below MIN_RADIUS)."""
    quality_gate_y = None if quality_gate is None else round(BOTTOM - min(max(quality_gate, 0), 1) * (BOTTOM - TOP), 1)
    y_ticks = [Tick(at=round(BOTTOM - q / 5 * (BOTTOM - TOP), 1), label=f"{q / 5:.1f}") for q in range(6)]
    if not data:
        return Chart(points=[], x_ticks=[], y_ticks=y_ticks, max_cost=0.0, quality_gate_y=quality_gate_y)
    latencies = [max(d.latency_ms, FASTEST_MS) for d in data]
    low, high = decade_range(latencies)

    def to_x(ms: float) -> float:
        return round(LEFT + (math.log10(ms) - low) / (high - low) * (RIGHT - LEFT), 1)

    max_cost = max(d.cost for d in data)
    geometry = []
    for datum, latency in zip(data, latencies, strict=True):
        share = datum.cost / max_cost if max_cost > 0 else 0.0
        radius = round(max(MIN_RADIUS, MAX_RADIUS * math.sqrt(share)), 1)
        y = round(BOTTOM - min(max(datum.quality, 0.0), 1.0) * (BOTTOM - TOP), 1)
        geometry.append((datum, to_x(latency), y, radius))
    labels = place_labels(geometry)
    points = [
        Point(datum=datum, x=x, y=y, r=r, label_x=round(label_x, 1), label_y=round(label_y, 1),
              color=PALETTE[index % len(PALETTE)])
        for index, ((datum, x, y, r), (label_x, label_y)) in enumerate(zip(geometry, labels, strict=True))
    ]
    return Chart(points=points, x_ticks=x_ticks(low, high, to_x), y_ticks=y_ticks, max_cost=max_cost,
                 quality_gate_y=quality_gate_y)
