"""Django's middleware, with the hooks that need no database run on the event loop.

Under ASGI, Django's MiddlewareMixin sends every `process_request` and `process_response` of
an async request to a thread and back: two round trips per middleware, a dozen per request for
the stack in settings.MIDDLEWARE, whatever the request. The hooks of these classes only read and
write headers, cookies and lazy objects, so they run inline instead. The messages may need the
database (loading the session to store one): they still take the round trip, but only when the
request used them (the admin), never for the API. Security, sessions, CSRF and X-Frame-Options
stay Django's own classes: `check --deploy` recognises them by name only.

The sync path (WSGI, Django's test Client) is Django's own.
"""

from asgiref.sync import sync_to_async
from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.middleware import common


class InlineHooks:
    """For a MiddlewareMixin whose hooks touch no database."""

    async def __acall__(self, request):
        response = self.process_request(request) if hasattr(self, "process_request") else None
        response = response or await self.get_response(request)
        if hasattr(self, "process_response"):
            response = self.process_response(request, response)
        return response


class CommonMiddleware(InlineHooks, common.CommonMiddleware):
    pass


class AuthenticationMiddleware(InlineHooks, auth.AuthenticationMiddleware):
    """request.user stays lazy: loading it (the database) happens in the view that asks."""


class MessageMiddleware(messages.MessageMiddleware):
    async def __acall__(self, request):
        self.process_request(request)  # the storages are lazy too
        response = await self.get_response(request)
        storage = request._messages
        if storage.used or storage.added_new:  # storing them may load the session
            return await sync_to_async(self.process_response)(request, response)
        return self.process_response(request, response)
