"""Permutation powering, a task that splits into easier copies of itself (the world of the
amplification-and-debate chapter, after Christiano, Shlegeris & Amodei 2018).

A hidden permutation ``perm`` of ``size`` elements is fixed. A *question* ``(x, k)`` asks for
``perm`` applied ``k`` times to ``x``, written ``perm^k(x)``, for ``k`` in ``1..max_power``. The
weak expert (the "human", :class:`OneStepHuman`) can only answer ``k = 1``: it looks ``x`` up.
Every harder question splits into two easier ones, since ``perm^(a+b)(x) =
perm^b(perm^a(x))``.

The learner is :class:`PowerModel`, an MLP that reads a question as two one-hot codes and
outputs a class per element. It is trained either on the true answers (supervised learning) or,
round after round, on the answers of the amplified system: the human plus the model's own
answers to sub-questions, combined by an ``amplify`` function passed in (the chapter's third
exercise).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from tqdm.auto import tqdm

from alignment_lab.arguments import positive_int
from alignment_lab.metrics import accuracy_metric, predict
from alignment_lab.training import make_mlp, metric_reaches, train

__all__ = [
    "random_permutation",
    "power_table",
    "all_questions",
    "OneStepHuman",
    "PowerModel",
    "Run",
    "supervised_learning",
    "iterated_amplification",
]

BATCH = 256  # questions per gradient step
FIT = 0.99  # a model has learned its targets once it reproduces this share of them

Amplify = Callable[
    [Callable[[np.ndarray, np.ndarray], np.ndarray], Callable, np.ndarray, np.ndarray],
    np.ndarray,
]
"""``amplify(answer, human, xs, ks) -> [m]`` answers of the amplified system."""


def random_permutation(size: int, *, seed: int) -> np.ndarray:
    """A uniformly random permutation of ``0..size-1`` as an int array ``[size]``."""
    size = positive_int("size", size)
    return np.random.default_rng(seed).permutation(size)


def power_table(perm: np.ndarray, max_power: int) -> np.ndarray:
    """The true answers: ``table[x, k - 1] = perm^k(x)`` for ``k = 1..max_power``.

    Args:
        perm: ``[size]`` int array, a permutation of ``0..size-1``.
        max_power: the largest ``k``, >= 1.

    Returns:
        ``[size, max_power]`` int array.

    Raises:
        ValueError: if ``perm`` is not a permutation.
    """
    perm = np.asarray(perm)
    if perm.ndim != 1 or not np.array_equal(np.sort(perm), np.arange(len(perm))):
        raise ValueError(f"perm must be a permutation of 0..n-1, got {perm!r}.")
    max_power = positive_int("max_power", max_power)
    table = np.empty((len(perm), max_power), dtype=np.int64)
    current = np.arange(len(perm))
    for k in range(max_power):
        current = perm[current]
        table[:, k] = current
    return table


def all_questions(size: int, max_power: int) -> tuple[np.ndarray, np.ndarray]:
    """Every question once: ``(xs, ks)``, two int arrays ``[size * max_power]``, ``x``-major."""
    size, max_power = positive_int("size", size), positive_int("max_power", max_power)
    xs = np.repeat(np.arange(size), max_power)
    ks = np.tile(np.arange(1, max_power + 1), size)
    return xs, ks


class OneStepHuman:
    """The weak expert: answers ``perm(x)`` (one step) by looking it up, and counts its labels.

    Attributes:
        labels: the distinct elements ``x`` it has been asked about so far: each is one
            ground-truth label, however often it is asked again.
    """

    def __init__(self, perm: np.ndarray) -> None:
        self.perm = np.asarray(perm)
        self.labels: set[int] = set()

    def __call__(self, xs: np.ndarray) -> np.ndarray:
        """``perm[xs]`` for an int array ``xs`` of any length (0 is fine)."""
        xs = np.asarray(xs, dtype=np.int64)
        self.labels.update(xs.tolist())
        return self.perm[xs]


class PowerModel:
    """An MLP that answers questions ``(x, k)``: input one-hot ``x`` then one-hot ``k - 1``.

    Args:
        size: number of elements.
        max_power: the largest ``k`` it is asked about.
        hidden: width of its one hidden layer.
        seed: seeds the initial weights.
    """

    def __init__(self, size: int, max_power: int, *, hidden: int = 128, seed: int = 0) -> None:
        self.size = positive_int("size", size)
        self.max_power = positive_int("max_power", max_power)
        widths = [self.size + self.max_power, positive_int("hidden", hidden), self.size]
        self.net = make_mlp(widths, seed=seed)
        self.steps = 0  # gradient steps taken so far

    def features(self, xs: np.ndarray, ks: np.ndarray) -> torch.Tensor:
        """``Tensor[m, size + max_power]``: one-hot ``x``, then one-hot ``k - 1``.

        Raises:
            ValueError: for an ``x`` outside ``0..size-1`` or a ``k`` outside ``1..max_power``.
        """
        xs, ks = np.asarray(xs, dtype=np.int64), np.asarray(ks, dtype=np.int64)
        if xs.shape != ks.shape or xs.ndim != 1:
            raise ValueError(f"xs and ks must be 1-D of one length, got {xs.shape}, {ks.shape}.")
        if xs.size and (xs.min() < 0 or xs.max() >= self.size):
            raise ValueError(f"every x must be in 0..{self.size - 1}, got {sorted(set(xs))}.")
        if ks.size and (ks.min() < 1 or ks.max() > self.max_power):
            raise ValueError(
                f"every k must be in 1..{self.max_power}: the model answers only those "
                f"powers, got {sorted(set(ks.tolist()))}."
            )
        X = torch.zeros(len(xs), self.size + self.max_power)
        rows = torch.arange(len(xs))
        X[rows, torch.as_tensor(xs)] = 1.0
        X[rows, self.size + torch.as_tensor(ks) - 1] = 1.0
        return X

    def answer(self, xs: np.ndarray, ks: np.ndarray) -> np.ndarray:
        """The model's answers ``perm^k(x)``: an int array like ``xs``."""
        if len(xs) == 0:
            return np.zeros(0, dtype=np.int64)
        return predict(self.net, self.features(xs, ks)).numpy()

    def fit(
        self,
        xs: np.ndarray,
        ks: np.ndarray,
        targets: np.ndarray,
        *,
        max_epochs: int = 300,
        seed: int = 0,
    ) -> int:
        """Train on ``targets`` until the model reproduces 99% of them (or ``max_epochs``).

        Adam at learning rate 3e-3, batches of 128 questions. Returns the gradient steps taken
        (also added to ``self.steps``).
        """
        X, y = self.features(xs, ks), torch.as_tensor(np.asarray(targets), dtype=torch.int64)
        result = train(
            self.net,
            X,
            y,
            max_epochs=positive_int("max_epochs", max_epochs),
            lr=1e-2,
            batch_size=BATCH,
            metrics={"fit": accuracy_metric(X, y)},
            stop_when=metric_reaches("fit", FIT),
            seed=seed,
            progress=False,
        )
        steps = result.history.last_epoch * -(-len(y) // BATCH)
        self.steps += steps
        return steps


@dataclass
class Run:
    """One way of training a :class:`PowerModel`, measured after each round.

    Attributes:
        steps: gradient steps taken by the end of each round.
        accuracy: share of all questions answered right after each round.
        hard_accuracy: the same for the questions with ``k >= 2``.
        labels: ground-truth labels used in all.
    """

    steps: list[int] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    hard_accuracy: list[float] = field(default_factory=list)
    labels: int = 0

    def record(self, model: PowerModel, truth: np.ndarray) -> None:
        """Append the model's step count and accuracies against ``truth [size, max_power]``."""
        xs, ks = all_questions(model.size, model.max_power)
        right = model.answer(xs, ks) == truth[xs, ks - 1]
        self.steps.append(model.steps)
        self.accuracy.append(float(right.mean()))
        self.hard_accuracy.append(float(right[ks >= 2].mean()))

    def steps_to(self, target: float) -> int | None:
        """Gradient steps at the first round whose accuracy is ``>= target``, or None."""
        hits = [s for s, a in zip(self.steps, self.accuracy, strict=True) if a >= target]
        return hits[0] if hits else None


def supervised_learning(
    perm: np.ndarray, max_power: int, *, labelled: np.ndarray, seed: int = 0
) -> Run:
    """Train on the true answers of the questions ``labelled`` picks, until they are fit.

    Args:
        perm: the hidden permutation.
        max_power: the largest ``k``.
        labelled: ``[size * max_power]`` bool, which questions (in :func:`all_questions`
            order) come with their true answer.
        seed: seeds the model and its batches.

    Returns:
        A :class:`Run` of one round; ``labels`` is the number of labelled questions.
    """
    truth = power_table(perm, max_power)
    xs, ks = all_questions(len(perm), max_power)
    labelled = np.asarray(labelled, dtype=bool)
    if labelled.shape != xs.shape or not labelled.any():
        raise ValueError(
            f"labelled must be a bool array [{len(xs)}] with at least one True, got shape "
            f"{labelled.shape}."
        )
    model = PowerModel(len(perm), max_power, seed=seed)
    run = Run(labels=int(labelled.sum()))
    model.fit(xs[labelled], ks[labelled], truth[xs, ks - 1][labelled], seed=seed)
    run.record(model, truth)
    return run


def iterated_amplification(
    amplify: Amplify,
    perm: np.ndarray,
    max_power: int,
    *,
    max_rounds: int = 14,
    seed: int = 0,
    progress: bool = True,
) -> Run:
    """Distill the amplified system into the model, round after round.

    Each round asks the amplified system (``amplify`` with the current model and the
    one-step human) every question, then trains the model on those answers until it
    reproduces them. It stops when the model already agrees with its own amplification on 99%
    of the questions before training (a fixed point, noticed without any true answer), or
    after ``max_rounds``.

    Returns:
        A :class:`Run`, one entry per round; ``labels`` counts the human's distinct answers.

    Raises:
        ValueError: if ``amplify`` does not return one answer in ``0..size-1`` per question.
    """
    truth = power_table(perm, max_power)
    xs, ks = all_questions(len(perm), max_power)
    model, human = PowerModel(len(perm), max_power, seed=seed), OneStepHuman(perm)
    run = Run()
    for round_ in tqdm(
        range(positive_int("max_rounds", max_rounds)),
        desc="rounds",
        leave=False,
        disable=not progress,
    ):
        targets = np.asarray(amplify(model.answer, human, xs, ks))
        if targets.shape != xs.shape or targets.min() < 0 or targets.max() >= len(perm):
            raise ValueError(
                f"amplify must return one answer in 0..{len(perm) - 1} per question "
                f"({len(xs)}), got shape {targets.shape}."
            )
        if round_ and np.mean(model.answer(xs, ks) == targets) >= FIT:
            break
        model.fit(xs, ks, targets, seed=seed + round_)
        run.record(model, truth)
    run.labels = len(human.labels)
    return run
