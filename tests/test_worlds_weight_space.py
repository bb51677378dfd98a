"""Unit tests of alignment_lab.worlds.weight_space: training in a subspace and under a mask."""

import pytest
import torch
from torch import nn

from alignment_lab.data import load_digits_split
from alignment_lab.metrics import accuracy, flatten_parameters
from alignment_lab.training import make_mlp
from alignment_lab.worlds.weight_space import linear_layers, train_in_subspace, train_masked


@pytest.fixture(scope="module")
def digits():
    return load_digits_split(seed=0)


def test_linear_layers_are_listed_in_forward_order():
    net = make_mlp([64, 8, 6, 10], seed=0)
    assert [layer.weight.shape for layer in linear_layers(net)] == [(8, 64), (6, 8), (10, 6)]
    with pytest.raises(ValueError, match="no nn.Linear"):
        linear_layers(nn.Sequential(nn.ReLU()))


def test_subspace_training_moves_only_along_the_given_directions(digits):
    net = make_mlp([64, 16, 10], seed=0)
    theta0 = flatten_parameters(net)
    directions = torch.randn(3, theta0.numel(), generator=torch.Generator().manual_seed(1))

    def point(z):
        return theta0 + z @ directions

    trained = train_in_subspace(
        net, point, 3, digits.X_train, digits.y_train, steps=30, progress=False
    )
    moved = flatten_parameters(trained) - theta0
    z = torch.linalg.lstsq(directions.T, moved.unsqueeze(1)).solution
    assert moved.norm() > 0, "training did not move the parameters"
    assert torch.allclose(directions.T @ z, moved.unsqueeze(1), atol=1e-4)
    assert torch.equal(flatten_parameters(net), theta0), "the given net must not change"


def test_subspace_training_with_every_direction_learns_digits(digits):
    net = make_mlp([64, 16, 10], seed=0)
    theta0 = flatten_parameters(net)
    before = accuracy(net, digits.X_test, digits.y_test)
    trained = train_in_subspace(
        net,
        lambda z: theta0 + z,
        theta0.numel(),
        digits.X_train,
        digits.y_train,
        steps=200,
        lr=0.01,
        progress=False,
    )
    assert accuracy(trained, digits.X_test, digits.y_test) > max(0.8, before + 0.3)


def test_subspace_training_rejects_bad_arguments(digits):
    net = make_mlp([64, 4, 10], seed=0)
    theta0 = flatten_parameters(net)
    with pytest.raises(ValueError, match="all 310 parameters"):
        train_in_subspace(
            net, lambda z: z, 5, digits.X_train, digits.y_train, steps=1, progress=False
        )
    with pytest.raises(ValueError, match="steps must be a positive int"):
        train_in_subspace(
            net, lambda z: theta0, 5, digits.X_train, digits.y_train, steps=0, progress=False
        )


def test_masked_training_keeps_dropped_weights_at_zero_and_trains_the_rest(digits):
    net = make_mlp([64, 16, 10], seed=0)
    generator = torch.Generator().manual_seed(0)
    masks = [
        torch.rand(layer.weight.shape, generator=generator) < 0.3 for layer in linear_layers(net)
    ]
    before = [layer.weight.detach().clone() for layer in linear_layers(net)]
    result = train_masked(
        net,
        masks,
        digits.X_train,
        digits.y_train,
        max_epochs=5,
        lr=1e-2,
        batch_size=64,
        progress=False,
    )
    assert result.model is net
    for layer, mask, old in zip(linear_layers(net), masks, before, strict=True):
        assert isinstance(layer.weight, nn.Parameter), "the masks must be made permanent"
        assert torch.all(layer.weight[~mask] == 0)
        assert not torch.allclose(layer.weight[mask], old[mask])
    assert accuracy(net, digits.X_test, digits.y_test) > 0.5


def test_masked_training_rejects_masks_that_do_not_fit(digits):
    net = make_mlp([64, 16, 10], seed=0)
    with pytest.raises(ValueError, match="one mask per linear layer"):
        train_masked(
            net,
            [torch.ones(16, 64, dtype=torch.bool)],
            digits.X_train,
            digits.y_train,
            max_epochs=1,
        )
    with pytest.raises(ValueError, match="mask 1 has shape"):
        train_masked(
            net,
            [torch.ones(16, 64, dtype=torch.bool), torch.ones(16, 10)],
            digits.X_train,
            digits.y_train,
            max_epochs=1,
        )
