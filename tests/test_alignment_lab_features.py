"""Specification of alignment_lab.features: redundant features of chosen strength, two moons,
and accuracy once one feature is shuffled."""

import pytest
import torch
from torch import nn

from alignment_lab.features import (
    accuracy_with_feature_shuffled,
    redundant_features,
    two_moons,
)


def test_every_feature_alone_gives_the_class_with_its_stated_margin():
    X, y = redundant_features(2000, (1.0, 0.25, 3.0), spread=0.5, seed=1)
    assert X.shape == (2000, 3) and X.dtype == torch.float32 and y.dtype == torch.int64
    sign = (2 * y - 1).float().unsqueeze(1)
    aligned = sign * X  # each feature's value in the direction of the class
    margins = aligned.min(dim=0).values
    assert torch.all(margins >= torch.tensor([0.5, 0.125, 1.5]) - 1e-6), margins
    assert torch.all(aligned.max(dim=0).values <= torch.tensor([1.5, 0.375, 4.5]) + 1e-6)
    assert 0.45 < y.float().mean() < 0.55, "classes are drawn with probability one half"


def test_redundant_features_depend_only_on_the_seed():
    a, b, c = (redundant_features(50, seed=s) for s in (3, 3, 4))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])
    assert not torch.equal(a[0], c[0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n must be"),
        ({"n": 5, "strengths": ()}, "strengths"),
        ({"n": 5, "strengths": (1.0, -0.5)}, "strengths"),
        ({"n": 5, "spread": 1.0}, "spread"),
    ],
)
def test_redundant_features_reject_bad_settings_and_say_why(kwargs, message):
    with pytest.raises(ValueError, match=message):
        redundant_features(**kwargs)


def test_two_moons_are_balanced_tensors_that_depend_only_on_the_seed():
    X, y = two_moons(100, noise=0.05, seed=2)
    assert X.shape == (100, 2) and X.dtype == torch.float32
    assert y.sum().item() == 50
    assert torch.equal(X, two_moons(100, noise=0.05, seed=2)[0])
    with pytest.raises(ValueError, match="noise"):
        two_moons(10, noise=-1.0)
    with pytest.raises(ValueError, match="n must be"):
        two_moons(1)


def reads_feature(feature: int) -> nn.Linear:
    """Predicts class 1 exactly where the given input feature is positive."""
    model = nn.Linear(2, 2, bias=False)
    with torch.no_grad():
        model.weight.zero_()
        model.weight[1, feature] = 1.0
    return model


def test_shuffling_an_ignored_feature_leaves_accuracy_unchanged():
    X, y = redundant_features(400, seed=0)
    assert accuracy_with_feature_shuffled(reads_feature(0), X, y, feature=1) == 1.0


def test_shuffling_the_only_feature_used_drops_accuracy_to_chance():
    X, y = redundant_features(4000, seed=0)
    shuffled = accuracy_with_feature_shuffled(reads_feature(0), X, y, feature=0, seed=5)
    assert 0.45 < shuffled < 0.55, shuffled


def test_shuffling_does_not_modify_the_inputs_and_depends_only_on_the_seed():
    X, y = redundant_features(300, seed=0)
    before = X.clone()
    model = reads_feature(0)
    first = accuracy_with_feature_shuffled(model, X, y, 0, seed=9)
    assert torch.equal(X, before)
    assert first == accuracy_with_feature_shuffled(model, X, y, 0, seed=9)


@pytest.mark.parametrize("feature", [-1, 2, 1.0, True])
def test_shuffling_rejects_a_feature_that_is_not_a_column(feature):
    X, y = redundant_features(10)
    with pytest.raises(ValueError, match="feature must be a column index"):
        accuracy_with_feature_shuffled(reads_feature(0), X, y, feature)
