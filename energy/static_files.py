"""WhiteNoise in an async middleware chain.

WhiteNoise's middleware is sync-only. Under ASGI one sync middleware makes Django run the rest
of the chain through the single thread it keeps for sync code, so every request, async views
and all, waits its turn there: concurrent requests to the API were served one at a time
(tests/energy/cache caught it). This subclass is async-capable: a static file is looked up in
WhiteNoise's in-memory table and its response built in a worker thread (it stats and opens a
file); anything else goes straight on to the async chain.
"""

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from whitenoise.middleware import WhiteNoiseMiddleware


class AsyncWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    sync_capable = False
    async_capable = True

    def __init__(self, get_response):
        super().__init__(get_response)
        if not iscoroutinefunction(get_response):
            raise TypeError("AsyncWhiteNoiseMiddleware needs an async middleware chain")
        markcoroutinefunction(self)

    async def __call__(self, request):
        if self.autorefresh:
            static_file = await sync_to_async(self.find_file, thread_sensitive=False)(request.path_info)
        else:
            static_file = self.files.get(request.path_info)
        if static_file is not None:
            return await sync_to_async(self.serve, thread_sensitive=False)(static_file, request)
        return await self.get_response(request)
