"""Debate on handwritten digits: a judge that sees only a few pixels, and two debaters who take
turns revealing pixels to it (the world of the amplification-and-debate chapter).

Images are scikit-learn's 8x8 digits with ink in [0, 1] (see
:func:`alignment_lab.data.load_unit_digits`); pixels are numbered row by row, ``8 * row + col``.
A *reveal mask* is a bool tensor ``[n, 64]``, True where the judge may see the pixel. The judge
is an MLP trained on images seen through random masks with a fixed number of revealed pixels;
what it is shown is built by a ``judge_input(images, revealed)`` function passed in (the
chapter's first exercise).

In a debate, two debaters know the whole image and have claimed a label each, the honest one
the true label, the liar another. They take turns revealing one pixel each, through a
``move(judge, images, revealed, mine, theirs)`` function passed in (the chapter's second
exercise); at the end the judge, seeing only the revealed pixels, picks whichever of the two
claimed labels it scores higher.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from alignment_lab.arguments import positive_int
from alignment_lab.data import DataSplit
from alignment_lab.training import make_mlp, train

__all__ = [
    "PIXELS",
    "JudgeInput",
    "Move",
    "Debate",
    "random_reveals",
    "train_sparse_judge",
    "prefers",
    "play_debate",
    "debate_every_lie",
]

PIXELS = 64  # pixels of one 8x8 image
CLASSES = 10

JudgeInput = Callable[[Tensor, Tensor], Tensor]
"""``judge_input(images [n, 64], revealed [n, 64] bool) -> Tensor[n, 128]``: what the judge sees."""

Move = Callable[[nn.Module, Tensor, Tensor, Tensor, Tensor], Tensor]
"""``move(judge, images, revealed, mine, theirs) -> Tensor[n]``: the pixel each debater reveals."""


def _pixel_count(value: object) -> int:
    count = positive_int("pixels", value)
    if count > PIXELS:
        raise ValueError(f"pixels must be at most {PIXELS} (an 8x8 image), got {count}.")
    return count


def random_reveals(count: int, pixels: int, *, seed: int) -> Tensor:
    """Reveal masks with exactly ``pixels`` pixels chosen uniformly at random in each row.

    Args:
        count: number of masks (rows), >= 1.
        pixels: revealed pixels per mask, 1..64.
        seed: seeds the choice; the same seed gives the same masks.

    Returns:
        ``Tensor[count, 64]`` of bool.

    Raises:
        ValueError: if ``count`` is not a positive int or ``pixels`` is not in 1..64.
    """
    count = positive_int("count", count)
    pixels = _pixel_count(pixels)
    generator = torch.Generator().manual_seed(seed)
    chosen = torch.rand(count, PIXELS, generator=generator).argsort(dim=1)[:, :pixels]
    revealed = torch.zeros(count, PIXELS, dtype=torch.bool)
    revealed[torch.arange(count).unsqueeze(1), chosen] = True
    return revealed


def train_sparse_judge(
    split: DataSplit,
    judge_input: JudgeInput,
    *,
    pixels: int,
    copies: int = 5,
    epochs: int = 15,
    hidden: int = 128,
    seed: int = 0,
    progress: bool = True,
) -> nn.Sequential:
    """An MLP judge trained to classify digits from ``pixels`` randomly revealed pixels.

    Every training image appears ``copies`` times, each time through a fresh random mask.

    Args:
        split: digits with ink in [0, 1]; ``X_train`` is ``Tensor[n, 64]``.
        judge_input: builds the judge's ``Tensor[n, 128]`` input from images and masks.
        pixels: revealed pixels per training example, 1..64.
        copies: masked copies of each training image, >= 1.
        epochs: passes over the masked copies (Adam, learning rate 1e-3, batches of 128).
        hidden: width of the judge's one hidden layer.
        seed: seeds the masks, the initial weights and the batches.
        progress: show a progress bar over epochs.

    Returns:
        The judge: ``nn.Sequential`` mapping ``Tensor[n, 128]`` to logits ``Tensor[n, 10]``.

    Raises:
        ValueError: for a bad count, or if ``judge_input`` does not return ``[n, 128]``.
    """
    copies = positive_int("copies", copies)
    pixels = _pixel_count(pixels)
    images = split.X_train.repeat(copies, 1)
    labels = split.y_train.repeat(copies)
    inputs = judge_input(images, random_reveals(len(labels), pixels, seed=seed))
    if tuple(inputs.shape) != (len(labels), 2 * PIXELS):
        raise ValueError(
            f"judge_input must return [n, {2 * PIXELS}] (the masked image, then the mask), got "
            f"{tuple(inputs.shape)} for n = {len(labels)}."
        )
    judge = make_mlp([2 * PIXELS, positive_int("hidden", hidden), CLASSES], seed=seed)
    train(
        judge,
        inputs.float(),
        labels,
        max_epochs=positive_int("epochs", epochs),
        batch_size=128,
        seed=seed,
        progress=progress,
        desc=f"judge, {pixels} pixels",
    )
    judge.eval()
    return judge


@torch.no_grad()
def prefers(
    judge: nn.Module,
    judge_input: JudgeInput,
    images: Tensor,
    revealed: Tensor,
    first: Tensor,
    second: Tensor,
) -> Tensor:
    """Whether the judge scores label ``first`` above label ``second`` for each image.

    Args:
        judge: maps ``Tensor[n, 128]`` to logits ``Tensor[n, 10]``.
        judge_input: builds the judge's input.
        images: ``Tensor[n, 64]``.
        revealed: ``Tensor[n, 64]`` bool, the pixels the judge sees.
        first, second: ``Tensor[n]`` int64 labels claimed by the two sides.

    Returns:
        ``Tensor[n]`` bool; a tie counts against ``first``.
    """
    logits = judge(judge_input(images, revealed))
    rows = torch.arange(len(first))
    return logits[rows, first] > logits[rows, second]


@dataclass(frozen=True)
class Debate:
    """One debate on each of ``n`` images.

    Attributes:
        order: ``Tensor[n, pixels]`` int64, the pixels revealed, in the order of the turns.
        revealed: ``Tensor[n, 64]`` bool, every pixel revealed by the end.
        honest_wins: ``Tensor[n]`` bool, the judge picked the honest label.
    """

    order: Tensor
    revealed: Tensor
    honest_wins: Tensor


def play_debate(
    judge: nn.Module,
    judge_input: JudgeInput,
    move: Move,
    images: Tensor,
    honest: Tensor,
    liar: Tensor,
    *,
    pixels: int,
    liar_first: bool = True,
) -> Debate:
    """Debates of ``pixels`` turns, one pixel a turn, the two debaters alternating.

    Args:
        judge, judge_input: the judge and how its input is built.
        move: chooses each debater's pixel; called with the debater's own claim as ``mine``.
        images: ``Tensor[n, 64]``.
        honest: ``Tensor[n]`` int64, the true labels (the honest debater's claims).
        liar: ``Tensor[n]`` int64, the liar's claims, each different from ``honest``.
        pixels: number of turns (pixels revealed in all), 1..64.
        liar_first: the liar reveals the first pixel (else the honest debater does).

    Returns:
        A :class:`Debate`.

    Raises:
        ValueError: if a claim is shared by both sides, or ``move`` chooses a pixel that is
            outside 0..63 or already revealed.
    """
    pixels = _pixel_count(pixels)
    if bool((honest == liar).any()):
        raise ValueError("the liar must claim a label other than the true one in every debate.")
    n = images.shape[0]
    rows = torch.arange(n)
    revealed = torch.zeros(n, PIXELS, dtype=torch.bool)
    order = torch.zeros(n, pixels, dtype=torch.int64)
    for turn in range(pixels):
        liar_moves = (turn % 2 == 0) == liar_first
        mine, theirs = (liar, honest) if liar_moves else (honest, liar)
        with torch.no_grad():
            chosen = torch.as_tensor(move(judge, images, revealed.clone(), mine, theirs))
        chosen = chosen.to(torch.int64).reshape(-1)
        if chosen.shape != (n,) or bool(((chosen < 0) | (chosen >= PIXELS)).any()):
            raise ValueError(
                f"move must return one pixel index in 0..{PIXELS - 1} per image ({n}), got "
                f"shape {tuple(chosen.shape)}."
            )
        if bool(revealed[rows, chosen].any()):
            raise ValueError(
                f"turn {turn + 1}: move chose a pixel that is already revealed; a debater must "
                "reveal a new pixel each turn."
            )
        revealed[rows, chosen] = True
        order[:, turn] = chosen
    wins = prefers(judge, judge_input, images, revealed, honest, liar)
    return Debate(order=order, revealed=revealed, honest_wins=wins)


def debate_every_lie(
    judge: nn.Module,
    judge_input: JudgeInput,
    move: Move,
    images: Tensor,
    labels: Tensor,
    *,
    pixels: int,
    liar_first: bool = True,
) -> Tensor:
    """Debate each image against each of the nine false labels in turn.

    Returns:
        ``Tensor[9, n]`` bool: row ``j`` says whether the honest debater beat the liar who
        claimed label ``(labels + j + 1) % 10``. An image's debate is won, as in Irving et al.
        (2018), when the honest debater wins all nine (``.all(dim=0)``).
    """
    return torch.stack(
        [
            play_debate(
                judge,
                judge_input,
                move,
                images,
                labels,
                (labels + shift) % CLASSES,
                pixels=pixels,
                liar_first=liar_first,
            ).honest_wins
            for shift in range(1, CLASSES)
        ]
    )
