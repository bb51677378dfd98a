"""Toy models of superposition: n sparse features squeezed into m < n dimensions and read back.

Each toy model is a matrix ``W [m, n]`` and a bias ``b [n]``; it encodes a feature vector ``x``
as ``h = W x`` and decodes it as ``ReLU(W^T h + b)`` (or without the ReLU, the linear model). The
chapter writes the loss and the feature sampler; this module trains many such models side by
side (one per seed and sparsity, or per cell of a phase diagram) and sorts out what a trained
two-feature model did with its one dimension (Elhage et al. 2022).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor
from tqdm.auto import tqdm

from alignment_lab.arguments import positive_int
from alignment_lab.seeding import use_single_thread

__all__ = [
    "TWO_FEATURE_OUTCOMES",
    "geometric_importance",
    "train_toy_models",
    "two_feature_outcome",
]

LossFn = Callable[[Tensor, Tensor, Tensor, Tensor, bool], Tensor]
"""``loss(W, b, x, importance, relu) -> Tensor[...]``: one loss per model."""
SampleFn = Callable[[Tensor, int, int, torch.Generator], Tensor]
"""``sample(sparsity, n_samples, n_features, generator) -> Tensor[..., n_samples, n_features]``."""

TWO_FEATURE_OUTCOMES = ("feature 2 dropped", "feature 2 alone", "both, superposed")
"""What a model of two features in one dimension can do, in the order of the codes 0, 1, 2."""


def geometric_importance(n_features: int, ratio: float) -> Tensor:
    """Importance ``ratio ** i`` of feature ``i``: ``Tensor[n_features]`` (float32), first 1.

    Raises:
        ValueError: if ``n_features`` is not a positive int or ``ratio`` is not in (0, 1].
    """
    n_features = positive_int("n_features", n_features)
    if not 0 < ratio <= 1:
        raise ValueError(f"ratio must be in (0, 1] (importance decays or stays), got {ratio}.")
    return ratio ** torch.arange(n_features, dtype=torch.float32)


def _initial_weights(n_hidden: int, n_features: int, n_models: int, seed: int) -> Tensor:
    # Xavier-normal per model, from the seed's own stream, so that a seed's models do not depend
    # on which other seeds are trained beside them.
    generator = torch.Generator().manual_seed(seed)
    scale = (2 / (n_hidden + n_features)) ** 0.5
    return scale * torch.randn(n_models, n_hidden, n_features, generator=generator)


def train_toy_models(
    loss: LossFn,
    sample: SampleFn,
    *,
    sparsity: Sequence[float] | Tensor,
    importance: Tensor,
    n_hidden: int,
    relu: bool = True,
    seeds: Sequence[int] = (0,),
    steps: int = 1500,
    batch_size: int = 512,
    lr: float = 1e-2,
    progress: bool = True,
    desc: str = "toy models",
) -> tuple[Tensor, Tensor]:
    """Train one toy model per seed and sparsity, all at once, with Adam on fresh samples.

    Every model is independent: its own initial weights (from its seed), its own data (each seed
    draws from its own generator) and its own loss; the losses are summed only so that one
    backward pass serves them all.

    Args:
        loss: the chapter's loss, called as ``loss(W, b, x, importance, relu)`` with ``W`` of
            shape ``[n_seeds * n_sparsities, n_hidden, n_features]``; returns one loss per model.
        sample: the chapter's sampler, called once per seed and step as
            ``sample(sparsity, batch_size, n_features, generator)``.
        sparsity: ``[n_sparsities]`` probabilities in [0, 1] that a feature is zero.
        importance: ``[n_features]`` (the same for every model) or
            ``[n_sparsities, n_features]`` (one row per sparsity, e.g. a phase diagram's cells).
        n_hidden: m, the number of hidden dimensions.
        relu: the ReLU output model (True) or the linear one (False).
        seeds: one model per seed and sparsity.
        steps: Adam steps; batch_size: samples per model and step; lr: Adam's learning rate.
        progress: show a tqdm bar over steps; desc: its label.

    Returns:
        ``(W, b)``: detached float32 tensors ``[n_seeds, n_sparsities, n_hidden, n_features]``
        and ``[n_seeds, n_sparsities, n_features]``.

    Raises:
        ValueError: for an empty or out-of-range sparsity, an importance of the wrong shape,
            no seeds, or a non-positive n_hidden, steps or batch_size.
    """
    use_single_thread()
    sparsity = torch.as_tensor(sparsity, dtype=torch.float32).reshape(-1)
    if sparsity.numel() == 0 or sparsity.min() < 0 or sparsity.max() > 1:
        raise ValueError(f"sparsity must be a non-empty list of values in [0, 1], got {sparsity}.")
    importance = torch.as_tensor(importance, dtype=torch.float32)
    n_features = importance.shape[-1] if importance.ndim else 0
    if importance.ndim not in (1, 2) or (
        importance.ndim == 2 and importance.shape[0] != len(sparsity)
    ):
        raise ValueError(
            f"importance must have shape [n_features] or [{len(sparsity)}, n_features] (one row "
            f"per sparsity), got {tuple(importance.shape)}."
        )
    n_hidden = positive_int("n_hidden", n_hidden)
    steps = positive_int("steps", steps)
    batch_size = positive_int("batch_size", batch_size)
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds is empty: pass at least one seed, e.g. seeds=[0].")
    n_models = len(seeds) * len(sparsity)
    W = torch.cat([_initial_weights(n_hidden, n_features, len(sparsity), s) for s in seeds])
    W.requires_grad_(True)
    b = torch.zeros(n_models, n_features, requires_grad=True)
    weights = importance.expand(len(sparsity), n_features).repeat(len(seeds), 1)
    generators = [torch.Generator().manual_seed(10_000 + s) for s in seeds]
    optimizer = torch.optim.Adam([W, b], lr=lr)
    for _ in tqdm(range(steps), desc=desc, disable=not progress, leave=False):
        x = torch.cat([sample(sparsity, batch_size, n_features, g) for g in generators])
        total = loss(W, b, x, weights, relu).sum()
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
    shape = (len(seeds), len(sparsity))
    return W.detach().reshape(*shape, n_hidden, n_features), b.detach().reshape(*shape, -1)


def two_feature_outcome(W: Tensor, threshold: float = 0.5) -> Tensor:
    """What models of two features in one dimension did with it, as codes of
    :data:`TWO_FEATURE_OUTCOMES`.

    Args:
        W: ``[..., 1, 2]`` trained weights; feature 1 is column 0, feature 2 column 1.
        threshold: a feature is represented when its column's norm exceeds this.

    Returns:
        int64 ``Tensor[...]``: 0 if feature 2 is not represented, 1 if it is and feature 1 is
        not, 2 if both are (necessarily sharing the one dimension).

    Raises:
        ValueError: if ``W`` does not end in the shape ``[1, 2]``.
    """
    if W.ndim < 2 or tuple(W.shape[-2:]) != (1, 2):
        raise ValueError(
            f"W must have shape [..., 1, 2] (two features, one dimension), got {tuple(W.shape)}."
        )
    norms = W[..., 0, :].abs()
    first, second = norms[..., 0] > threshold, norms[..., 1] > threshold
    return torch.where(second, torch.where(first, 2, 1), 0).long()
