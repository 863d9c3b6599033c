"""The benchmark endpoints, as a client calls them."""

from django.http import HttpResponse
from django.test import AsyncClient


def benchmark_body(**fields) -> dict:
    return {"suite": "eight", "routes": ["test/rules-a"], "repetitions": 2, "warmup_repetitions": 0, **fields}


async def post_benchmark(client: AsyncClient, body: dict, headers: dict[str, str]) -> HttpResponse:
    return await client.post("/api/v1/benchmarks", body, content_type="application/json", headers=headers)
