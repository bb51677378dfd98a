"""Training a network in part of its weight space: the world of the "which parameters matter"
chapter.

Two restrictions of ordinary training, both on a network from
:func:`alignment_lab.training.make_mlp`:

- :func:`train_in_subspace` trains only the ``d`` coordinates ``z`` of a point
  ``theta = point(z)`` in parameter space (e.g. ``theta_0 + P z`` for a fixed random ``P``), as
  in Li et al. (2018), "Measuring the intrinsic dimension of objective landscapes";
- :func:`train_masked` trains only the weights a mask keeps, the others held at zero, as in
  Frankle & Carbin (2019), "The lottery ticket hypothesis".

Parameters are flattened in ``net.parameters()`` order (weight then bias of each linear layer),
the order of :func:`alignment_lab.metrics.snapshot_parameters` and
:func:`alignment_lab.metrics.flatten_parameters`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import torch
from torch import Tensor, nn
from torch.func import functional_call
from torch.nn.utils import prune, vector_to_parameters
from tqdm.auto import tqdm

from alignment_lab.arguments import positive_int
from alignment_lab.seeding import use_single_thread
from alignment_lab.training import TrainResult, train

__all__ = ["linear_layers", "train_in_subspace", "train_masked"]


def linear_layers(net: nn.Module) -> list[nn.Linear]:
    """The ``nn.Linear`` layers of ``net`` in forward order (layer 0 sees the input).

    Raises:
        ValueError: if ``net`` has no linear layer.
    """
    layers = [m for m in net.modules() if isinstance(m, nn.Linear)]
    if not layers:
        raise ValueError("net has no nn.Linear layer; pass a network from make_mlp.")
    return layers


def train_in_subspace(
    net: nn.Module,
    point: Callable[[Tensor], Tensor],
    dim: int,
    X: Tensor,
    y: Tensor,
    *,
    steps: int,
    lr: float = 0.1,
    batch_size: int = 128,
    seed: int = 0,
    progress: bool = True,
    desc: str = "subspace",
) -> nn.Module:
    """Minimize cross-entropy over ``z`` only, with the network's parameters ``point(z)``.

    ``z`` starts at zero and takes ``steps`` Adam steps, each on a minibatch of ``batch_size``
    examples drawn at random (with replacement across steps). Gradients reach ``z`` through
    ``point``, so ``point`` must be built from torch operations.

    Args:
        net: the architecture (e.g. from ``make_mlp``); it is not modified.
        point: ``z: Tensor[dim] -> theta: Tensor[P]``, all ``P`` parameters of ``net``
            flattened in ``net.parameters()`` order.
        dim: the number of trained coordinates ``d``.
        X: ``Tensor[n, features]`` training inputs.
        y: ``Tensor[n]`` int64 labels.
        steps: number of Adam steps, >= 1.
        lr: Adam's learning rate on ``z`` (unit: ``z`` moves about ``lr`` per step).
        batch_size: examples per step.
        seed: seeds the minibatch draws.
        progress: show a ``tqdm`` bar over steps.
        desc: label of the progress bar.

    Returns:
        A copy of ``net`` holding the parameters ``point(z)`` of the trained ``z``.

    Raises:
        ValueError: for a bad ``dim``, ``steps`` or ``batch_size``, or a ``point`` whose output
            does not have one entry per parameter of ``net``.
    """
    dim = positive_int("dim", dim)
    steps = positive_int("steps", steps)
    batch_size = positive_int("batch_size", batch_size)
    use_single_thread()
    names = [name for name, _ in net.named_parameters()]
    shapes = [p.shape for _, p in net.named_parameters()]
    sizes = [shape.numel() for shape in shapes]
    z = torch.zeros(dim, requires_grad=True)
    theta = point(z)
    if theta.shape != (sum(sizes),):
        raise ValueError(
            f"point(z) must return all {sum(sizes)} parameters of net as one flat vector, got "
            f"shape {tuple(theta.shape)}."
        )

    def as_parameters(theta: Tensor) -> dict[str, Tensor]:
        pieces = theta.split(sizes)
        return {n: t.view(s) for n, t, s in zip(names, pieces, shapes, strict=True)}

    optimizer = torch.optim.Adam([z], lr=lr)
    generator = torch.Generator().manual_seed(seed)
    for _ in tqdm(range(steps), desc=desc, leave=False, disable=not progress):
        rows = torch.randint(0, X.shape[0], (batch_size,), generator=generator)
        optimizer.zero_grad(set_to_none=True)
        logits = functional_call(net, as_parameters(point(z)), (X[rows],))
        nn.functional.cross_entropy(logits, y[rows]).backward()
        optimizer.step()
    trained = copy.deepcopy(net)
    with torch.no_grad():
        vector_to_parameters(point(z).detach(), trained.parameters())
    return trained


def train_masked(
    net: nn.Module,
    masks: Sequence[Tensor],
    X: Tensor,
    y: Tensor,
    **train_options: object,
) -> TrainResult:
    """Train ``net`` in place with the weights that ``masks`` drop held at zero.

    Masked weights are zeroed before the first step and stay zero: their gradient is zero
    (torch's pruning reparametrization, ``weight = weight_orig * mask``). Biases are not masked.
    Afterwards the masks are made permanent, so ``net`` is an ordinary network again whose
    dropped weights are exactly zero.

    Args:
        net: a network whose linear layers match ``masks`` one to one.
        masks: one bool ``Tensor`` per linear layer, shaped like its weight; True = kept.
        X: ``Tensor[n, features]`` training inputs.
        y: ``Tensor[n]`` int64 labels.
        **train_options: passed to :func:`alignment_lab.training.train` (e.g. ``max_epochs``,
            ``lr``, ``batch_size``, ``seed``, ``progress``).

    Returns:
        :func:`~alignment_lab.training.train`'s result; its ``model`` is ``net``.

    Raises:
        ValueError: if the masks do not match the linear layers in number or shape.
    """
    layers = linear_layers(net)
    if len(masks) != len(layers):
        raise ValueError(
            f"pass one mask per linear layer: net has {len(layers)}, got {len(masks)} masks."
        )
    for i, (layer, mask) in enumerate(zip(layers, masks, strict=True)):
        if mask.shape != layer.weight.shape:
            raise ValueError(
                f"mask {i} has shape {tuple(mask.shape)}, but layer {i}'s weight has shape "
                f"{tuple(layer.weight.shape)}."
            )
    for layer, mask in zip(layers, masks, strict=True):
        prune.custom_from_mask(layer, "weight", mask.bool())
    try:
        result = train(net, X, y, **train_options)  # type: ignore[arg-type]
    finally:
        for layer in layers:
            prune.remove(layer, "weight")
    return result
