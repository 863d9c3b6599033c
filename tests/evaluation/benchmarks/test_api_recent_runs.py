import pytest
from asgiref.sync import sync_to_async

from evaluation.benchmarks.actions import start_benchmark


@pytest.mark.django_db(transaction=True)
async def test_it_lists_recent_runs_newest_first_to_any_key(async_client, auth_headers, suite, rules_a, queued_tasks):
    _, second, third = [await sync_to_async(start_benchmark)(suite, ["test/rules-a"], acting_user=None, repetitions=1,
                                                              warmup_repetitions=0, label=label)
                       for label in ("one", "two", "three")]

    response = await async_client.get("/api/v1/benchmarks?limit=2", headers=auth_headers)

    assert response.status_code == 200
    runs = response.json()
    assert [(r["id"], r["label"]) for r in runs] == [(third.pk, "three"), (second.pk, "two")]
    assert runs[0]["progress"]["total"] == 8
    assert runs[0]["routes"] == [{"id": runs[0]["routes"][0]["id"], "label": "test/rules-a",
                                  "stage_models": dict.fromkeys(("usage_summary", "plan_scoring", "narrative"), "test/rules-a")}]
    assert "aggregates" not in runs[0]
