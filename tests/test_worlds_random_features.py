"""Specification of alignment_lab.worlds.random_features: frozen, nested random ReLU features of
the digits, a log grid of feature counts through the threshold, and symmetric label noise."""

import numpy as np
import pytest

from alignment_lab.worlds.random_features import (
    RandomReLUFeatures,
    digits_in_random_features,
    feature_counts,
    flip_labels,
)


def test_features_are_relus_of_a_frozen_affine_map():
    features = RandomReLUFeatures(3, 5, seed=1)
    X = np.array([[0.5, -1.0, 2.0], [0.0, 0.0, 0.0]])
    expected = np.maximum(X @ features.weights + features.offsets, 0)
    assert features.weights.shape == (3, 5) and features.offsets.shape == (5,)
    assert np.array_equal(features(X), expected)
    assert np.array_equal(features(X), features(X)), "the map is frozen"
    assert np.array_equal(features(X[1:]), np.maximum(features.offsets, 0)[None])


def test_fewer_features_are_the_first_columns_of_more():
    X = np.random.default_rng(0).standard_normal((7, 64))
    small, large = RandomReLUFeatures(64, 30, seed=4), RandomReLUFeatures(64, 500, seed=4)
    assert np.allclose(small(X), large(X)[:, :30], rtol=0, atol=1e-12)
    assert not np.array_equal(small(X), RandomReLUFeatures(64, 30, seed=5)(X))


def test_about_half_the_features_are_active_on_standardized_inputs():
    X = np.random.default_rng(1).standard_normal((200, 64))
    active = float((RandomReLUFeatures(64, 2000, seed=0)(X) > 0).mean())
    assert 0.4 < active < 0.6, active


def test_digits_are_split_and_mapped_without_overlap():
    data = digits_in_random_features(n_train=100, n_val=50, max_features=40, seed=2)
    assert data.train.shape == (100, 40) and data.val.shape == (50, 40)
    assert data.test.shape == (719, 40) and data.max_features == 40
    assert len(data.y_train) == 100 and len(data.y_val) == 50 and len(data.y_test) == 719
    assert data.num_classes == 10 and set(np.unique(data.y_train)) == set(range(10))
    assert data.train.min() >= 0
    rows = {r.tobytes() for r in np.vstack([data.train, data.val])}
    assert not rows & {r.tobytes() for r in data.test}, "test images must not be trained on"
    again = digits_in_random_features(n_train=100, n_val=50, max_features=40, seed=2)
    assert np.array_equal(again.train, data.train) and np.array_equal(again.y_test, data.y_test)


def test_the_feature_grid_is_logarithmic_and_passes_through_the_threshold():
    grid = feature_counts(400, low=10, high=8000, num=19)
    assert grid[0] == 10 and grid[-1] == 8000 and 400 in grid
    assert np.all(np.diff(grid) > 0) and grid.dtype == np.int64
    ratios = grid[1:] / grid[:-1]
    assert ratios.max() < 1.6, "19 points from 10 to 8000 step by about 1.45"
    assert len(feature_counts(10, low=10, high=100, num=5)) == 5, "n already on the grid"


def test_flipped_labels_change_exactly_the_rate_and_always_to_another_class():
    y = np.arange(1000) % 10
    noisy = flip_labels(y, 0.2, 10, seed=3)
    assert np.array_equal(y, np.arange(1000) % 10), "the input is not modified"
    assert int((noisy != y).sum()) == 200 and noisy.dtype == np.int64
    assert noisy.min() >= 0 and noisy.max() <= 9
    shifts = np.bincount(((noisy - y) % 10)[noisy != y], minlength=10)
    assert shifts[0] == 0 and shifts[1:].min() > 10, "new classes spread over the other nine"
    assert np.array_equal(flip_labels(y, 0.2, 10, seed=3), noisy)
    assert np.array_equal(flip_labels(y, 0.0, 10, seed=3), y)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: RandomReLUFeatures(0, 5), "in_features"),
        (lambda: RandomReLUFeatures(3, 5)(np.zeros((2, 4))), r"shape \[n, 3\]"),
        (lambda: digits_in_random_features(n_train=1000, n_val=200), "fewer"),
        (lambda: digits_in_random_features(n_val=-1), "n_val"),
        (lambda: feature_counts(5, low=10, high=100), "threshold"),
        (lambda: flip_labels(np.zeros(3, dtype=int), 1.5, 10), "rate"),
        (lambda: flip_labels(np.zeros(3, dtype=int), 0.5, 1), "num_classes"),
    ],
)
def test_bad_settings_are_rejected_with_a_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()
