"""Handwritten digits seen through random ReLU features: the world of the double-descent chapter.

Each image ``x`` (64 standardized pixels) becomes ``max(0, W x + b)`` for a weight matrix ``W``
and offsets ``b`` drawn once and then frozen. Only a linear read-out on top of these features is
fitted, so the model's size is the number of features ``p`` and training has a closed form.
Features are nested: the first ``p`` of a map with more features are (up to rounding) those of
the map with ``p``, so a sweep over ``p`` adds features to one model rather than drawing a new
one each time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alignment_lab.arguments import positive_int
from alignment_lab.data import load_digits_split

__all__ = [
    "RandomReLUFeatures",
    "DigitsInFeatures",
    "digits_in_random_features",
    "feature_counts",
    "flip_labels",
]


class RandomReLUFeatures:
    """A frozen random map from ``in_features`` inputs to ``num_features`` ReLU features.

    Feature ``j`` of an input ``x`` is ``max(0, w_j . x + b_j)`` with ``w_j`` drawn from
    ``N(0, I / in_features)`` and ``b_j`` from ``N(0, 1)``, so that on standardized inputs each
    pre-activation has variance about 2 and roughly half the features are active. Row ``j`` is
    drawn after rows ``0..j-1`` from one generator, so the first ``p`` features do not depend on
    ``num_features``.

    Args:
        in_features: number of inputs per example, >= 1 (64 for the digits).
        num_features: number of features ``p``, >= 1.
        seed: the weights depend only on it.

    Raises:
        ValueError: if a count is not a positive int.
    """

    def __init__(self, in_features: int, num_features: int, *, seed: int = 0) -> None:
        self.in_features = positive_int("in_features", in_features)
        self.num_features = positive_int("num_features", num_features)
        rng = np.random.default_rng(seed)
        # One row per feature, drawn in order: the first p rows are the same for any total.
        rows = rng.standard_normal((self.num_features, self.in_features + 1))
        self.weights = rows[:, :-1].T / np.sqrt(self.in_features)  # [in_features, p]
        self.offsets = rows[:, -1]  # [p]

    def __call__(self, X: np.ndarray) -> np.ndarray:
        """The features of ``X``: ``[n, in_features]`` in, ``[n, num_features]`` float64 out,
        every entry >= 0."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.in_features:
            raise ValueError(
                f"X must have shape [n, {self.in_features}], got {X.shape}; pass one row of "
                f"{self.in_features} inputs per example."
            )
        return np.maximum(X @ self.weights + self.offsets, 0.0)


@dataclass(frozen=True)
class DigitsInFeatures:
    """Training, validation and test digits, each image already mapped to random features.

    Attributes:
        train, val, test: ``[n_part, max_features]`` float64 features; ``[:, :p]`` selects the
            model with ``p`` features.
        y_train, y_val, y_test: ``[n_part]`` int64 labels in ``0..num_classes-1``.
        num_classes: 10.
    """

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray
    y_train: np.ndarray
    y_val: np.ndarray
    y_test: np.ndarray
    num_classes: int

    @property
    def max_features(self) -> int:
        """The largest number of features ``p`` available."""
        return int(self.train.shape[1])


def digits_in_random_features(
    *, n_train: int = 400, n_val: int = 400, max_features: int = 8000, seed: int = 0
) -> DigitsInFeatures:
    """scikit-learn's digits, split and mapped through :class:`RandomReLUFeatures`.

    40% of the 1797 images (stratified) are the test set; the training and validation sets are
    the first ``n_train`` and the next ``n_val`` of the remaining 1078, in shuffled order.
    Pixels are standardized with the statistics of those 1078 images.

    Args:
        n_train: number of training images, >= 1.
        n_val: number of validation images, >= 0 (for choosing a ridge penalty).
        max_features: number of random features computed, >= 1.
        seed: seeds the split and the features.

    Raises:
        ValueError: for counts that are not positive or that need more than 1078 images.
    """
    n_train = positive_int("n_train", n_train)
    max_features = positive_int("max_features", max_features)
    if isinstance(n_val, bool) or not isinstance(n_val, (int, np.integer)) or n_val < 0:
        raise ValueError(f"n_val must be an int >= 0, got {n_val!r}.")
    split = load_digits_split(test_fraction=0.4, seed=seed)
    X, y = split.X_train.numpy(), split.y_train.numpy()
    if n_train + n_val > len(y):
        raise ValueError(
            f"n_train + n_val = {n_train + n_val} but only {len(y)} images are left beside the "
            "test set; ask for fewer."
        )
    features = RandomReLUFeatures(X.shape[1], max_features, seed=seed)
    return DigitsInFeatures(
        train=features(X[:n_train]),
        val=features(X[n_train : n_train + n_val]),
        test=features(split.X_test.numpy()),
        y_train=y[:n_train].astype(np.int64),
        y_val=y[n_train : n_train + n_val].astype(np.int64),
        y_test=split.y_test.numpy().astype(np.int64),
        num_classes=split.num_classes,
    )


def feature_counts(n: int, *, low: int = 10, high: int = 8000, num: int = 19) -> np.ndarray:
    """Numbers of features for a sweep: ``num`` points spaced evenly on a log scale from ``low``
    to ``high``, rounded, plus the interpolation threshold ``n`` itself.

    Returns:
        ``[k]`` int64, sorted, without repeats; contains ``low``, ``high`` and ``n``.

    Raises:
        ValueError: unless ``1 <= low <= n <= high`` and ``num >= 2``.
    """
    for name, value in (("n", n), ("low", low), ("high", high), ("num", num)):
        positive_int(name, value)
    if not low <= n <= high or num < 2:
        raise ValueError(
            f"need low <= n <= high and num >= 2, got low={low}, n={n}, high={high}, num={num}; "
            "the sweep must pass through the threshold p = n."
        )
    grid = np.round(np.geomspace(low, high, num)).astype(np.int64)
    return np.unique(np.concatenate([grid, [n]]))


def flip_labels(y: np.ndarray, rate: float, num_classes: int, *, seed: int = 0) -> np.ndarray:
    """A copy of ``y`` in which ``round(rate * n)`` labels, chosen uniformly, are moved to a
    class drawn uniformly from the ``num_classes - 1`` others.

    Args:
        y: ``[n]`` int labels in ``0..num_classes-1``; not modified.
        rate: fraction of labels to change, in ``[0, 1]``.
        num_classes: ``K >= 2``.
        seed: which labels change, and to what, depends only on it.

    Returns:
        ``[n]`` int64 labels.

    Raises:
        ValueError: if ``rate`` is outside ``[0, 1]`` or ``num_classes < 2``.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be in [0, 1], got {rate}; e.g. rate=0.2 for 20% noise.")
    if num_classes < 2:
        raise ValueError(f"num_classes must be >= 2 for a label to change, got {num_classes}.")
    rng = np.random.default_rng(seed)
    noisy = np.asarray(y, dtype=np.int64).copy()
    chosen = rng.choice(len(noisy), size=round(rate * len(noisy)), replace=False)
    noisy[chosen] = (noisy[chosen] + rng.integers(1, num_classes, size=len(chosen))) % num_classes
    return noisy
