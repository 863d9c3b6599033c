"""What a rater sees next. Items with the fewest ratings come first, so coverage spreads;
among equals the order is shuffled over the whole pool, per rater (stable for that rater,
different for the next): each item's random queue position, mixed with the rater's own number
in SQL. Neither the order nor the ids come in the blocks items were collected in (one model's
benchmark outputs together), so no rater sees the models in a telling order."""

import hashlib
from collections.abc import Iterator
from itertools import combinations, islice

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F

from evaluation.models import PairwiseComparison, RatingItem

PAIR_SCENARIOS = 10  # inputs read at a time
PAIRS_PER_SCENARIO = 50  # open pairs of one input weighed, at most


def shuffle_key(rater_id: int, *ids: int | str) -> str:
    return hashlib.sha256(f"{rater_id}:{':'.join(map(str, ids))}".encode()).hexdigest()


def rater_mix(rater: AbstractBaseUser) -> int:
    """The rater's own number, XORed into every queue position: fewer bits than the positions',
    so the result stays a positive 62-bit integer on every database."""
    return int(shuffle_key(rater.pk, "queue")[:15], 16)


def queue(rater: AbstractBaseUser, limit: int = 50) -> list[RatingItem]:
    """The rater's unrated items in the order they will be shown."""
    return list(RatingItem.objects.exclude(ratings__rater=rater).annotate(rating_count=Count("ratings"))
                .order_by("rating_count", F("queue_position").bitxor(rater_mix(rater)), "id")[:limit])


def next_item(rater: AbstractBaseUser) -> RatingItem | None:
    items = queue(rater, limit=1)
    return items[0] if items else None


def candidate_scenarios(rater: AbstractBaseUser) -> list[str]:
    """The inputs answered by two models or more (found in SQL), in the rater's own order. A model
    is the route that was asked, as in every quality figure (evaluation.ratings.model_quality)."""
    keys = (RatingItem.objects.order_by().values("scenario_key").annotate(models=Count("asked_key", distinct=True))
            .filter(models__gte=2).values_list("scenario_key", flat=True))
    return sorted(keys, key=lambda key: shuffle_key(rater.pk, key))


def open_pairs(rater: AbstractBaseUser, rows: list[tuple[int, str]], done: set[frozenset]) -> Iterator[tuple[int, int]]:
    """Pairs of different models among one input's (id, asked_key) rows that the rater has not
    compared, items taken in the rater's order."""
    ordered = sorted(rows, key=lambda row: shuffle_key(rater.pk, row[0]))
    for (a, model_a), (b, model_b) in combinations(ordered, 2):
        if model_a != model_b and frozenset((a, b)) not in done:
            yield a, b


def next_pair(rater: AbstractBaseUser) -> tuple[RatingItem, RatingItem] | None:
    """Two outputs of different models for the same input that this rater has not compared,
    left and right in an order that depends on neither the models nor the item ids.

    Bounded: the candidate inputs come from one aggregate query; then only PAIR_SCENARIOS
    inputs' items are read at a time (usually once), and at most PAIRS_PER_SCENARIO open pairs
    of each are weighed."""
    keys = candidate_scenarios(rater)
    for start in range(0, len(keys), PAIR_SCENARIOS):
        batch = keys[start:start + PAIR_SCENARIOS]
        by_scenario: dict[str, list[tuple[int, str]]] = {}
        for pk, scenario_key, asked_key in (RatingItem.objects.filter(scenario_key__in=batch).order_by("id")
                                            .values_list("id", "scenario_key", "asked_key")):
            by_scenario.setdefault(scenario_key, []).append((pk, asked_key))
        done = {frozenset(p) for p in PairwiseComparison.objects.filter(rater=rater, item_a__scenario_key__in=batch)
                .values_list("item_a_id", "item_b_id")}
        pairs = [pair for rows in by_scenario.values() for pair in islice(open_pairs(rater, rows, done), PAIRS_PER_SCENARIO)]
        if pairs:
            a, b = min(pairs, key=lambda pair: shuffle_key(rater.pk, *pair))
            items = RatingItem.objects.in_bulk([a, b])
            return (items[a], items[b]) if shuffle_key(rater.pk, a) < shuffle_key(rater.pk, b) else (items[b], items[a])
    return None
