"""Symmetric two-player zero-sum games given by their payoff matrices (games and cooperation).

A game between ``n`` strategies is an antisymmetric matrix ``payoff[i, j]``: what strategy ``i``
gains against strategy ``j`` (and ``j`` loses), so ``payoff[j, i] = -payoff[i, j]`` and every
strategy ties with itself. Rows are "me", columns "the opponent".

- :func:`rock_paper_scissors` -- the smallest purely cyclic game;
- :func:`ranking_game` -- a purely transitive game: the stronger of two ratings wins the
  difference;
- :func:`sample_disc` and :func:`disc_game` -- points of the unit disc, where each point beats
  the points less than half a turn anticlockwise of it (cyclic), optionally plus a ranking by
  the first coordinate;
- :func:`blotto_strategies` and :func:`blotto_game` -- Colonel Blotto: soldiers split over
  battlefields, the one who wins more battlefields wins the game;
- :func:`cyclic_triangles` -- the share of triples of strategies that beat each other in a
  circle, a count of rock-paper-scissors patterns.
"""

from __future__ import annotations

import itertools

import numpy as np

from alignment_lab.arguments import positive_int

__all__ = [
    "blotto_game",
    "blotto_strategies",
    "cyclic_triangles",
    "disc_game",
    "ranking_game",
    "rock_paper_scissors",
    "sample_disc",
]


def rock_paper_scissors() -> np.ndarray:
    """The payoff matrix ``[3, 3]`` of rock, paper, scissors (in that order): +1 for a win, -1 for
    a loss, 0 for a tie."""
    return np.array([[0.0, -1.0, 1.0], [1.0, 0.0, -1.0], [-1.0, 1.0, 0.0]])


def ranking_game(ratings: np.ndarray) -> np.ndarray:
    """The purely transitive game ``payoff[i, j] = ratings[i] - ratings[j]``.

    Args:
        ratings: array ``[n]`` of finite numbers, one strength per strategy.

    Returns:
        Array ``[n, n]``, antisymmetric.
    """
    ratings = np.asarray(ratings, dtype=float)
    if ratings.ndim != 1 or not np.all(np.isfinite(ratings)):
        raise ValueError(
            f"ratings must be a 1-D array of finite numbers, got shape {ratings.shape}."
        )
    return ratings[:, None] - ratings[None, :]


def sample_disc(n_points: int, rng: np.random.Generator) -> np.ndarray:
    """``n_points`` points drawn uniformly from the unit disc, as an array ``[n_points, 2]``."""
    n_points = positive_int("n_points", n_points)
    radius = np.sqrt(rng.uniform(size=n_points))  # the square root makes the area uniform
    angle = rng.uniform(0, 2 * np.pi, size=n_points)
    return np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)


def disc_game(points: np.ndarray, transitive_weight: float = 0.0) -> np.ndarray:
    """The disc game of Balduzzi et al. (2019) between points of the plane, plus a ranking.

    ``payoff[i, j] = x_i y_j - y_i x_j + transitive_weight * (x_i - x_j)``: the first term is
    positive when ``j`` lies less than half a turn anticlockwise of ``i`` (seen from the origin),
    so every point beats some and loses to others; the second rewards a larger first
    coordinate.

    Args:
        points: array ``[n, 2]``, e.g. from :func:`sample_disc`.
        transitive_weight: weight of the ranking by the first coordinate (0: purely cyclic).

    Returns:
        Array ``[n, n]``, antisymmetric.
    """
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape [n, 2], got {points.shape}.")
    if not np.isfinite(transitive_weight):
        raise ValueError(f"transitive_weight must be finite, got {transitive_weight}.")
    x, y = points[:, 0], points[:, 1]
    cyclic = x[:, None] * y[None, :] - y[:, None] * x[None, :]
    return cyclic + transitive_weight * ranking_game(x)


def blotto_strategies(n_soldiers: int, n_fields: int) -> np.ndarray:
    """Every way to split ``n_soldiers`` over ``n_fields`` battlefields.

    Returns:
        Int array ``[n_strategies, n_fields]`` whose rows sum to ``n_soldiers``, in
        lexicographic order; there are ``C(n_soldiers + n_fields - 1, n_fields - 1)`` rows.
    """
    n_soldiers = positive_int("n_soldiers", n_soldiers)
    n_fields = positive_int("n_fields", n_fields)
    if n_fields < 2:
        raise ValueError("n_fields must be at least 2 (one field leaves no choice), got 1.")
    rows = [
        split
        for split in itertools.product(range(n_soldiers + 1), repeat=n_fields - 1)
        if sum(split) <= n_soldiers
    ]
    return np.array([[*split, n_soldiers - sum(split)] for split in rows], dtype=int)


def blotto_game(strategies: np.ndarray) -> np.ndarray:
    """Colonel Blotto between allocations: on each battlefield the side with more soldiers wins
    it; the side that wins more battlefields wins the game.

    Args:
        strategies: int array ``[n, n_fields]`` of allocations (e.g. rows of
            :func:`blotto_strategies`, or a subset of them).

    Returns:
        Array ``[n, n]`` of +1 (win), 0 (as many battlefields won as lost) and -1 (loss).
    """
    strategies = np.asarray(strategies)
    if strategies.ndim != 2 or strategies.shape[1] < 2:
        raise ValueError(
            f"strategies must have shape [n, n_fields] with n_fields >= 2, got {strategies.shape}."
        )
    fields_won = np.sign(strategies[:, None, :] - strategies[None, :, :]).sum(axis=-1)
    return np.sign(fields_won).astype(float)


def cyclic_triangles(payoff: np.ndarray) -> float:
    """The share of triples ``{i, j, k}`` of strategies that beat each other in a circle
    (``i`` beats ``j``, ``j`` beats ``k``, ``k`` beats ``i``), among all triples.

    Args:
        payoff: antisymmetric array ``[n, n]``; ``i`` beats ``j`` when ``payoff[i, j] > 0``.

    Returns:
        A share in [0, 1] (0 for fewer than three strategies).
    """
    payoff = np.asarray(payoff, dtype=float)
    if payoff.ndim != 2 or payoff.shape[0] != payoff.shape[1]:
        raise ValueError(f"payoff must be a square matrix, got shape {payoff.shape}.")
    n = len(payoff)
    if n < 3:
        return 0.0
    beats = (payoff > 0).astype(float)
    # each cyclic triangle is a closed walk of length 3, counted once per starting point
    cycles = np.trace(beats @ beats @ beats) / 3
    return float(cycles / (n * (n - 1) * (n - 2) / 6))
