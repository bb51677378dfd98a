"""Specification of alignment_lab.worlds.redundant_features: every feature alone predicts every
label, each with the margin its strength gives it."""

import pytest
import torch

from alignment_lab.worlds.redundant_features import redundant_features


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
