"""Where a request's synchronous work runs: the ORM, the cache and sync views.

Django's ASGI handler gives every request a thread of its own (asgiref's ThreadSensitiveContext)
and shuts it down when the request ends. The thread's database connection goes with it, so every
request opened a new one: on SQLite, opening it and running its PRAGMAs took 11 % of a cache
hit's time, and starting and joining the thread another 4 % (py-spy, docs/performance.md).

Here each request's sync work runs on one of a few long-lived threads instead, the least busy
when the request starts, and each thread keeps its connection (CONN_MAX_AGE; on PostgreSQL the
pool hands connections out). Work stays one-at-a-time per request, as Django expects, and one
slow request (an admin page, a database lock) holds up only the requests sharing its thread.

The context objects live as long as the process, so a shielded write that outlives its request
(a cancelled call recorded as cancelled) still finds its thread.
"""

from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import SyncToAsync, ThreadSensitiveContext
from django.db import connections


class SyncThreads:
    """ASGI middleware: `threads` long-lived sync threads shared by the requests of this process."""

    def __init__(self, app, threads: int):
        self.app = app
        self.contexts = [ThreadSensitiveContext() for _ in range(threads)]
        self.executors = [ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"django-sync-{number}")
                          for number in range(threads)]
        for context, executor in zip(self.contexts, self.executors, strict=True):
            SyncToAsync.context_to_thread_executor[context] = executor
        self.requests = [0] * threads  # requests running on each thread

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        index = min(range(len(self.requests)), key=self.requests.__getitem__)
        self.requests[index] += 1
        # Django's own ThreadSensitiveContext, inside, finds this one set and leaves it in place.
        token = SyncToAsync.thread_sensitive_context.set(self.contexts[index])
        try:
            return await self.app(scope, receive, send)
        finally:
            SyncToAsync.thread_sensitive_context.reset(token)
            self.requests[index] -= 1

    def close_connections(self) -> None:
        """Close the database connections the threads keep (each thread owns its own), e.g. before
        a test database is dropped."""
        for executor in self.executors:
            executor.submit(connections.close_all).result()
