"""The least an ASGI request can cost here: an app that answers 200 at once, served by uvicorn
with the product's flags. bench.serving_overhead's `floor` part measures it beside Django's own
404 and an authenticated API read, with the same client, to show what is left for the product."""


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})
