"""Small datasets, split into train / validation / test parts, as float32 torch tensors.

Features are standardized with the training statistics, except for the digits scaled to [0, 1]
(:func:`load_unit_digits`), whose pixels keep their meaning as ink. Everything here ships with
a pinned package (scikit-learn's ``load_digits``) or is passed in by the caller: nothing is
downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import Tensor

__all__ = [
    "DIGIT_SIDE",
    "MAX_INTENSITY",
    "DataSplit",
    "split_dataset",
    "load_digits_split",
    "load_unit_digits",
]

DIGIT_SIDE = 8  # each digit is an 8 x 8 image, flattened row by row: pixel 8 * row + col
MAX_INTENSITY = 16.0  # load_digits stores ink as integers 0 (blank) .. 16 (full ink)


@dataclass(frozen=True)
class DataSplit:
    """A train / validation / test split of a classification dataset.

    Attributes:
        X_train: ``Tensor[n_train, n_features]``, float32 features (standardized, unless the
            loader that made the split says otherwise).
        y_train: ``Tensor[n_train]``, int64 class labels in ``[0, num_classes)``.
        X_val: ``Tensor[n_val, n_features]``; ``n_val`` is 0 when no validation split was asked.
        y_val: ``Tensor[n_val]``, int64.
        X_test: ``Tensor[n_test, n_features]``, float32.
        y_test: ``Tensor[n_test]``, int64.
        num_classes: number of classes ``K``.
    """

    X_train: Tensor
    y_train: Tensor
    X_val: Tensor
    y_val: Tensor
    X_test: Tensor
    y_test: Tensor
    num_classes: int

    @property
    def num_features(self) -> int:
        """Number of input features per example."""
        return int(self.X_train.shape[1])

    def sizes(self) -> dict[str, int]:
        """Number of examples in each part, e.g. ``{"train": 1078, "val": 359, "test": 360}``."""
        return {
            "train": int(self.y_train.shape[0]),
            "val": int(self.y_val.shape[0]),
            "test": int(self.y_test.shape[0]),
        }


def _check_fraction(name: str, value: float) -> None:
    if not isinstance(value, (int, float)) or not 0.0 <= float(value) < 1.0:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}; e.g. {name}=0.2.")


def split_dataset(
    X: np.ndarray,
    y: np.ndarray,
    *,
    test_fraction: float = 0.2,
    val_fraction: float = 0.0,
    seed: int = 0,
    standardize: bool = True,
) -> DataSplit:
    """Split ``(X, y)`` into stratified train / validation / test parts as torch tensors.

    Standardization uses the training part's per-feature mean and standard deviation only (no
    information leaks from validation or test); constant features are left centred, not divided.

    Args:
        X: ``[n, n_features]`` array of features (any real dtype).
        y: ``[n]`` array of integer class labels ``0..K-1``.
        test_fraction: share of all examples held out for testing, in ``(0, 1)``.
        val_fraction: share of all examples held out for validation, in ``[0, 1)``; 0 gives
            empty validation tensors.
        seed: seeds the (stratified) shuffle; the same seed gives the same split.
        standardize: subtract the training mean and divide by the training std per feature.

    Returns:
        A :class:`DataSplit` with float32 features and int64 labels.

    Raises:
        ValueError: for mismatched lengths, labels that are not ``0..K-1`` integers, or fractions
            outside their range.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D [n, n_features], got shape {X.shape}; reshape it first.")
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(
            f"y must be 1-D with one label per row of X ({X.shape[0]}), got shape {y.shape}."
        )
    if not np.issubdtype(y.dtype, np.integer) or (y.size and y.min() < 0):
        raise ValueError(f"y must hold non-negative integer class labels, got dtype {y.dtype}.")
    _check_fraction("test_fraction", test_fraction)
    _check_fraction("val_fraction", val_fraction)
    if test_fraction == 0.0:
        raise ValueError("test_fraction must be > 0: every experiment reports test accuracy.")
    if test_fraction + val_fraction >= 1.0:
        raise ValueError(
            f"test_fraction + val_fraction must be < 1 to leave training data, got "
            f"{test_fraction} + {val_fraction}; lower one of them."
        )

    indices = np.arange(len(y))
    rest, test = train_test_split(indices, test_size=test_fraction, random_state=seed, stratify=y)
    if val_fraction > 0:
        # val_fraction is a share of all examples; convert it to a share of what remains.
        train, val = train_test_split(
            rest,
            test_size=val_fraction / (1.0 - test_fraction),
            random_state=seed,
            stratify=y[rest],
        )
    else:
        train, val = rest, rest[:0]

    X = X.astype(np.float64)
    if standardize:
        mean = X[train].mean(axis=0)
        std = X[train].std(axis=0)
        std[std == 0] = 1.0  # constant pixels (e.g. digit corners) stay 0 instead of NaN
        X = (X - mean) / std

    def features(idx: np.ndarray) -> Tensor:
        return torch.tensor(X[idx], dtype=torch.float32).reshape(len(idx), X.shape[1])

    def labels(idx: np.ndarray) -> Tensor:
        return torch.tensor(y[idx], dtype=torch.int64)

    return DataSplit(
        X_train=features(train),
        y_train=labels(train),
        X_val=features(val),
        y_val=labels(val),
        X_test=features(test),
        y_test=labels(test),
        num_classes=int(y.max()) + 1,
    )


def load_digits_split(
    *,
    test_fraction: float = 0.2,
    val_fraction: float = 0.0,
    seed: int = 0,
    standardize: bool = True,
) -> DataSplit:
    """scikit-learn's 8x8 handwritten digits (1797 images, 64 pixel features, 10 classes), split.

    Pixel intensities (0-16) are standardized with the training mean and std. See
    :func:`split_dataset` for the arguments; :func:`load_unit_digits` gives the same split with
    intensities scaled to [0, 1] instead.

    Returns:
        A :class:`DataSplit`; ``X_*`` are ``Tensor[n, 64]`` float32, ``y_*`` ``Tensor[n]`` int64.
    """
    digits = load_digits()
    return split_dataset(
        digits.data,
        digits.target,
        test_fraction=test_fraction,
        val_fraction=val_fraction,
        seed=seed,
        standardize=standardize,
    )


def load_unit_digits(
    *,
    test_fraction: float = 0.2,
    val_fraction: float = 0.0,
    seed: int = 0,
) -> DataSplit:
    """The digits of :func:`load_digits_split`, with ink scaled to [0, 1] and not standardized.

    Blank is exactly 0 and full ink exactly 1 in every image, so a pixel means the same in every
    image and part: a trigger patch can be drawn at full ink, an L-infinity radius is a fraction
    of full intensity, and the valid images form the box ``[0, 1]^64``. Standardizing would make
    a blank pixel non-zero and the rarely inked edge pixels huge.

    Args:
        test_fraction: share of the 1797 images held out for testing, in ``(0, 1)``.
        val_fraction: share held out for validation, in ``[0, 1)``; 0 gives empty tensors.
        seed: seeds the stratified split; the same seed and fractions give the same split as
            :func:`load_digits_split`.

    Returns:
        A :class:`DataSplit`; ``X_*`` are ``Tensor[n, 64]`` float32 in ``[0, 1]`` (pixel
        ``8 * row + col``), ``y_*`` ``Tensor[n]`` int64 digits 0-9.

    Raises:
        ValueError: for fractions outside their range (see :func:`split_dataset`).
    """
    digits = load_digits()
    return split_dataset(
        digits.data / MAX_INTENSITY,
        digits.target,
        test_fraction=test_fraction,
        val_fraction=val_fraction,
        seed=seed,
        standardize=False,
    )
