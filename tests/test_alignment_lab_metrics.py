"""Specification of alignment_lab.metrics: predictions, accuracy (also with one feature
shuffled), parameter snapshots."""

import pytest
import torch
from torch import nn

from alignment_lab.metrics import (
    accuracy,
    accuracy_metric,
    accuracy_with_feature_shuffled,
    flatten_parameters,
    predict,
    snapshot_parameters,
)
from alignment_lab.worlds.redundant_features import redundant_features


def identity_classifier() -> nn.Linear:
    """Logits equal to the two inputs: predicts the index of the larger input."""
    model = nn.Linear(2, 2, bias=False)
    with torch.no_grad():
        model.weight.copy_(torch.eye(2))
    return model


def test_predict_returns_the_argmax_class_as_int64():
    X = torch.tensor([[1.0, 0.0], [0.0, 2.0], [3.0, 1.0]])
    predictions = predict(identity_classifier(), X)
    assert predictions.dtype == torch.int64
    assert predictions.tolist() == [0, 1, 0]


def test_accuracy_is_the_fraction_of_matching_predictions():
    X = torch.tensor([[1.0, 0.0], [0.0, 2.0], [3.0, 1.0], [0.0, 1.0]])
    y = torch.tensor([0, 1, 1, 1])
    assert accuracy(identity_classifier(), X, y) == pytest.approx(0.75)
    assert accuracy_metric(X, y)(identity_classifier()) == pytest.approx(0.75)


def test_predict_uses_eval_mode_and_restores_training_mode():
    model = nn.Sequential(nn.Linear(2, 2), nn.Dropout(p=0.999))
    model.train()
    X = torch.ones(50, 2)
    first, second = predict(model, X), predict(model, X)
    assert torch.equal(first, second), "dropout must be off while predicting"
    assert model.training


def test_accuracy_rejects_mismatched_rows_and_empty_labels():
    with pytest.raises(ValueError, match="same number of rows"):
        accuracy(identity_classifier(), torch.zeros(3, 2), torch.zeros(2, dtype=torch.int64))
    with pytest.raises(ValueError, match="y is empty"):
        accuracy(identity_classifier(), torch.zeros(0, 2), torch.zeros(0, dtype=torch.int64))


def test_snapshot_parameters_is_unaffected_by_later_updates():
    model = nn.Linear(3, 2)
    snapshot = snapshot_parameters(model)
    before = [t.clone() for t in snapshot]
    with torch.no_grad():
        for p in model.parameters():
            p.add_(1.0)
    assert all(torch.equal(a, b) for a, b in zip(snapshot, before, strict=True))
    assert all(not t.requires_grad for t in snapshot)


def test_flatten_parameters_concatenates_every_tensor_in_order():
    tensors = [torch.tensor([[1.0, 2.0]]), torch.tensor([3.0])]
    assert flatten_parameters(tensors).tolist() == [1.0, 2.0, 3.0]
    model = nn.Linear(3, 2)
    assert flatten_parameters(model).shape == (3 * 2 + 2,)
    with pytest.raises(ValueError, match="params is empty"):
        flatten_parameters([])


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
