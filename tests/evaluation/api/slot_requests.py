"""The two slot writes, as a client sends them."""

from django.http import HttpResponse
from django.test import AsyncClient


async def put_slot(client: AsyncClient, slot: str, body: dict, headers: dict[str, str]) -> HttpResponse:
    return await client.put(f"/api/v1/slots/{slot}", body, content_type="application/json", headers=headers)


async def post_rollback(client: AsyncClient, slot: str, body: dict, headers: dict[str, str]) -> HttpResponse:
    return await client.post(f"/api/v1/slots/{slot}/rollback", body, content_type="application/json", headers=headers)
