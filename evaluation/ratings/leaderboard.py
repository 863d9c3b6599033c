"""The pairwise leaderboard: Bradley–Terry strengths of the models behind compared outputs.

The fit (with its bootstrap, ~200 refits) is cached in Django's cache under a digest of the
comparisons it rests on, so a view only reads the comparisons (one query) and the ranking is
fitted again only once a comparison is added or changed."""

import hashlib

from django.core.cache import cache

from evaluation.models import PairwiseComparison
from evaluation.ratings.bradley_terry import Ranked, rank

SCORE_OF_A = {PairwiseComparison.Choice.A: 1.0, PairwiseComparison.Choice.B: 0.0, PairwiseComparison.Choice.TIE: 0.5}
CACHE_PREFIX = "ratings:leaderboard:"
CACHE_TTL_S = 24 * 3600


def comparisons() -> list[tuple[str, str, float]]:
    return [
        (a, b, SCORE_OF_A[choice])
        # A vote counts for the routes that were asked, like every quality figure (ratings.model_quality).
        for a, b, choice in PairwiseComparison.objects.values_list("item_a__asked_key", "item_b__asked_key", "choice")
    ]


def cache_key(compared: list[tuple[str, str, float]]) -> str:
    return CACHE_PREFIX + hashlib.sha256(repr(compared).encode()).hexdigest()


def leaderboard() -> list[Ranked]:
    compared = comparisons()
    key = cache_key(compared)
    ranking = cache.get(key)
    if ranking is None:
        ranking = rank(compared)
        cache.set(key, ranking, CACHE_TTL_S)
    return ranking
