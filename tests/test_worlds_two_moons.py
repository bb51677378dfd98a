"""Specification of alignment_lab.worlds.two_moons."""

import pytest
import torch

from alignment_lab.worlds.two_moons import two_moons


def test_two_moons_are_balanced_tensors_that_depend_only_on_the_seed():
    X, y = two_moons(100, noise=0.05, seed=2)
    assert X.shape == (100, 2) and X.dtype == torch.float32
    assert y.sum().item() == 50
    assert torch.equal(X, two_moons(100, noise=0.05, seed=2)[0])
    with pytest.raises(ValueError, match="noise"):
        two_moons(10, noise=-1.0)
    with pytest.raises(ValueError, match="n must be"):
        two_moons(1)
