"""The time a request has left: a point on the monotonic clock before which every attempt,
backoff and wait made for the request must end."""

import time
from collections.abc import Callable
from dataclasses import dataclass

# Time an attempt needs at the least: waiting until a hair before the deadline (or a rounding
# error past it) only to start a call that cannot finish is no retry.
MIN_TIME_TO_ACT_S = 0.01


@dataclass(frozen=True)
class Deadline:
    at: float  # on `clock`'s scale
    clock: Callable[[], float] = time.monotonic

    def remaining(self) -> float:
        return self.at - self.clock()

    def allows(self, wait_s: float) -> bool:
        """Whether a wait of `wait_s` ends before the deadline, with time left to act after it."""
        return wait_s + MIN_TIME_TO_ACT_S < self.remaining()
