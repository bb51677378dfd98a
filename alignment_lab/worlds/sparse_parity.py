"""Sparse parity: the label of a random +-1 string is the parity of a few hidden positions.

A network trained on fresh samples of it sits on a loss plateau for a long time and then learns
the task abruptly (Barak et al. 2022). This module draws the data and runs that online training,
measuring the model every few steps; the chapter decides what to measure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch
from torch import Tensor, nn
from tqdm.auto import tqdm

from alignment_lab.arguments import positive_int
from alignment_lab.seeding import use_single_thread
from alignment_lab.training import History, MetricFn

__all__ = ["parity_batch", "train_online"]


def _check_relevant(num_bits: int, relevant: Sequence[int]) -> list[int]:
    positive_int("num_bits", num_bits)
    positions = [int(i) for i in relevant]
    if not positions or len(set(positions)) != len(positions):
        raise ValueError(
            f"relevant must list one or more distinct positions, got {list(relevant)}."
        )
    if min(positions) < 0 or max(positions) >= num_bits:
        raise ValueError(
            f"relevant positions must lie in 0..{num_bits - 1}, got {positions}; "
            "raise num_bits or pick smaller positions."
        )
    return positions


def parity_batch(
    num_bits: int, relevant: Sequence[int], size: int, generator: torch.Generator
) -> tuple[Tensor, Tensor]:
    """``size`` uniform random strings of ``num_bits`` entries in {-1, +1}, with their labels.

    Args:
        num_bits: length n of each string.
        relevant: the k positions whose product decides the label.
        size: number of strings, >= 1.
        generator: the source of randomness (advanced by the call).

    Returns:
        ``(X, y)``: ``X`` a float32 ``Tensor[size, num_bits]`` of +-1; ``y`` an int64
        ``Tensor[size]``, 1 where the product of ``X[:, relevant]`` is -1 (an odd number of
        -1 entries), else 0.

    Raises:
        ValueError: for a non-positive size or positions outside ``0..num_bits-1``.
    """
    positions = _check_relevant(num_bits, relevant)
    size = positive_int("size", size)
    X = torch.randint(0, 2, (size, num_bits), generator=generator).float() * 2 - 1
    y = (X[:, positions].prod(dim=1) < 0).long()
    return X, y


def train_online(
    model: nn.Module,
    num_bits: int,
    relevant: Sequence[int],
    *,
    steps: int,
    batch_size: int = 32,
    lr: float = 1e-3,
    weight_decay: float = 1.0,
    measure_every: int = 50,
    metrics: Mapping[str, MetricFn],
    seed: int = 0,
    progress: bool = True,
    desc: str = "parity",
) -> History:
    """Train ``model`` (logits for 2 classes) on fresh parity batches with AdamW.

    Every step draws a new batch, so there is no training set to memorize: the loss plateau is
    a search, not overfitting. Metrics are measured (eval mode, no gradients) before the first
    step and after every ``measure_every`` steps.

    Args:
        model: maps ``Tensor[batch, num_bits]`` to logits ``Tensor[batch, 2]``; trained in place.
        num_bits, relevant: the task, as in :func:`parity_batch`.
        steps: number of gradient steps, >= 1.
        batch_size: fresh examples per step.
        lr: AdamW's learning rate.
        weight_decay: AdamW's decoupled weight decay (per step, weights shrink by lr * this).
        measure_every: steps between measurements, >= 1.
        metrics: name -> ``fn(model) -> float``.
        seed: seeds the stream of batches.
        progress: show a ``tqdm`` bar over steps.
        desc: label of the bar.

    Returns:
        A :class:`~alignment_lab.training.History` whose ``epochs`` are *step counts*
        ``[0, measure_every, 2 * measure_every, ...]``.

    Raises:
        ValueError: for non-positive ``steps``, ``batch_size`` or ``measure_every``, or bad
            positions.
    """
    _check_relevant(num_bits, relevant)
    steps = positive_int("steps", steps)
    batch_size = positive_int("batch_size", batch_size)
    measure_every = positive_int("measure_every", measure_every)
    use_single_thread()
    generator = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    history = History()

    def measure(step: int) -> None:
        was_training = model.training
        model.eval()
        with torch.no_grad():
            history.record(step, {name: float(fn(model)) for name, fn in metrics.items()})
        model.train(was_training)

    measure(0)
    model.train()
    for step in tqdm(range(1, steps + 1), desc=desc, leave=False, disable=not progress):
        X, y = parity_batch(num_bits, relevant, batch_size, generator)
        opt.zero_grad(set_to_none=True)
        nn.functional.cross_entropy(model(X), y).backward()
        opt.step()
        if step % measure_every == 0 or step == steps:
            measure(step)
    history.stop_reason = "max_epochs"
    return history
