"""The OpenAPI document lists what each operation can answer (issue 14, 6): every problem as
application/problem+json, the answers every keyed operation can give (401, 403, 429 with its
headers), 400 where there is a body; and a URL under the API that names no operation is answered
with a problem too, as the document says, not with Django's HTML page. The live check is
tests/serve/test_schema_conformance.py (Schemathesis)."""

import pytest

PROBLEM = {"$ref": "#/components/schemas/ProblemOut"}


@pytest.fixture
async def schema(async_client) -> dict:
    return (await async_client.get("/api/v1/openapi.json")).json()


def each_operation(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


@pytest.mark.django_db(transaction=True)
async def test_it_documents_every_problem_as_application_problem_json(schema):
    problems = 0
    for name, operation in each_operation(schema):
        for status, response in operation["responses"].items():
            content = response.get("content", {})
            assert content.get("application/json", {}).get("schema") != PROBLEM, f"{name} {status}"
            problems += content.get("application/problem+json", {}).get("schema") == PROBLEM
    assert problems > 50
    assert set(schema["components"]["schemas"]["ProblemOut"]["properties"]) == {"type", "title", "status", "detail",
                                                                                "errors"}


@pytest.mark.django_db(transaction=True)
async def test_it_documents_what_every_keyed_operation_can_answer(schema):
    keyed = [(name, operation) for name, operation in each_operation(schema) if operation.get("security")]
    assert len(keyed) == 18  # all but GET /health
    for name, operation in keyed:
        assert {"401", "403", "406", "429", "503"} <= set(operation["responses"]), name
        too_many = operation["responses"]["429"]
        assert {"Retry-After", "RateLimit-Policy", "RateLimit"} <= set(too_many["headers"]), name
        assert operation["responses"]["401"]["headers"]["WWW-Authenticate"]["required"] is True
        if "requestBody" in operation:
            assert {"400", "422"} <= set(operation["responses"]), name


@pytest.mark.django_db(transaction=True)
async def test_it_documents_the_events_of_a_stream_one_by_one(schema):
    streamed = schema["paths"]["/api/v1/recommendations"]["post"]["responses"]["200"]["content"]["text/event-stream"]

    event = streamed["schema"]
    assert event["required"] == ["event", "data", "id"]
    assert event["properties"]["event"]["enum"] == ["accepted", "plans", "stage", "council", "token", "result", "problem"]


@pytest.mark.django_db(transaction=True)
async def test_it_says_an_amount_is_a_number_or_a_decimal_string_within_its_bounds(schema):
    budget = schema["components"]["schemas"]["PreferencesIn"]["properties"]["max_monthly_budget"]["anyOf"]

    assert budget[0] == {"type": "number", "minimum": 0, "exclusiveMaximum": 100_000}
    assert budget[1]["pattern"] == r"^[0-9]{1,5}(\.[0-9]+)?(E-[0-9]+)?$"
    assert budget[2] == {"type": "null"}


@pytest.mark.parametrize("path", ["/api/v1/models/a%0Ab/quality", "/api/v1/plans/extra",
                                  "/api/v1/no-such-thing"])
@pytest.mark.django_db(transaction=True)
async def test_it_answers_a_url_that_names_no_operation_with_a_problem(async_client, auth_headers, path):
    response = await async_client.get(path, headers=auth_headers)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not found"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("delete", "/api/v1/plans", "GET"), ("post", "/api/v1/health", "GET"), ("put", "/api/v1/benchmarks", "GET, POST"),
])
async def test_it_answers_a_method_a_url_does_not_take_with_a_problem(async_client, auth_headers, method, path, allowed):
    response = await getattr(async_client, method)(path, headers=auth_headers)

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert sorted(response["Allow"].split(", ")) == allowed.split(", ")
    assert response.json()["errors"][0]["field"] == "method"


@pytest.mark.django_db(transaction=True)
async def test_it_still_answers_a_page_that_does_not_exist_with_html(async_client):
    response = await async_client.get("/rate/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
