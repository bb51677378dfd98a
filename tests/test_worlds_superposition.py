"""Unit tests of alignment_lab.worlds.superposition."""

import pytest
import torch

from alignment_lab.worlds.superposition import (
    TWO_FEATURE_OUTCOMES,
    geometric_importance,
    train_toy_models,
    two_feature_outcome,
)


def loss(W, b, x, importance, relu):
    x_hat = x @ W.transpose(-1, -2) @ W + b.unsqueeze(-2)
    if relu:
        x_hat = torch.relu(x_hat)
    return (importance.unsqueeze(-2) * (x - x_hat) ** 2).sum(-1).mean(-1)


def sample(sparsity, n_samples, n_features, generator):
    shape = (*sparsity.shape, n_samples, n_features)
    present = torch.rand(shape, generator=generator) >= sparsity[..., None, None]
    return torch.rand(shape, generator=generator) * present


def test_geometric_importance_decays_from_one():
    importance = geometric_importance(4, 0.5)
    assert importance.dtype == torch.float32
    assert torch.allclose(importance, torch.tensor([1.0, 0.5, 0.25, 0.125]))


@pytest.mark.parametrize("n_features, ratio", [(0, 0.5), (3, 0.0), (3, 1.5)])
def test_geometric_importance_rejects_bad_arguments(n_features, ratio):
    with pytest.raises(ValueError, match="n_features|ratio"):
        geometric_importance(n_features, ratio)


def test_dense_features_in_fewer_dimensions_keep_the_most_important_ones():
    W, b = train_toy_models(
        loss,
        sample,
        sparsity=[0.0],
        importance=geometric_importance(4, 0.5),
        n_hidden=2,
        seeds=[0, 1],
        steps=600,
        batch_size=128,
        progress=False,
    )
    assert W.shape == (2, 1, 2, 4) and b.shape == (2, 1, 4)
    norms = W.norm(dim=-2)[:, 0]
    assert bool((norms[:, :2] > 0.8).all()) and bool((norms[:, 2:] < 0.3).all()), norms


def test_a_seed_trains_the_same_models_whatever_is_trained_beside_it():
    kwargs = dict(
        sparsity=[0.0, 0.9], importance=torch.ones(3), n_hidden=1, steps=20, progress=False
    )
    alone, _ = train_toy_models(loss, sample, seeds=[1], **kwargs)
    together, _ = train_toy_models(loss, sample, seeds=[0, 1], **kwargs)
    assert torch.allclose(alone[0], together[1], atol=1e-6)
    assert not torch.allclose(together[0], together[1])


def test_one_importance_row_per_sparsity_reaches_the_loss():
    seen = []

    def recording_loss(W, b, x, importance, relu):
        seen.append(importance.clone())
        return loss(W, b, x, importance, relu)

    rows = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    train_toy_models(
        recording_loss,
        sample,
        sparsity=[0.1, 0.2],
        importance=rows,
        n_hidden=1,
        seeds=[0, 5],
        steps=1,
        progress=False,
    )
    assert torch.equal(seen[0], torch.cat([rows, rows]))


@pytest.mark.parametrize(
    "arguments, words",
    [
        (dict(sparsity=[]), "sparsity"),
        (dict(sparsity=[1.2]), "sparsity"),
        (dict(importance=torch.ones(3, 2)), "importance"),
        (dict(seeds=[]), "seeds"),
        (dict(n_hidden=0), "n_hidden"),
        (dict(steps=0), "steps"),
    ],
)
def test_train_toy_models_rejects_bad_arguments_with_a_message(arguments, words):
    base = dict(sparsity=[0.5], importance=torch.ones(2), n_hidden=1, progress=False)
    with pytest.raises(ValueError, match=words):
        train_toy_models(loss, sample, **{**base, **arguments})


def test_two_feature_outcome_sorts_dropped_alone_and_superposed():
    W = torch.tensor([[[1.0, 0.1]], [[0.1, -0.9]], [[0.8, -0.9]]])
    assert two_feature_outcome(W).tolist() == [0, 1, 2]
    assert len(TWO_FEATURE_OUTCOMES) == 3


def test_two_feature_outcome_rejects_other_shapes():
    with pytest.raises(ValueError, match=r"\[\.\.\., 1, 2\]"):
        two_feature_outcome(torch.ones(2, 3))
