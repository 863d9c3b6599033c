"""Rank models from pairwise choices with a Bradley–Terry model.

P(i beats j) = s_i / (s_i + s_j). Strengths are fitted with Hunter's (2004) MM algorithm; a tie
counts half a win for each side. A small prior (PRIOR_TIES virtual ties between every two
compared models) keeps an undefeated model's strength finite. Confidence intervals come from a
bootstrap over the comparisons with a fixed seed, so the same data gives the same numbers.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

PRIOR_TIES = 0.5
BOOTSTRAP_SAMPLES = 200
MAX_ITERATIONS = 500
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Ranked:
    model: str
    strength: float  # normalized so the strengths sum to 1
    ci_low: float
    ci_high: float
    wins: float  # ties count half
    comparisons: int


def fit(models: Sequence[str], comparisons: Sequence[tuple[str, str, float]]) -> np.ndarray:
    """Strengths for `models` from (a, b, score_of_a) triples, score 1 = a won, 0.5 = tie, 0 = b won."""
    index = {m: i for i, m in enumerate(models)}
    k = len(models)
    wins = np.zeros((k, k))
    for a, b, score in comparisons:
        wins[index[a], index[b]] += score
        wins[index[b], index[a]] += 1 - score
    games = wins + wins.T
    compared = games > 0
    wins = wins + PRIOR_TIES * compared / 2
    games = wins + wins.T
    strengths = np.ones(k) / k
    total_wins = wins.sum(axis=1)
    for _ in range(MAX_ITERATIONS):
        denominators = (games / (strengths[:, None] + strengths[None, :])).sum(axis=1)
        updated = np.where(denominators > 0, total_wins / np.where(denominators > 0, denominators, 1), strengths)
        updated = updated / updated.sum()
        if np.max(np.abs(updated - strengths)) < TOLERANCE:
            return updated
        strengths = updated
    return strengths


def rank(comparisons: Sequence[tuple[str, str, float]], *, seed: int = 0) -> list[Ranked]:
    """The models in `comparisons`, strongest first, with 95 % bootstrap intervals."""
    models = sorted({m for a, b, _ in comparisons for m in (a, b)})
    if not models:
        return []
    strengths = fit(models, comparisons)
    rng = np.random.default_rng(seed)
    samples = np.array([
        fit(models, [comparisons[i] for i in rng.integers(0, len(comparisons), len(comparisons))])
        for _ in range(BOOTSTRAP_SAMPLES)
    ])
    low, high = np.percentile(samples, [2.5, 97.5], axis=0, method="linear")
    tally = {m: [0.0, 0] for m in models}
    for a, b, score in comparisons:
        tally[a][0] += score
        tally[b][0] += 1 - score
        tally[a][1] += 1
        tally[b][1] += 1
    ranked = [Ranked(model=m, strength=round(float(strengths[i]), 4), ci_low=round(float(low[i]), 4),
                     ci_high=round(float(high[i]), 4), wins=tally[m][0], comparisons=tally[m][1])
              for i, m in enumerate(models)]
    return sorted(ranked, key=lambda r: (-r.strength, r.model))
