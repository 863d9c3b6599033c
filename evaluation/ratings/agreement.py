"""How much raters agree with each other, and how well the automatic checks agree with them."""

from collections.abc import Mapping, Sequence

import numpy as np


def krippendorff_alpha_interval(units: Mapping[object, Sequence[float]]) -> float | None:
    """Krippendorff's alpha with the interval metric, for ratings grouped by unit (item).

    alpha = 1 − D_o / D_e, where D_o is the disagreement within units and D_e the disagreement
    expected by chance among all pairable values. Units with fewer than two ratings carry no
    information and are skipped. None when there is nothing to compare or no variation at all.
    """
    pairable = [np.asarray(values, dtype=float) for values in units.values() if len(values) >= 2]
    n = sum(len(v) for v in pairable)
    if n < 2:
        return None
    observed = sum(((v[:, None] - v[None, :]) ** 2).sum() / (len(v) - 1) for v in pairable) / n
    everything = np.concatenate(pairable)
    expected = ((everything[:, None] - everything[None, :]) ** 2).sum() / (n * (n - 1))
    if expected == 0:
        return None
    return float(1 - observed / expected)


def ranks(values: Sequence[float]) -> np.ndarray:
    """Ranks starting at 1, ties sharing their average rank."""
    array = np.asarray(values, dtype=float)
    order = array.argsort(kind="mergesort")
    ranked = np.empty(len(array))
    ranked[order] = np.arange(1, len(array) + 1)
    for value in np.unique(array):
        tied = array == value
        ranked[tied] = ranked[tied].mean()
    return ranked


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rank correlation; None with fewer than 3 pairs or a constant side."""
    if len(x) != len(y):
        raise ValueError("x and y must have the same length")
    if len(x) < 3:
        return None
    rx, ry = ranks(x), ranks(y)
    if rx.std() == 0 or ry.std() == 0:
        return None
    return float(np.corrcoef(rx, ry)[0, 1])
