"""Whose calls a model's circuit breaker counts and a provider's pause binds: live traffic's or
benchmarks'. A benchmark hammering a weak model must not take it out of live service (issue 14),
so each scope keeps its own breakers and pauses in the shared cache.

- Breakers: a scope's calls are counted, judged and probed in that scope only. A benchmark's
  failures open the benchmark breaker, live failures the live one; a benchmark measures what the
  model does, not what live traffic lately saw of it.
- Pauses (a long Retry-After, a daily quota, an X-RateLimit window at 0) are what a provider says
  of its account. One learned by a live call binds both scopes: benchmarks back off while live
  traffic is throttled rather than spend the account live is waiting for. One learned by a
  benchmark call binds benchmarks only: live traffic finds out with a call of its own (one call
  each at most, after which the pause is live's too), where trusting it would let a benchmark
  pause live serving.

Live is every call that is not a benchmark's: recommendations, and the probes of the models that
serve (or are about to serve) the slots, which ask what live traffic would get.
"""

from typing import Literal

Scope = Literal["live", "benchmark"]
LIVE: Scope = "live"
BENCHMARK: Scope = "benchmark"
SCOPES: tuple[Scope, ...] = (LIVE, BENCHMARK)


def pauses_obeyed(scope: Scope) -> tuple[Scope, ...]:
    """The scopes whose provider pauses a call of `scope` obeys."""
    return (LIVE,) if scope == LIVE else (LIVE, BENCHMARK)


def scoped_key(prefix: str, scope: Scope, name: str) -> str:
    """The cache key of `scope`'s state about `name` (a model, a provider). The scope comes before
    the name, so that no name, whatever its characters, reaches another scope's keys."""
    return f"{prefix}{scope}:{name}"
