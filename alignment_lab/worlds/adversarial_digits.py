"""Handwritten digits under attack, where an attacker may move every pixel a little: the
plumbing of adversarial training and of a detector of attacked inputs.

The attacks themselves (a function ``attack(model, X, y) -> X_adv``) are the learner's; this
module only retrains on attacked copies of the images and builds the detector's training set.
The images, with intensities in [0, 1] so that a radius is a fraction of full ink, come from
:func:`alignment_lab.data.load_unit_digits`, and :func:`alignment_lab.plotting.plot_digits`
draws them.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import Tensor, nn
from tqdm.auto import tqdm

from alignment_lab.arguments import positive_int
from alignment_lab.training import History, train

__all__ = [
    "CLEAN",
    "ADVERSARIAL",
    "Attack",
    "adversarial_training",
    "detector_dataset",
]

CLEAN, ADVERSARIAL = 0, 1  # the detector's two classes

Attack = Callable[[nn.Module, Tensor, Tensor], Tensor]
"""``attack(model, X, y) -> X_adv``: attacked copies of ``X`` (``Tensor[n, 64]``) for labels
``y``, e.g. PGD at some radius against ``model``."""


def adversarial_training(
    model: nn.Module,
    X: Tensor,
    y: Tensor,
    attack: Attack,
    *,
    epochs: int,
    lr: float = 1e-3,
    batch_size: int = 64,
    seed: int = 0,
    progress: bool = True,
    desc: str = "adversarial training",
) -> History:
    """Train ``model`` on attacked copies of its training set, attacking anew every epoch.

    Before each epoch the whole training set is attacked against the model as it is then
    (in eval mode), and one epoch of Adam on minibatches follows on the attacked images alone
    (Madry et al. 2017 attack every minibatch; once per epoch is cheaper and, on this small
    set, close enough). One Adam optimizer carries its state across the epochs.

    Args:
        model: a classifier of ``Tensor[n, 64]`` images into logits; trained in place.
        X: ``Tensor[n, 64]`` clean training images in ``[0, 1]``.
        y: ``Tensor[n]`` int64 labels.
        attack: ``attack(model, X, y) -> X_adv`` of the same shape as ``X``.
        epochs: number of passes, >= 1.
        lr: Adam's learning rate.
        batch_size: examples per gradient step.
        seed: seeds the minibatch shuffles (epoch ``e`` uses ``seed * 1000 + e``).
        progress: show a ``tqdm`` progress bar over epochs.
        desc: label of the progress bar.

    Returns:
        A :class:`~alignment_lab.training.History` with ``"train_adv_loss"``, the mean
        cross-entropy on the attacked images just before each epoch's updates (epochs
        ``1..epochs``).

    Raises:
        ValueError: for a non-positive ``epochs``, or an attack that returns another shape.
    """
    epochs = positive_int("epochs", epochs)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = History()
    for epoch in tqdm(range(1, epochs + 1), desc=desc, leave=False, disable=not progress):
        model.eval()
        X_adv = attack(model, X, y).detach()
        if X_adv.shape != X.shape:
            raise ValueError(
                f"the attack must return one attacked image per input, shape {tuple(X.shape)}, "
                f"got {tuple(X_adv.shape)}."
            )
        with torch.no_grad():
            loss = float(nn.functional.cross_entropy(model(X_adv), y))
        history.record(epoch, {"train_adv_loss": loss})
        train(
            model,
            X_adv,
            y,
            max_epochs=1,
            batch_size=batch_size,
            optimizer=lambda _parameters: optimizer,
            seed=seed * 1000 + epoch,
            progress=False,
        )
    model.eval()
    return history


def detector_dataset(clean: Tensor, adversarial: Tensor) -> tuple[Tensor, Tensor]:
    """Inputs and labels for a detector: clean images are class ``CLEAN`` (0), attacked ones
    ``ADVERSARIAL`` (1).

    Args:
        clean: ``Tensor[n, d]`` unattacked inputs.
        adversarial: ``Tensor[m, d]`` attacked inputs.

    Returns:
        ``(X, y)``: ``X`` is ``Tensor[n + m, d]`` (clean first), ``y`` ``Tensor[n + m]`` int64.

    Raises:
        ValueError: if the two sets have different numbers of features.
    """
    if clean.ndim != 2 or adversarial.ndim != 2 or clean.shape[1] != adversarial.shape[1]:
        raise ValueError(
            f"clean and adversarial must be [n, d] with the same d, got shapes "
            f"{tuple(clean.shape)} and {tuple(adversarial.shape)}."
        )
    X = torch.cat([clean, adversarial]).detach()
    y = torch.cat(
        [
            torch.full((clean.shape[0],), CLEAN, dtype=torch.int64),
            torch.full((adversarial.shape[0],), ADVERSARIAL, dtype=torch.int64),
        ]
    )
    return X, y
