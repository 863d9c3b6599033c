"""The permission matrix's cast: the five actors and one real row of everything a URL can name,
built once per module on the seeded demo data (the seed functions, as `seed_demo` runs them)."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone
from django_q.models import Failure, OrmQ, Schedule, Success

from energy.models import ApiKey, LLMCall, Plan, Recommendation
from evaluation.benchmarks.actions import start_benchmark
from evaluation.models import (
    AIModel,
    BenchmarkSuite,
    CatalogChange,
    Council,
    LiveFigureBucket,
    ModelProbe,
    RatingCollectionMark,
    RatingItem,
    RoutingPolicy,
    Slot,
    Tier,
)
from evaluation.seeds.accounts import seed_groups, seed_users
from evaluation.seeds.benchmarks import SUITE_NAME, seed_benchmarks
from evaluation.seeds.catalog import seed_catalog
from evaluation.seeds.councils import seed_councils
from evaluation.seeds.plans import seed_plans
from evaluation.seeds.routing import seed_routing
from evaluation.seeds.slots import seed_slots
from evaluation.slots.actions import switch_slot
from tests.conftest import rules_kind_model

ACTORS = ("anonymous", "customer", "staff", "operator", "superuser")

# A second rules-engine model: a switch target whose live probe needs no network.
SPARE_MODEL = "test/rules-matrix"


@dataclass(frozen=True)
class Actor:
    """What a caller holds: a session (for the pages) and an API key (for the API); each actor
    presents both on every request, so the matrix also shows that neither opens the other's door."""

    user: AbstractBaseUser | None
    raw_key: str | None


@dataclass(frozen=True)
class Cast:
    actors: dict[str, Actor]
    ids: dict[str, Any]  # what the URL templates' {placeholders} name


def seed_demo() -> None:
    seed_plans()
    seed_catalog()
    seed_councils()
    seed_slots()
    seed_routing()
    seed_benchmarks()
    seed_groups()
    seed_users("matrix-password")


def build_actors() -> dict[str, Actor]:
    users = get_user_model().objects
    # A customer's key acts for no user (what `create_api_key` makes); the customer's own login, if
    # they had one, would be a plain account without staff status.
    customer = users.create_user("customer")
    _, customer_key = ApiKey.generate("customer", scopes=ApiKey.USERLESS_SCOPES)
    actors = {"anonymous": Actor(None, None), "customer": Actor(customer, customer_key)}
    # The seeded demo accounts (evaluation/seeds/accounts.py), each with a key of every scope it may hold.
    for actor, username in (("staff", "staff"), ("operator", "operator"), ("superuser", "admin")):
        user = users.get(username=username)
        _, raw_key = ApiKey.generate(f"{username}'s key", user=user)
        actors[actor] = Actor(user, raw_key)
    return actors


RECOMMENDATION_BODY = {"monthly_usage_kwh": [1100, 1000, 900, 850, 1000, 1400, 1800, 1900, 1500, 1000, 950, 1150],
                       "mode": "accurate"}  # accurate: served by a rules-engine model, no network


def customers_recommendation(customer: Actor) -> Recommendation:
    """A finished recommendation the customer's key asked for, through the API as a customer would."""
    response = Client().post("/api/v1/recommendations", RECOMMENDATION_BODY, content_type="application/json",
                             headers={"Authorization": f"Bearer {customer.raw_key}"})
    assert response.status_code == 200, response.content
    return Recommendation.objects.get(pk=response.json()["id"])


def build_rows(actors: dict[str, Actor]) -> dict[str, Any]:
    """One row of each kind a URL names, and the API's objects."""
    operator = actors["operator"].user
    spare = rules_kind_model(SPARE_MODEL, AIModel.objects.get(key="builtin/rules").provider)
    # A switch to roll back: the accurate slot moves to the spare model, audited.
    change = switch_slot("accurate", spare, acting_user=operator, reason="the matrix needs a change to roll back")
    recommendation = customers_recommendation(actors["customer"])
    call = LLMCall.objects.create(recommendation=recommendation, stage="narrative", model_key="builtin/rules",
                                  provider_kind="rules", status=LLMCall.Status.SUCCEEDED, started_at=timezone.now())
    run = start_benchmark(BenchmarkSuite.objects.get(name=SUITE_NAME), ["builtin/rules"], acting_user=operator,
                          repetitions=1, warmup_repetitions=0)
    payload = {"recommendations": [{"rank": 1, "plan_id": 1, "plan_name": "Saver 12", "why": "Cheapest."}]}
    # Two models' outputs for one input: a pair to serve, besides the item to rate.
    item_a, _ = (RatingItem.objects.create(source="benchmark", scenario_key="matrix", model_key=key, payload=payload,
                                           inputs={"monthly_usage_kwh": [1000] * 12})
                 for key in ("builtin/rules", SPARE_MODEL))
    task = {"name": "matrix", "func": "math.floor", "started": timezone.now(), "stopped": timezone.now()}
    plan = Plan.objects.first()
    return {
        # the admin's objects, as {<model name>_id}
        "group_id": Group.objects.get(name="Product staff").pk,
        "user_id": actors["customer"].user.pk,
        "schedule_id": Schedule.objects.first().pk,
        "success_id": Success.objects.create(id="matrix-success", success=True, **task).pk,
        "failure_id": Failure.objects.create(id="matrix-failure", success=False, **task).pk,
        "ormq_id": OrmQ.objects.create(key="matrix", payload="x", lock=timezone.now()).pk,
        "plan_id": plan.pk,
        "recommendation_id": recommendation.pk,
        "llmcall_id": call.pk,
        "apikey_id": ApiKey.objects.get(user=operator).pk,
        "provider_id": spare.provider.pk,
        "aimodel_id": spare.pk,
        "council_id": Council.objects.first().pk,
        "slot_id": Slot.objects.get(name="accurate").pk,
        "slotchange_id": change.pk,
        "catalogchange_id": CatalogChange.objects.create(
            object_type=CatalogChange.ObjectType.MODEL, object_id=spare.pk, object_label=spare.key,
            before={"display_name": "old"}, after={"display_name": spare.display_name}, acting_user=operator,
            reason="rename").pk,
        "modelprobe_id": ModelProbe.objects.create(model=spare, slot_name="accurate", ok=True, latency_ms=1.0).pk,
        "livefigurebucket_id": LiveFigureBucket.objects.create(
            model_key=SPARE_MODEL, start=timezone.now().replace(second=0, microsecond=0), finished=1).pk,
        "ratingcollectionmark_id": RatingCollectionMark.objects.create(name="matrix").pk,
        "routingpolicy_id": RoutingPolicy.objects.first().pk,
        "tier_id": Tier.objects.first().pk,
        "benchmarksuite_id": run.suite_id,
        "benchmarkrun_id": run.pk,
        # the pages' objects
        "plan_type_id": ContentType.objects.get_for_model(Plan).pk,
        "route_id": run.routes.get().pk,
        "public_id": item_a.public_id,
        # the API's path parameters, named as in the OpenAPI schema (and recommendation_id above)
        "slot": "accurate",
        "run_id": run.pk,
        "key": "builtin/rules",
    }


def build_cast() -> Cast:
    seed_demo()
    actors = build_actors()
    return Cast(actors=actors, ids=build_rows(actors))
