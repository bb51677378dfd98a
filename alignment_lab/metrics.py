"""Predictions, accuracy (also with one feature shuffled) and parameter snapshots: the
measurements most experiments share."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import torch
from torch import Tensor, nn

__all__ = [
    "predict",
    "accuracy",
    "accuracy_with_feature_shuffled",
    "accuracy_metric",
    "snapshot_parameters",
    "flatten_parameters",
]


def _check_rows(name_X: str, X: Tensor, name_y: str, y: Tensor) -> None:
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"{name_X} and {name_y} must have the same number of rows, got {X.shape[0]} and "
            f"{y.shape[0]}; pass labels that belong to these inputs."
        )


@torch.no_grad()
def predict(model: nn.Module, X: Tensor) -> Tensor:
    """Predicted classes: the argmax of the model's logits, computed in eval mode.

    Args:
        model: maps ``Tensor[n, ...]`` to logits ``Tensor[n, K]``.
        X: ``Tensor[n, ...]`` inputs.

    Returns:
        ``Tensor[n]`` int64 class indices. The model's train/eval mode is restored afterwards.
    """
    was_training = model.training
    model.eval()
    try:
        logits = model(X)
    finally:
        model.train(was_training)
    if logits.ndim != 2:
        raise ValueError(
            f"model output must be logits of shape [n, K], got shape {tuple(logits.shape)}."
        )
    return logits.argmax(dim=1)


def accuracy(model: nn.Module, X: Tensor, y: Tensor) -> float:
    """Fraction of rows of ``X`` whose predicted class equals ``y`` (a float in [0, 1]).

    Args:
        model: classifier returning logits ``Tensor[n, K]``.
        X: ``Tensor[n, ...]`` inputs.
        y: ``Tensor[n]`` integer labels.

    Raises:
        ValueError: if ``X`` and ``y`` have different numbers of rows or ``y`` is empty.
    """
    _check_rows("X", X, "y", y)
    if y.shape[0] == 0:
        raise ValueError("y is empty: accuracy of zero examples is undefined; pass some data.")
    return float((predict(model, X) == y).float().mean())


def accuracy_metric(X: Tensor, y: Tensor) -> Callable[[nn.Module], float]:
    """A metric function ``model -> accuracy on (X, y)``, for :func:`training.train`'s ``metrics``.

    The tensors are captured now, so pass the labels you want to score against (e.g. the noisy
    training labels for "train accuracy", the clean test labels for "test accuracy").
    """
    _check_rows("X", X, "y", y)

    def metric(model: nn.Module) -> float:
        return accuracy(model, X, y)

    return metric


def snapshot_parameters(model: nn.Module | Iterable[Tensor]) -> list[Tensor]:
    """Detached copies of a model's parameters, in ``model.parameters()`` order.

    Take one before training to keep the initial parameters ``theta_0`` for later comparison.

    Args:
        model: an ``nn.Module`` or an iterable of tensors.

    Returns:
        A list of tensors with the same shapes; later training does not change them.
    """
    params = model.parameters() if isinstance(model, nn.Module) else model
    return [p.detach().clone() for p in params]


def flatten_parameters(params: nn.Module | Iterable[Tensor]) -> Tensor:
    """All parameters concatenated into one detached vector ``Tensor[P]`` (float, unit: weight).

    Args:
        params: an ``nn.Module`` or an iterable of tensors (e.g. from :func:`snapshot_parameters`).
    """
    tensors = list(params.parameters() if isinstance(params, nn.Module) else params)
    if not tensors:
        raise ValueError("params is empty: pass a model with parameters or a list of tensors.")
    return torch.cat([t.detach().reshape(-1) for t in tensors])


def accuracy_with_feature_shuffled(
    model: nn.Module,
    X: Tensor,
    y: Tensor,
    feature: int,
    *,
    seed: int = 0,
) -> float:
    """Accuracy once column ``feature`` of ``X`` is shuffled across examples.

    Shuffling keeps the feature's distribution but cuts its link to the label, so this is the
    accuracy the model would have if that feature stopped carrying information: near chance
    if the model relies on it alone, unchanged if it ignores it (permutation importance,
    Breiman 2001).

    Args:
        model: classifier mapping ``Tensor[n, d]`` to logits ``Tensor[n, K]``.
        X: ``Tensor[n, d]`` inputs; not modified.
        y: ``Tensor[n]`` integer labels.
        feature: column to shuffle, ``0 <= feature < d``.
        seed: the permutation depends only on it.

    Returns:
        A float in ``[0, 1]``.

    Raises:
        ValueError: if ``X`` is not two-dimensional or ``feature`` is not one of its columns.
    """
    if X.ndim != 2:
        raise ValueError(f"X must have shape [n, d], got {tuple(X.shape)}.")
    if isinstance(feature, bool) or not isinstance(feature, int) or not 0 <= feature < X.shape[1]:
        raise ValueError(
            f"feature must be a column index in [0, {X.shape[1] - 1}], got {feature!r}."
        )
    generator = torch.Generator().manual_seed(seed)
    shuffled = X.clone()
    shuffled[:, feature] = X[torch.randperm(X.shape[0], generator=generator), feature]
    return accuracy(model, shuffled, y)
