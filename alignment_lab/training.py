"""Models and a training loop that records per-epoch metrics into a history.

The loop is deliberately generic (any model, inputs, targets and loss): the chapter decides what
to measure by passing metric functions, and when to stop by passing a condition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import Tensor, nn
from tqdm.auto import tqdm

from alignment_lab.metrics import snapshot_parameters
from alignment_lab.seeding import use_single_thread

__all__ = [
    "MetricFn",
    "StopFn",
    "History",
    "TrainResult",
    "make_mlp",
    "metric_reaches",
    "train",
]

MetricFn = Callable[[nn.Module], float]
"""A measurement of the model, e.g. test accuracy; called in eval mode without gradients."""


@dataclass
class History:
    """Per-epoch measurements of one training run.

    Epoch 0 is the untrained model; epoch ``e`` is measured after ``e`` passes over the data.

    Attributes:
        epochs: ``[0, 1, ..., last]``, one entry per measurement.
        metrics: metric name -> list of values, aligned with ``epochs``.
        stop_reason: ``"condition"`` if ``stop_when`` ended the run, ``"max_epochs"`` otherwise.
    """

    epochs: list[int] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)
    stop_reason: str = ""

    def __getitem__(self, name: str) -> np.ndarray:
        """Values of one metric over epochs as a float array ``[n_measurements]``."""
        if name not in self.metrics:
            raise KeyError(
                f"no metric named {name!r} in this history; recorded: {sorted(self.metrics)}."
            )
        return np.asarray(self.metrics[name], dtype=float)

    def __contains__(self, name: object) -> bool:
        return name in self.metrics

    @property
    def last_epoch(self) -> int:
        """The number of epochs trained."""
        return self.epochs[-1] if self.epochs else 0

    def first_epoch_where(self, name: str, target: float) -> int | None:
        """First epoch whose ``name`` metric is ``>= target``, or ``None`` if it never was."""
        values = self[name]
        hits = np.flatnonzero(values >= target)
        return int(self.epochs[hits[0]]) if hits.size else None

    def record(self, epoch: int, values: Mapping[str, float]) -> None:
        """Append one epoch's measurements (all metrics must be present every epoch)."""
        if self.metrics and set(values) != set(self.metrics):
            raise ValueError(
                f"epoch {epoch} recorded metrics {sorted(values)}, expected {sorted(self.metrics)}."
            )
        self.epochs.append(int(epoch))
        for name, value in values.items():
            self.metrics.setdefault(name, []).append(float(value))


StopFn = Callable[[History], bool]
"""A stopping condition: looks at the history so far and returns True to stop training."""


@dataclass
class TrainResult:
    """What :func:`train` returns.

    Attributes:
        model: the trained model (the same object that was passed in).
        history: per-epoch metrics.
        initial_parameters: detached copies of the parameters before the first update, in
            ``model.parameters()`` order (for distances from initialization).
    """

    model: nn.Module
    history: History
    initial_parameters: list[Tensor]


def make_mlp(
    widths: Sequence[int],
    *,
    activation: Callable[[], nn.Module] = nn.ReLU,
    seed: int | None = None,
) -> nn.Sequential:
    """A fully connected network ``widths[0] -> widths[1] -> ... -> widths[-1]``.

    An ``activation`` follows every linear layer except the last, which outputs logits.

    Args:
        widths: layer sizes including input and output, e.g. ``[64, 256, 256, 10]`` for digits.
        activation: a zero-argument constructor of the non-linearity, e.g. ``nn.ReLU``.
        seed: if given, the initial weights depend only on it (torch's global random state is
            left untouched); if None, they come from torch's global generator.

    Returns:
        ``nn.Sequential`` mapping ``Tensor[n, widths[0]]`` to logits ``Tensor[n, widths[-1]]``.

    Raises:
        ValueError: if there are fewer than two widths or one is not a positive int.
    """
    widths = list(widths)
    if len(widths) < 2:
        raise ValueError(
            f"widths must list at least an input and an output size, got {widths}; "
            "e.g. [64, 256, 10]."
        )
    for w in widths:
        if isinstance(w, bool) or not isinstance(w, (int, np.integer)) or w < 1:
            raise ValueError(f"every width must be a positive int, got {w!r} in {widths}.")

    def build() -> nn.Sequential:
        layers: list[nn.Module] = []
        for i, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
            layers.append(nn.Linear(int(fan_in), int(fan_out)))
            if i < len(widths) - 2:
                layers.append(activation())
        return nn.Sequential(*layers)

    if seed is None:
        return build()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return build()


def metric_reaches(name: str, target: float) -> StopFn:
    """A stopping condition: stop once metric ``name`` is ``>= target`` (e.g. accuracy 1.0)."""

    def stop(history: History) -> bool:
        return bool(history.metrics[name][-1] >= target)

    stop.__name__ = f"{name}_reaches_{target}"
    return stop


def _epochs_to_measure(measure_at: Iterable[int], max_epochs: int) -> set[int]:
    epochs = set()
    for e in measure_at:
        if isinstance(e, bool) or not isinstance(e, (int, np.integer)) or e < 0:
            raise ValueError(
                f"measure_at must hold epochs as ints >= 0, got {e!r}; e.g. "
                "measure_at=np.geomspace(1, max_epochs, 30).astype(int)."
            )
        epochs.add(int(e))
    return {e for e in epochs if e <= max_epochs} | {max_epochs}


def _measure(model: nn.Module, metrics: Mapping[str, MetricFn]) -> dict[str, float]:
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            return {name: float(fn(model)) for name, fn in metrics.items()}
    finally:
        model.train(was_training)


def train(
    model: nn.Module,
    X: Tensor,
    y: Tensor,
    *,
    max_epochs: int,
    lr: float = 1e-3,
    batch_size: int | None = None,
    loss_fn: Callable[[Tensor, Tensor], Tensor] = nn.functional.cross_entropy,
    optimizer: Callable[[Iterable[nn.Parameter]], torch.optim.Optimizer] | None = None,
    metrics: Mapping[str, MetricFn] | None = None,
    stop_when: StopFn | None = None,
    seed: int = 0,
    progress: bool = True,
    desc: str = "training",
    measure_at: Iterable[int] | None = None,
) -> TrainResult:
    """Train ``model`` on ``(X, y)`` and measure it after every epoch.

    Each epoch is one pass over a fresh shuffle of the data in minibatches of ``batch_size``
    (the whole set when ``None``: full-batch gradient descent). Metrics are measured at epoch 0
    (before any update) and after each epoch (or only after the epochs in ``measure_at``);
    training stops after ``max_epochs`` or at the first measured epoch >= 1 where
    ``stop_when(history)`` is True.

    Args:
        model: maps ``X[batch]`` to predictions; trained in place.
        X: ``Tensor[n, ...]`` inputs.
        y: ``Tensor[n, ...]`` targets for ``loss_fn`` (int64 class labels for cross-entropy).
        max_epochs: the largest number of passes over the data, >= 1.
        lr: learning rate of the default optimizer (Adam).
        batch_size: examples per gradient step; ``None`` for full batch.
        loss_fn: ``loss_fn(model(X_batch), y_batch)`` -> scalar loss to minimize.
        optimizer: ``params -> torch.optim.Optimizer``; default ``Adam(params, lr=lr)``.
        metrics: name -> ``fn(model) -> float``, measured every epoch in eval mode without
            gradients, e.g. ``{"train_acc": accuracy_metric(X, y)}``.
        stop_when: ``fn(history) -> bool``, e.g. ``metric_reaches("train_acc", 1.0)``.
        seed: seeds the minibatch shuffles, so two runs from equal models are identical.
        progress: show a ``tqdm`` progress bar over epochs (removed when the run ends).
        desc: label of the progress bar.
        measure_at: epochs after which to measure the metrics (and check ``stop_when``); default
            ``None``, every epoch. Epoch 0 and epoch ``max_epochs`` are always measured; epochs
            beyond ``max_epochs`` are ignored. Measuring costs time in long full-batch runs,
            where an epoch is a single step: pass e.g. log-spaced epochs. Which epochs are
            measured never changes the training itself.

    Returns:
        A :class:`TrainResult` with the model, its :class:`History` and its initial parameters.

    Raises:
        ValueError: for mismatched ``X``/``y``, empty data, a non-positive ``max_epochs``,
            ``lr`` or ``batch_size``, or a ``measure_at`` entry that is not an int >= 0.
    """
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have the same number of rows, got {X.shape[0]} and {y.shape[0]}."
        )
    n = int(X.shape[0])
    if n == 0:
        raise ValueError("X is empty: there is nothing to train on.")
    if isinstance(max_epochs, bool) or not isinstance(max_epochs, int) or max_epochs < 1:
        raise ValueError(f"max_epochs must be an int >= 1, got {max_epochs!r}.")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr!r}; Adam's usual value is 1e-3.")
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(
            f"batch_size must be a positive int or None (full batch), got {batch_size!r}."
        )
    measured = None if measure_at is None else _epochs_to_measure(measure_at, max_epochs)
    metrics = dict(metrics or {})
    if stop_when is not None and not metrics:
        raise ValueError(
            "stop_when needs metrics to look at; pass e.g. metrics={'train_acc': ...}."
        )

    use_single_thread()
    batch = n if batch_size is None else min(batch_size, n)
    if optimizer is None:
        opt: torch.optim.Optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    else:
        opt = optimizer(model.parameters())
    generator = torch.Generator().manual_seed(seed)
    initial = snapshot_parameters(model)
    history = History()
    history.record(0, _measure(model, metrics))
    history.stop_reason = "max_epochs"

    model.train()
    bar = tqdm(range(1, max_epochs + 1), desc=desc, leave=False, disable=not progress)
    for epoch in bar:
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch):
            idx = order[start : start + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(X[idx]), y[idx])
            loss.backward()
            opt.step()
        if measured is not None and epoch not in measured:
            continue
        values = _measure(model, metrics)
        history.record(epoch, values)
        if values:
            bar.set_postfix({k: round(v, 3) for k, v in values.items()}, refresh=False)
        if stop_when is not None and stop_when(history):
            history.stop_reason = "condition"
            break
    bar.close()
    return TrainResult(model=model, history=history, initial_parameters=initial)
