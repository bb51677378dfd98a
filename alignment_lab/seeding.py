"""Seeding and threading: make every run repeatable and every torch computation single-threaded.

On a two-core machine torch's default of two threads made training 30-100x slower whenever
anything else used a core, so the course pins torch to one thread (also done when
``alignment_lab`` is imported).
"""

from __future__ import annotations

import random

import numpy as np
import torch

__all__ = ["seed_everything", "use_single_thread"]


def use_single_thread() -> None:
    """Make torch run its CPU kernels on one thread (intra-op and, if still possible, inter-op).

    Safe to call many times. torch only lets the inter-op pool be sized before it is first
    used; after that the call keeps the existing size, which does not affect these small models.
    """
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        # Raised once any inter-op work has started (or the size was already set): harmless.
        pass


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy's global generator and torch, and use one torch thread.

    Args:
        seed: a non-negative integer below 2**32 (NumPy's limit).

    Raises:
        TypeError: if ``seed`` is not an integer.
        ValueError: if ``seed`` is negative or too large.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(
            f"seed must be an int, got {type(seed).__name__} ({seed!r}); pass e.g. seed=0."
        )
    if not 0 <= int(seed) < 2**32:
        raise ValueError(f"seed must be in [0, 2**32), got {seed}; pick a small non-negative int.")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    use_single_thread()
