"""Specification of alignment_lab.worlds.pixel_debate: random reveal masks, a sparse judge, and
debates in which each debater reveals a new pixel a turn."""

import pytest
import torch

from alignment_lab.data import load_unit_digits
from alignment_lab.metrics import accuracy
from alignment_lab.worlds.pixel_debate import (
    debate_every_lie,
    play_debate,
    prefers,
    random_reveals,
    train_sparse_judge,
)


def judge_input(images, revealed):
    shown = revealed.float()
    return torch.cat([images * shown, shown], dim=1)


def first_hidden(judge, images, revealed, mine, theirs):
    """A debater that reveals the lowest hidden pixel."""
    return (~revealed).float().argmax(dim=1)


def linear_judge(weights):
    judge = torch.nn.Linear(128, 10, bias=False)
    with torch.no_grad():
        judge.weight.zero_()
        judge.weight[:, :64] = weights
    return judge


def test_random_reveals_show_exactly_the_asked_number_and_depend_only_on_the_seed():
    masks = random_reveals(50, 6, seed=3)
    assert masks.dtype == torch.bool and masks.shape == (50, 64)
    assert torch.all(masks.sum(dim=1) == 6)
    assert torch.equal(masks, random_reveals(50, 6, seed=3))
    assert not torch.equal(masks, random_reveals(50, 6, seed=4))


@pytest.mark.parametrize(("count", "pixels"), [(0, 3), (5, 0), (5, 65)])
def test_random_reveals_reject_bad_counts(count, pixels):
    with pytest.raises(ValueError, match="count|pixels"):
        random_reveals(count, pixels, seed=0)


def test_a_debate_reveals_one_new_pixel_a_turn_and_the_judge_decides_between_the_claims():
    weights = torch.zeros(10, 64)
    weights[2, 1] = 5.0  # pixel 1, revealed on the second turn, favours label 2
    images = torch.ones(3, 64)
    honest, liar = torch.tensor([2, 2, 5]), torch.tensor([4, 4, 2])
    game = play_debate(
        linear_judge(weights), judge_input, first_hidden, images, honest, liar, pixels=3
    )
    assert game.order.tolist() == [[0, 1, 2]] * 3
    assert torch.all(game.revealed.sum(dim=1) == 3)
    assert game.honest_wins.tolist() == [True, True, False]


def test_a_debate_refuses_a_move_that_reveals_a_pixel_twice_or_a_shared_claim():
    def stubborn(judge, images, revealed, mine, theirs):
        return torch.zeros(len(mine), dtype=torch.int64)

    judge, images = linear_judge(torch.zeros(10, 64)), torch.ones(2, 64)
    labels = torch.tensor([1, 2])
    with pytest.raises(ValueError, match="already revealed"):
        play_debate(judge, judge_input, stubborn, images, labels, labels + 1, pixels=2)
    with pytest.raises(ValueError, match="other than the true one"):
        play_debate(judge, judge_input, first_hidden, images, labels, labels, pixels=2)


def test_prefers_counts_a_tie_against_the_first_label():
    judge = linear_judge(torch.zeros(10, 64))
    wins = prefers(
        judge,
        judge_input,
        torch.ones(1, 64),
        torch.ones(1, 64, dtype=torch.bool),
        torch.tensor([1]),
        torch.tensor([2]),
    )
    assert wins.tolist() == [False]


def test_a_sparse_judge_beats_chance_and_every_lie_is_debated():
    split = load_unit_digits(seed=0)
    judge = train_sparse_judge(split, judge_input, pixels=6, copies=3, epochs=8, progress=False)
    shown = random_reveals(len(split.y_test), 6, seed=1)
    assert accuracy(judge, judge_input(split.X_test, shown), split.y_test) > 0.25
    wins = debate_every_lie(
        judge, judge_input, first_hidden, split.X_test[:5], split.y_test[:5], pixels=2
    )
    assert wins.shape == (9, 5) and wins.dtype == torch.bool


def test_the_judge_input_must_have_128_columns():
    split = load_unit_digits(seed=0)
    with pytest.raises(ValueError, match="128"):
        train_sparse_judge(split, lambda x, m: x * m, pixels=6, epochs=1, progress=False)
