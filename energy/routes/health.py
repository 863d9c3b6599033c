"""Is the service up: one word for anyone (load balancers, probes), the readings behind it for a key.

`down` (503, so that a load balancer takes the instance out): the database does not answer, so
nothing can be served or recorded. `degraded` (200): serving, with a part impaired: the task
broker (queued requests and benchmarks wait) or the inference engine (the embedded model's
stages fall back to the rules engine). The readings name the database vendor, the broker's
queue and the engine's load, which are nobody's business without a key; even with one they
carry no address or exception text."""

import time

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from energy.engine import state as engine_state
from energy.schemas import HealthDetailsOut, HealthOut

router = Router(tags=["health"])

# The engine's reading without its address and its error's text (e.g. the connection refused there).
ENGINE_INTERNALS = ("url", "error")

def database_status() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "vendor": connection.vendor, "latency_ms": round((time.perf_counter() - started) * 1000, 2)}
    except Exception as exc:
        return {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}


def broker_status() -> dict:
    """Whether tasks can be queued, and whether the cluster keeps up (age of the oldest queued task)."""
    kind = "redis" if settings.Q_CLUSTER.get("redis") else "orm"
    try:
        if kind == "orm":
            from django_q.models import OrmQ

            oldest = OrmQ.objects.order_by("id").values_list("lock", flat=True).first()
            queued = OrmQ.objects.count()
            age = None if oldest is None else round((timezone.now() - oldest).total_seconds(), 1)
            return {"ok": True, "kind": kind, "queued": queued, "oldest_queued_s": age}
        from django_q.brokers import get_broker

        return {"ok": bool(get_broker().ping()), "kind": kind}
    except Exception as exc:
        return {"ok": False, "kind": kind, "error": type(exc).__name__}


def level(*, database_ok: bool, others_ok: bool) -> str:
    if not database_ok:
        return "down"
    return "up" if others_ok else "degraded"


async def readings() -> dict:
    database = await sync_to_async(database_status)()
    broker = await sync_to_async(broker_status)()
    # Fresh, not the admission's shared reading: "is it back?" is what a caller here asks.
    engine = await engine_state.current(max_age_s=0)
    # An engine that is down or loading costs the embedded model's stages their model (they fall
    # back to the rules engine), not the service; a database that does not answer costs everything.
    status = level(database_ok=database["ok"], others_ok=broker["ok"] and engine.up)
    engine_reading = {name: value for name, value in engine.as_dict().items() if name not in ENGINE_INTERNALS}
    return {"status": status, "database": database, "broker": broker, "engine": engine_reading}


@router.get("/health", auth=None, response={200: HealthOut, 503: HealthOut},
            summary="Up, degraded or down (no key needed)",
            description="`up`: every part works. `degraded` (200): serving, with the task broker or the inference "
                        "engine impaired (the embedded model's stages fall back to the rules engine). `down` (503): "
                        "the database does not answer, so nothing can be served. The readings behind it are at "
                        "GET /health/details, with a key.")
async def health(request: HttpRequest):
    status = (await readings())["status"]
    return Status(503 if status == "down" else 200, {"status": status})


@router.get("/health/details", response={200: HealthDetailsOut},
            summary="The readings behind the health status: database, task broker, inference engine",
            description="`database`: ok, vendor, latency_ms (or error: the exception's class). `broker`: ok, kind "
                        "(orm | redis), and for the ORM broker queued and oldest_queued_s. `engine`: status (ok | "
                        "loading | down), models, slots, processing, deferred, tokens_predicted, tokens_per_s, "
                        "recent_tokens_per_s. Needs the `read` scope.")
async def health_details(request: HttpRequest):
    return await readings()
