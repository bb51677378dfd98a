"""Two interleaving half circles: a small 2-D task whose decision boundary can be drawn."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.datasets import make_moons
from torch import Tensor

__all__ = ["two_moons"]


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
