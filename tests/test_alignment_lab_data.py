"""Specification of alignment_lab.data: stratified, seeded, standardized splits as tensors."""

import dataclasses

import numpy as np
import pytest
import torch

from alignment_lab.data import DataSplit, load_digits_split, split_dataset


@pytest.fixture(scope="module")
def digits() -> DataSplit:
    return load_digits_split(val_fraction=0.2, test_fraction=0.2, seed=0)


def test_digits_split_sizes_follow_the_fractions_and_cover_all_1797_images(digits):
    sizes = digits.sizes()
    assert sum(sizes.values()) == 1797
    assert abs(sizes["test"] - 0.2 * 1797) <= 1
    assert abs(sizes["val"] - 0.2 * 1797) <= 1
    assert digits.num_features == 64 and digits.num_classes == 10


def test_digits_split_holds_float32_features_and_int64_labels(digits):
    for X, y in [
        (digits.X_train, digits.y_train),
        (digits.X_val, digits.y_val),
        (digits.X_test, digits.y_test),
    ]:
        assert X.dtype == torch.float32 and y.dtype == torch.int64
        assert X.shape == (y.shape[0], 64)


def test_digits_split_is_stratified_by_class(digits):
    overall = np.bincount(
        load_digits_split(test_fraction=0.5, seed=1).y_train.numpy(), minlength=10
    )
    assert overall.min() > 0
    for y in (digits.y_train, digits.y_val, digits.y_test):
        share = np.bincount(y.numpy(), minlength=10) / len(y)
        assert np.all(np.abs(share - 0.1) < 0.01), share


def test_split_parts_are_disjoint_and_cover_every_example():
    n = 200
    X = np.arange(n, dtype=float)[:, None]  # each row identifies its example
    y = np.arange(n) % 4
    split = split_dataset(X, y, test_fraction=0.25, val_fraction=0.25, seed=3, standardize=False)
    ids = [split.X_train, split.X_val, split.X_test]
    ids = [set(t[:, 0].long().tolist()) for t in ids]
    assert sum(len(s) for s in ids) == n
    assert set().union(*ids) == set(range(n))
    for X_part, y_part in [(split.X_train, split.y_train), (split.X_test, split.y_test)]:
        assert torch.equal(X_part[:, 0].long() % 4, y_part), "labels must stay with their rows"


def test_same_seed_gives_the_same_split_and_another_seed_a_different_one():
    a = load_digits_split(seed=5)
    b = load_digits_split(seed=5)
    c = load_digits_split(seed=6)
    assert torch.equal(a.X_train, b.X_train) and torch.equal(a.y_test, b.y_test)
    assert not torch.equal(a.y_test, c.y_test)


def test_standardization_uses_training_statistics_and_keeps_constant_pixels_finite(digits):
    X = digits.X_train.double()
    std = X.std(dim=0, unbiased=False)
    varying = std > 0
    assert torch.allclose(X.mean(dim=0), torch.zeros(64, dtype=torch.float64), atol=1e-5)
    assert torch.allclose(
        std[varying], torch.ones(int(varying.sum()), dtype=torch.float64), atol=1e-4
    )
    assert (~varying).any(), "digits have always-blank corner pixels"
    for X_part in (digits.X_train, digits.X_val, digits.X_test):
        assert torch.isfinite(X_part).all()


def test_no_validation_fraction_gives_empty_validation_tensors():
    split = load_digits_split(test_fraction=0.2, seed=0)
    assert split.sizes()["val"] == 0
    assert split.X_val.shape == (0, 64) and split.y_val.shape == (0,)


def test_split_is_frozen():
    split = load_digits_split(seed=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        split.num_classes = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"test_fraction": 0.0}, "test_fraction must be > 0"),
        ({"test_fraction": 1.2}, "test_fraction must be a number in"),
        ({"val_fraction": -0.1}, "val_fraction must be a number in"),
        ({"test_fraction": 0.6, "val_fraction": 0.5}, "test_fraction \\+ val_fraction"),
    ],
)
def test_bad_fractions_are_rejected_with_the_argument_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_digits_split(**kwargs)


def test_mismatched_features_and_labels_are_rejected():
    with pytest.raises(ValueError, match="one label per row of X"):
        split_dataset(np.zeros((10, 2)), np.zeros(9, dtype=int))


def test_non_integer_labels_are_rejected():
    with pytest.raises(ValueError, match="non-negative integer class labels"):
        split_dataset(np.zeros((10, 2)), np.linspace(0, 1, 10))
