"""Data whose label several features carry at once, and which of them a trained model uses.

When every feature predicts the label perfectly, training accuracy cannot tell which one a
model relies on. Two tools answer that question here: a dataset where each feature's strength
is chosen, and the model's accuracy once one feature has been scrambled.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from sklearn.datasets import make_moons
from torch import Tensor, nn

from alignment_lab.metrics import accuracy

__all__ = ["two_moons", "redundant_features", "accuracy_with_feature_shuffled"]


def redundant_features(
    n: int,
    strengths: Sequence[float] = (1.0, 0.25),
    *,
    spread: float = 0.5,
    seed: int = 0,
) -> tuple[Tensor, Tensor]:
    """Binary classification where every feature alone predicts every label.

    Feature ``k`` of example ``i`` is ``s_i * strengths[k] * (1 + spread * u_ik)``, with
    ``s_i = 2 y_i - 1`` the sign of the class and ``u_ik`` uniform on ``[-1, 1]``, independent
    across examples and features. Each feature therefore has the sign of the class on every
    example, with a margin (smallest distance from 0) of ``strengths[k] * (1 - spread)``, and
    the features differ only in scale.

    Args:
        n: number of examples, >= 1.
        strengths: one positive strength per feature (input units), e.g. ``(1.0, 0.25)``.
        spread: relative half-width of each feature's noise, in ``[0, 1)``.
        seed: the labels and noise depend only on it.

    Returns:
        ``(X, y)``: ``X`` is ``Tensor[n, len(strengths)]`` float32, ``y`` is ``Tensor[n]`` int64
        in ``{0, 1}``, classes drawn with probability one half each.

    Raises:
        ValueError: for ``n < 1``, an empty or non-positive ``strengths``, or ``spread``
            outside ``[0, 1)``.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}.")
    strengths = [float(s) for s in strengths]
    if not strengths or min(strengths) <= 0:
        raise ValueError(
            f"strengths must list one positive number per feature, got {strengths}; "
            "e.g. (1.0, 0.25)."
        )
    if not 0 <= spread < 1:
        raise ValueError(
            f"spread must be in [0, 1) so that every feature keeps the class's sign, got {spread}."
        )
    generator = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 2, (int(n),), generator=generator)
    sign = (2 * y - 1).float().unsqueeze(1)
    noise = 2 * torch.rand(int(n), len(strengths), generator=generator) - 1
    X = sign * torch.tensor(strengths) * (1 + spread * noise)
    return X, y


def two_moons(n: int, *, noise: float = 0.05, seed: int = 0) -> tuple[Tensor, Tensor]:
    """scikit-learn's two interleaving half circles, as tensors.

    Args:
        n: number of examples (half per class), >= 2.
        noise: standard deviation of the Gaussian noise added to each point (input units).
        seed: the points depend only on it.

    Returns:
        ``(X, y)``: ``X`` is ``Tensor[n, 2]`` float32 in roughly ``[-1, 2] x [-0.5, 1]``,
        ``y`` is ``Tensor[n]`` int64 in ``{0, 1}``.

    Raises:
        ValueError: for ``n < 2`` or a negative ``noise``.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an int >= 2 (one point per moon at least), got {n!r}.")
    if noise < 0:
        raise ValueError(f"noise is a standard deviation and must be >= 0, got {noise}.")
    points, labels = make_moons(int(n), noise=noise, random_state=seed)
    return torch.tensor(points, dtype=torch.float32), torch.tensor(labels, dtype=torch.int64)


def accuracy_with_feature_shuffled(
    model: nn.Module,
    X: Tensor,
    y: Tensor,
    feature: int,
    *,
    seed: int = 0,
) -> float:
    """Accuracy once column ``feature`` of ``X`` is shuffled across examples.

    Shuffling keeps the feature's distribution but cuts its link to the label, so this is the
    accuracy the model would have if that feature stopped carrying information: near chance
    if the model relies on it alone, unchanged if it ignores it (permutation importance,
    Breiman 2001).

    Args:
        model: classifier mapping ``Tensor[n, d]`` to logits ``Tensor[n, K]``.
        X: ``Tensor[n, d]`` inputs; not modified.
        y: ``Tensor[n]`` integer labels.
        feature: column to shuffle, ``0 <= feature < d``.
        seed: the permutation depends only on it.

    Returns:
        A float in ``[0, 1]``.

    Raises:
        ValueError: if ``X`` is not two-dimensional or ``feature`` is not one of its columns.
    """
    if X.ndim != 2:
        raise ValueError(f"X must have shape [n, d], got {tuple(X.shape)}.")
    if isinstance(feature, bool) or not isinstance(feature, int) or not 0 <= feature < X.shape[1]:
        raise ValueError(
            f"feature must be a column index in [0, {X.shape[1] - 1}], got {feature!r}."
        )
    generator = torch.Generator().manual_seed(seed)
    shuffled = X.clone()
    shuffled[:, feature] = X[torch.randperm(X.shape[0], generator=generator), feature]
    return accuracy(model, shuffled, y)
