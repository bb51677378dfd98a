"""Specification of alignment_lab.worlds.adversarial_digits: adversarial training on attacked
copies of the digits, and a detector's training set."""

import pytest
import torch

from alignment_lab.data import load_unit_digits
from alignment_lab.training import make_mlp
from alignment_lab.worlds.adversarial_digits import (
    ADVERSARIAL,
    CLEAN,
    adversarial_training,
    detector_dataset,
)


def test_adversarial_training_attacks_the_current_model_every_epoch_and_learns():
    split = load_unit_digits(test_fraction=0.25, seed=1)
    calls = []

    def noise_attack(model, X, y):
        calls.append(model.training)
        return (X + 0.05).clamp(0, 1)

    model = make_mlp([64, 32, 10], seed=0)
    history = adversarial_training(
        model, split.X_train, split.y_train, noise_attack, epochs=4, seed=0, progress=False
    )
    assert calls == [False] * 4, "one attack per epoch, on the model in eval mode"
    assert history.epochs == [1, 2, 3, 4]
    losses = history["train_adv_loss"]
    assert losses[-1] < losses[0], "training on the attacked images lowers their loss"
    assert not model.training, "the trained model is returned in eval mode"


def test_adversarial_training_rejects_an_attack_of_the_wrong_shape_and_bad_epochs():
    split = load_unit_digits(seed=0)
    model = make_mlp([64, 8, 10], seed=0)
    with pytest.raises(ValueError, match="one attacked image per input"):
        adversarial_training(
            model, split.X_train, split.y_train, lambda m, X, y: X[:5], epochs=1, progress=False
        )
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        adversarial_training(
            model, split.X_train, split.y_train, lambda m, X, y: X, epochs=0, progress=False
        )


def test_detector_dataset_labels_clean_then_adversarial():
    clean, attacked = torch.zeros(3, 4), torch.ones(2, 4)
    X, y = detector_dataset(clean, attacked)
    assert X.shape == (5, 4) and y.tolist() == [CLEAN] * 3 + [ADVERSARIAL] * 2
    with pytest.raises(ValueError, match="same d"):
        detector_dataset(clean, torch.ones(2, 5))
