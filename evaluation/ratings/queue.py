"""What a rater sees next. Items with the fewest ratings come first, so coverage spreads;
among equals the order is shuffled per rater (stable for that rater, different for the next),
so no rater sees the models in a telling order."""

import hashlib
from itertools import combinations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count

from evaluation.models import PairwiseComparison, RatingItem


def shuffle_key(rater_id: int, *ids: int) -> str:
    return hashlib.sha256(f"{rater_id}:{':'.join(map(str, ids))}".encode()).hexdigest()


def queue(rater: AbstractBaseUser, limit: int = 50) -> list[RatingItem]:
    """The rater's unrated items in the order they will be shown."""
    candidates = (RatingItem.objects.exclude(ratings__rater=rater).annotate(rating_count=Count("ratings"))
                  .order_by("rating_count", "id")[: limit * 4])
    return sorted(candidates, key=lambda item: (item.rating_count, shuffle_key(rater.pk, item.pk)))[:limit]


def next_item(rater: AbstractBaseUser) -> RatingItem | None:
    items = queue(rater, limit=1)
    return items[0] if items else None


def next_pair(rater: AbstractBaseUser) -> tuple[RatingItem, RatingItem] | None:
    """Two outputs of different models for the same input that this rater has not compared,
    left and right in an order that depends on neither the models nor the item ids."""
    done = {frozenset(p) for p in PairwiseComparison.objects.filter(rater=rater).values_list("item_a_id", "item_b_id")}
    by_scenario: dict[str, list[RatingItem]] = {}
    for item in RatingItem.objects.order_by("id"):
        by_scenario.setdefault(item.scenario_key, []).append(item)
    pairs = [
        (a, b) for items in by_scenario.values() for a, b in combinations(items, 2)
        if a.model_key != b.model_key and frozenset((a.pk, b.pk)) not in done
    ]
    if not pairs:
        return None
    a, b = min(pairs, key=lambda pair: shuffle_key(rater.pk, pair[0].pk, pair[1].pk))
    return (a, b) if shuffle_key(rater.pk, a.pk) < shuffle_key(rater.pk, b.pk) else (b, a)
