"""Django's middleware, with the hooks that need no database run on the event loop.

Under ASGI, Django's MiddlewareMixin sends every `process_request` and `process_response` of
an async request to a sync thread and back. One such trip costs about 170 µs of CPU on an idle
machine (two thread wake-ups; bench.thread_trips, docs/performance.md), and the stack in
settings.MIDDLEWARE made a dozen per request, whatever the request: most of what a cache hit
cost beyond the floor.

The hooks of these classes only read and write headers, cookies and lazy objects, so under ASGI
they run inline instead. Sessions and messages may need the database (saving a session, storing
a message in it): they still take the trip, but only when the request changed them (the admin),
never for the API.

The classes stay Django's own, named as Django names them in settings.MIDDLEWARE: `check
--deploy` recognises security, sessions, CSRF and X-Frame-Options by that name only, so
subclasses would silence its checks. Only their async entry point (`__acall__`, which the sync
path of WSGI and Django's test Client never calls) is replaced, by `run_hooks_on_the_loop()`,
which config/asgi.py calls before it builds the handler.
"""

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.security import SecurityMiddleware

# Hooks that touch headers, cookies and lazy objects only. (CSRF's process_view still takes its
# trip: Django's handler wraps it when it loads the middleware.)
DATABASE_FREE = (SecurityMiddleware, CommonMiddleware, CsrfViewMiddleware, AuthenticationMiddleware,
                 XFrameOptionsMiddleware)


async def inline(self, request):
    response = self.process_request(request) if hasattr(self, "process_request") else None
    response = response or await self.get_response(request)
    if hasattr(self, "process_response"):
        response = self.process_response(request, response)
    return response


async def session_inline_unless_saved(self, request):
    self.process_request(request)  # the session store is lazy: nothing is read yet
    response = await self.get_response(request)
    session = getattr(request, "session", None)
    if session is not None and (session.modified or settings.SESSION_SAVE_EVERY_REQUEST) and not session.is_empty():
        return await sync_to_async(self.process_response)(request, response)  # saves it
    return self.process_response(request, response)


async def messages_inline_unless_used(self, request):
    self.process_request(request)  # the storages are lazy too
    response = await self.get_response(request)
    storage = request._messages
    if storage.used or storage.added_new:  # storing them may load or save the session
        return await sync_to_async(self.process_response)(request, response)
    return self.process_response(request, response)


def run_hooks_on_the_loop() -> None:
    for middleware in DATABASE_FREE:
        middleware.__acall__ = inline
    SessionMiddleware.__acall__ = session_inline_unless_saved
    MessageMiddleware.__acall__ = messages_inline_unless_used
