"""The rating tests' helpers: the rating pages' addresses; outputs to rate, built by hand (PAYLOAD
and INPUTS are copied from a rules-engine output for the seeds' "low usage, seasonal" scenario,
recommendations in the output's order), one at a time or in bulk; raters, their logged-in clients
their ratings written straight to the table, and their votes on pairs as if the pair queue had
served them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.test import Client

from evaluation.models import BenchmarkRun, BenchmarkSuite, JudgeScore, Judging, PairwiseComparison, QualityRating, RatingItem
from evaluation.ratings.actions import compare_pair
from evaluation.ratings.pairs import serve
from evaluation.seeds.accounts import seed_groups

QUEUE_URL = "/rate/"
NEXT_URL = "/rate/next/"
PAIR_URL = "/rate/pair/"
LEADERBOARD_URL = "/rate/leaderboard/"


def item_url(item: RatingItem) -> str:
    return f"/rate/item/{item.public_id}/"


STAGES = ("usage_summary", "plan_scoring", "narrative")  # a recommendation's stages, each served by a model

INPUTS = {
    "monthly_usage_kwh": [420, 390, 330, 280, 300, 410, 480, 495, 400, 310, 330, 410],
    "current_plan": {"rate_cents": 17.0, "base_fee": 4.95},
}


def plan(rank: int, name: str, provider: str, annual: float, monthly: float, renewable: int, contract: int,
         score: float) -> dict:
    return {
        "rank": rank, "plan_id": rank + 10, "plan_name": name, "provider": provider, "projected_annual_cost": annual,
        "projected_monthly_costs": [monthly] * 12, "annual_savings": round(833.75 - annual, 2),
        "renewable_pct": renewable, "contract_months": contract, "score": score, "constraints_met": True,
        "why": f"Ranked #{rank}: ${annual:,.2f} a year, about ${monthly:,.2f} a month, {renewable}% renewable, "
               f"{contract}-month contract.",
    }


PAYLOAD = {
    "usage_summary": {
        "total_kwh": 4555.0, "average_monthly_kwh": 379.58, "peak_month": "August", "peak_kwh": 495.0,
        "lowest_month": "April", "lowest_kwh": 280.0, "seasonal_pattern": "summer-peaking", "trend": "rising",
        "summary": "Usage averages 380 kWh a month, peaking at 495 kWh in August; the pattern is summer-peaking and the "
                   "trend is rising.",
    },
    "recommendations": [
        plan(1, "Bluebonnet Green 12", "Bluebonnet Energy", 663.05, 55.25, 100, 12, 93.9),
        plan(2, "Prairie Wind 100 Thirty-Six", "Prairie Wind Power", 658.50, 54.88, 100, 36, 87.8),
        plan(3, "Bluebonnet Saver 12", "Bluebonnet Energy", 640.28, 53.36, 6, 12, 87.3),
    ],
}


def make_item(model_key: str, *, scenario_key: str = "scenario:1", automatic_quality: float | None = None,
              payload: dict | None = None, inputs: dict | None = None) -> RatingItem:
    return RatingItem.objects.create(source=RatingItem.Source.BENCHMARK, scenario_key=scenario_key, model_key=model_key,
                                     payload=PAYLOAD if payload is None else payload,
                                     inputs=INPUTS if inputs is None else inputs, automatic_quality=automatic_quality)


BULK_MODELS = ("test/x", "test/y", "test/z")


def bulk_items(scenarios: int, per_model: int = 1, start: int = 0) -> None:
    """per_model outputs of each of BULK_MODELS for each of the inputs scenario:start … scenario:start+scenarios-1."""
    RatingItem.objects.bulk_create([
        RatingItem(source=RatingItem.Source.BENCHMARK, scenario_key=f"scenario:{n}", asked_key=model, model_key=model,
                   payload=PAYLOAD)
        for n in range(start, start + scenarios) for model in BULK_MODELS for _ in range(per_model)
    ])


def rater(username: str, group_name: str | None) -> AbstractBaseUser:
    """An admin user (the rating pages live in the admin) in one of the demo groups, or in none."""
    seed_groups()
    user = get_user_model().objects.create_user(username, is_staff=True)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def client_for(user: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rate(item: RatingItem, user: AbstractBaseUser, overall: int, **fields) -> QualityRating:
    """A rating written straight to the table (the action is tested on its own)."""
    scores = {"why_sensible": overall, "values_reasonable": overall, **fields}
    return QualityRating.objects.create(item=item, rater=user, overall=overall, **scores)


def vote(left: RatingItem, right: RatingItem, user: AbstractBaseUser, choice: str) -> PairwiseComparison:
    """The user's choice on the pair left (a) and right (b), as if the pair queue had served it."""
    return compare_pair(serve(user, left, right), rater=user, choice=choice)


def judging_of(judge_key: str) -> Judging:
    """A judging on a run of its own, for scores written straight to the table."""
    suite, _ = BenchmarkSuite.objects.get_or_create(name="judged")
    return Judging.objects.create(run=BenchmarkRun.objects.create(suite=suite), judge_key=judge_key)


def judge(item: RatingItem, judging: Judging, overall: int | None, **fields) -> JudgeScore:
    """A judge's score written straight to the table: done with `overall` (the other scores the
    same), or failed when `overall` is None."""
    if overall is None:
        return JudgeScore.objects.create(judging=judging, item=item, judge_key=judging.judge_key,
                                         status=JudgeScore.Status.FAILED, error="unparseable answer", **fields)
    return JudgeScore.objects.create(judging=judging, item=item, judge_key=judging.judge_key, status=JudgeScore.Status.DONE,
                                     why_sensible=overall, values_reasonable=overall, overall=overall, **fields)
