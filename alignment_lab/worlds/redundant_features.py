"""Binary classification whose label several features carry at once, each with a strength.

When every feature predicts the label perfectly, training accuracy cannot tell which one a
model relies on; with the strengths chosen, one can ask which feature training picks up.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import Tensor

__all__ = ["redundant_features"]


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
