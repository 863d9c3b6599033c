"""The lease every claimable piece of background work is held under (a benchmark unit, a judge's
score of one output): claimed with a conditional update `queued → running` under a fresh token and
a lease, stored only while that token still holds the lease, handed back when the process stops,
and requeued or failed by the reaper when the lease runs out. One mechanism for every kind of
unit, so that "nothing lost" is argued once.

A leased model has the fields `status` (with QUEUED, RUNNING and FAILED among its choices),
`attempts`, `claim_token`, `lease_expires_at`, `started_at`, `finished_at` and `error`."""

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone


def claim(model: type[models.Model], candidate_ids: Iterable[int]) -> tuple[int, str] | None:
    """Claim the first of the candidates still queued: (its id, the claim token), or None when
    other workers took them all first."""
    lease = timedelta(seconds=settings.BENCHMARK_LEASE_S)
    for pk in candidate_ids:
        token = secrets.token_hex(16)
        claimed = model.objects.filter(pk=pk, status=model.Status.QUEUED).update(
            status=model.Status.RUNNING, claim_token=token, lease_expires_at=timezone.now() + lease,
            started_at=timezone.now(), attempts=F("attempts") + 1,
        )
        if claimed == 1:
            return pk, token
    return None


def store(model: type[models.Model], pk: int, token: str, fields: dict) -> bool:
    """Write a result only while `token` still holds the lease: a worker that lost it (too slow,
    or presumed dead and the unit requeued) has its late result discarded."""
    return model.objects.filter(pk=pk, status=model.Status.RUNNING, claim_token=token).update(**fields) == 1


def hand_back(model: type[models.Model], pk: int, token: str) -> bool:
    """Put a unit this worker was running back in the queue, as if never claimed: the process is
    stopping, which is no fault of the unit, so the attempt does not count."""
    return model.objects.filter(pk=pk, status=model.Status.RUNNING, claim_token=token).update(
        status=model.Status.QUEUED, claim_token="", lease_expires_at=None, started_at=None,
        attempts=F("attempts") - 1,
    ) == 1


def reap(model: type[models.Model], now: datetime | None = None) -> tuple[int, int]:
    """Requeue units whose lease expired (their worker died or stalled), or fail them after
    BENCHMARK_MAX_ATTEMPTS, so every unit ends in a terminal state. Returns (requeued, failed).
    Call it inside a transaction."""
    now = now or timezone.now()
    max_attempts = settings.BENCHMARK_MAX_ATTEMPTS
    expired = model.objects.filter(status=model.Status.RUNNING, lease_expires_at__lt=now)
    failed = expired.filter(attempts__gte=max_attempts).update(
        status=model.Status.FAILED, finished_at=now, claim_token="",
        error=f"lease expired {max_attempts} times; the worker died or stalled")
    requeued = expired.filter(attempts__lt=max_attempts).update(
        status=model.Status.QUEUED, claim_token="", lease_expires_at=None)
    return requeued, failed
