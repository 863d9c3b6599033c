"""The pairwise leaderboard: Bradley–Terry strengths of the models behind compared outputs."""

from evaluation.models import PairwiseComparison
from evaluation.ratings.bradley_terry import Ranked, rank

SCORE_OF_A = {PairwiseComparison.Choice.A: 1.0, PairwiseComparison.Choice.B: 0.0, PairwiseComparison.Choice.TIE: 0.5}


def leaderboard() -> list[Ranked]:
    comparisons = [
        (a, b, SCORE_OF_A[choice])
        for a, b, choice in PairwiseComparison.objects.values_list("item_a__model_key", "item_b__model_key", "choice")
    ]
    return rank(comparisons)
