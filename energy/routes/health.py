import time

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from energy.engine import state as engine_state

router = Router(tags=["health"])


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


@router.get("/health", auth=None, summary="Database, task broker and inference engine (no key needed)")
async def health(request: HttpRequest):
    database = await sync_to_async(database_status)()
    broker = await sync_to_async(broker_status)()
    # Fresh, not the admission's shared reading: "is it back?" is what a caller here asks.
    engine = await engine_state.current(max_age_s=0)
    # An engine that is down or loading costs the embedded model's stages their model (they
    # fall back to the rules engine), not the service.
    status = "ok" if database["ok"] and broker["ok"] and engine.up else "degraded"
    return {"status": status, "database": database, "broker": broker, "engine": engine.as_dict()}
