"""Checks of the arguments the package's functions take, with messages that say what to pass."""

from __future__ import annotations

import numpy as np


def positive_int(name: str, value: object) -> int:
    """``value`` as an ``int`` if it is a positive integer (Python's or NumPy's, not a bool).

    Raises:
        ValueError: naming the argument ``name`` and the value it got, otherwise.
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}.")
    return int(value)
