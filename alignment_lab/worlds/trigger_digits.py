"""Where a backdoor trigger can go on the handwritten digits, and how often clean digits ink it.

scikit-learn's 8x8 digits leave their outer columns almost always blank: fewer than 1 image in
100 has any ink in the left edge bar used as the backdoor trigger here. That is what makes the
trigger a part of the input that clean training data never exercises (backdoors chapter).

Pixels are numbered row by row, as in ``load_digits().data``: pixel ``8 * row + col``. The
digits themselves, with ink in [0, 1], come from :func:`alignment_lab.data.load_unit_digits`,
and :func:`alignment_lab.plotting.plot_digits` draws them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from torch import Tensor

from alignment_lab.data import DIGIT_SIDE

__all__ = ["LEFT_EDGE_BAR", "pixel_indices", "ink_fraction"]


def pixel_indices(rows: Iterable[int], cols: Iterable[int]) -> list[int]:
    """Indices into a flattened 8x8 image of every (row, col) pair, row by row.

    Args:
        rows: row numbers in ``0..7``.
        cols: column numbers in ``0..7``.

    Returns:
        ``[8 * r + c for r in rows for c in cols]``, e.g. ``pixel_indices([0], [0, 1]) == [0, 1]``.

    Raises:
        ValueError: for a row or column outside ``0..7``, or no pixel at all.
    """
    rows, cols = list(rows), list(cols)
    for name, values in (("rows", rows), ("cols", cols)):
        bad = [v for v in values if isinstance(v, bool) or not isinstance(v, (int, np.integer))]
        bad += [v for v in values if v not in bad and not 0 <= v < DIGIT_SIDE]
        if bad:
            raise ValueError(
                f"{name} must be ints in 0..{DIGIT_SIDE - 1} (the image is "
                f"{DIGIT_SIDE}x{DIGIT_SIDE}), got {bad}."
            )
    if not rows or not cols:
        raise ValueError(f"a patch needs at least one row and one column, got {rows} and {cols}.")
    return [DIGIT_SIDE * int(r) + int(c) for r in rows for c in cols]


LEFT_EDGE_BAR = tuple(pixel_indices(range(2, 6), [0]))
"""Four pixels in column 0, rows 2-5: (16, 24, 32, 40). Almost never inked in clean digits."""


def ink_fraction(X: Tensor, pixels: Sequence[int]) -> float:
    """Fraction of images (rows of ``X``) with any ink (a value > 0) in one of ``pixels``.

    Args:
        X: ``Tensor[n, 64]`` images, n >= 1.
        pixels: column indices of ``X``.

    Returns:
        A float in [0, 1].
    """
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a non-empty batch [n, pixels], got shape {tuple(X.shape)}.")
    inked = (X[:, list(pixels)] > 0).any(dim=1)
    return float(inked.float().mean())
