"""Unit tests of alignment_lab.worlds.sparse_parity."""

import pytest
import torch

from alignment_lab.training import make_mlp
from alignment_lab.worlds.sparse_parity import parity_batch, train_online


def test_parity_labels_are_the_parity_of_the_relevant_positions():
    X, y = parity_batch(6, [1, 4], 200, torch.Generator().manual_seed(0))
    assert X.shape == (200, 6) and X.dtype == torch.float32
    assert set(X.unique().tolist()) == {-1.0, 1.0}
    odd = ((X[:, [1, 4]] < 0).sum(dim=1) % 2 == 1).long()
    assert torch.equal(y, odd)


def test_parity_batch_is_reproducible_from_the_generator():
    a = parity_batch(10, [0], 5, torch.Generator().manual_seed(3))
    b = parity_batch(10, [0], 5, torch.Generator().manual_seed(3))
    assert torch.equal(a[0], b[0]) and torch.equal(a[1], b[1])


@pytest.mark.parametrize("relevant", [[], [0, 0], [10], [-1]])
def test_bad_positions_are_rejected_with_a_message(relevant):
    with pytest.raises(ValueError, match="relevant"):
        parity_batch(10, relevant, 4, torch.Generator())


def test_train_online_measures_every_few_steps_and_learns_a_one_bit_parity():
    model = make_mlp([8, 16, 2], seed=0)
    X, y = parity_batch(8, [3], 256, torch.Generator().manual_seed(1))

    def accuracy(m):
        return float((m(X).argmax(dim=1) == y).float().mean())

    history = train_online(
        model,
        8,
        [3],
        steps=300,
        measure_every=100,
        lr=1e-2,
        weight_decay=0.0,
        metrics={"acc": accuracy},
        progress=False,
    )
    assert history.epochs == [0, 100, 200, 300]
    assert history["acc"][-1] == 1.0


def test_train_online_rejects_a_non_positive_step_count():
    with pytest.raises(ValueError, match="steps"):
        train_online(make_mlp([4, 2], seed=0), 4, [0], steps=0, metrics={}, progress=False)
