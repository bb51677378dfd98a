"""Specification of alignment_lab.data: stratified, seeded splits as tensors, standardized or, for
the digits, scaled to [0, 1]."""

import dataclasses

import numpy as np
import pytest
import torch

from alignment_lab.data import (
    MAX_INTENSITY,
    DataSplit,
    load_digits_split,
    load_unit_digits,
    split_dataset,
)


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


UNIT_SPLITS = [
    {"test_fraction": 0.2, "seed": 0},
    {"test_fraction": 0.25, "seed": 3},
    {"test_fraction": 0.2, "val_fraction": 0.2, "seed": 1},
]


@pytest.mark.parametrize("kwargs", UNIT_SPLITS)
def test_unit_digits_lie_in_the_unit_interval_with_blank_exactly_0_and_full_ink_exactly_1(kwargs):
    unit = load_unit_digits(**kwargs)
    raw = load_digits_split(**kwargs, standardize=False)  # the integer intensities 0..16
    for part in ("train", "val", "test"):
        X, X_raw = getattr(unit, f"X_{part}"), getattr(raw, f"X_{part}")
        assert X.dtype == torch.float32 and X.shape == X_raw.shape
        assert X.shape[0] == 0 or (float(X.min()) >= 0.0 and float(X.max()) <= 1.0)
        assert torch.all(X[X_raw == 0] == 0.0), "a blank pixel must be exactly 0"
        assert torch.all(X[X_raw == MAX_INTENSITY] == 1.0), "full ink must be exactly 1"
        assert torch.equal(X * MAX_INTENSITY, X_raw), "intensities are the raw ones / 16"
    assert float(unit.X_train.min()) == 0.0 and float(unit.X_train.max()) == 1.0


@pytest.mark.parametrize("kwargs", UNIT_SPLITS)
def test_unit_digits_split_like_the_standardized_digits_for_the_same_seed_and_fractions(kwargs):
    unit = load_unit_digits(**kwargs)
    standardized = load_digits_split(**kwargs)
    assert unit.sizes() == standardized.sizes()
    assert unit.num_classes == standardized.num_classes == 10
    for part in ("train", "val", "test"):
        assert torch.equal(getattr(unit, f"y_{part}"), getattr(standardized, f"y_{part}"))
    # Same images in the same order: standardizing the unit images by their training
    # statistics gives the standardized loader's features (on the pixels that vary in training;
    # the constant ones are only centred, which depends on the scale).
    X = unit.X_train.double()
    mean, std = X.mean(dim=0), X.std(dim=0, unbiased=False)
    varying = std > 0
    for part in ("train", "val", "test"):
        ours = (getattr(unit, f"X_{part}").double() - mean) / std
        theirs = getattr(standardized, f"X_{part}").double()
        assert torch.allclose(ours[:, varying], theirs[:, varying], rtol=1e-4, atol=1e-4)


def test_unit_digits_default_to_the_standardized_loaders_default_split():
    assert load_unit_digits().sizes() == {"train": 1437, "val": 0, "test": 360}
    assert load_unit_digits(test_fraction=0.25).sizes() == {"train": 1347, "val": 0, "test": 450}
    assert torch.equal(load_unit_digits(seed=4).y_test, load_digits_split(seed=4).y_test)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"test_fraction": 0.0}, "test_fraction must be > 0"),
        ({"val_fraction": 1.0}, "val_fraction must be a number in"),
        ({"test_fraction": 0.5, "val_fraction": 0.5}, "test_fraction \\+ val_fraction"),
    ],
)
def test_unit_digits_reject_bad_fractions_with_the_argument_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_unit_digits(**kwargs)
