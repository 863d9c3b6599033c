"""Time that tests control: a clock that sleeping advances, and a cache whose entries expire on it."""

from typing import Any

_MISSING = object()


class FakeClock:
    """Both a monotonic and a wall clock. `sleep` records the wait and moves time on at once."""

    def __init__(self, start: float = 1_700_000_000.0):
        self.now = start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class ClockedCache:
    """The part of Django's cache API the circuit breaker uses, with expiry on a FakeClock."""

    def __init__(self, clock: FakeClock):
        self.clock = clock
        self.entries: dict[str, tuple[Any, float | None]] = {}

    def get(self, key: str, default: Any = None) -> Any:
        value, expires = self.entries.get(key, (_MISSING, None))
        if value is _MISSING or (expires is not None and self.clock.time() >= expires):
            return default
        return value

    def set(self, key: str, value: Any, timeout: float | None = None) -> None:
        self.entries[key] = (value, None if timeout is None else self.clock.time() + timeout)

    def add(self, key: str, value: Any, timeout: float | None = None) -> bool:
        if self.get(key, _MISSING) is not _MISSING:
            return False
        self.set(key, value, timeout)
        return True

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        return {key: value for key in keys if (value := self.get(key, _MISSING)) is not _MISSING}

    def incr(self, key: str, delta: int = 1) -> int:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise ValueError(f"Key '{key}' not found")
        self.entries[key] = (value + delta, self.entries[key][1])
        return value + delta

    def delete(self, key: str) -> bool:
        return self.entries.pop(key, None) is not None
