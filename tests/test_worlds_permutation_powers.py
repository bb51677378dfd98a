"""Specification of alignment_lab.worlds.permutation_powers: the true answers, a human who only
knows one step and counts its labels, and the two ways of training the model."""

import numpy as np
import pytest

from alignment_lab.worlds.permutation_powers import (
    OneStepHuman,
    PowerModel,
    all_questions,
    iterated_amplification,
    power_table,
    random_permutation,
    supervised_learning,
)


def halves(answer, human, xs, ks):
    out = np.empty(len(xs), dtype=np.int64)
    easy = ks == 1
    out[easy] = human(xs[easy])
    first = ks[~easy] // 2
    out[~easy] = answer(answer(xs[~easy], first), ks[~easy] - first)
    return out


def test_the_power_table_applies_the_permutation_k_times():
    perm = np.array([1, 2, 0, 3])
    table = power_table(perm, 4)
    assert table[:, 0].tolist() == [1, 2, 0, 3]
    assert table[:, 2].tolist() == [0, 1, 2, 3]  # a 3-cycle returns after 3 steps
    assert table[0].tolist() == [1, 2, 0, 1]


def test_power_table_rejects_what_is_not_a_permutation():
    with pytest.raises(ValueError, match="permutation"):
        power_table(np.array([0, 0, 1]), 2)


def test_questions_cover_every_element_and_power_once():
    xs, ks = all_questions(3, 4)
    pairs = sorted(zip(xs.tolist(), ks.tolist(), strict=True))
    assert pairs == [(x, k) for x in range(3) for k in (1, 2, 3, 4)]


def test_the_human_answers_one_step_and_counts_distinct_labels():
    human = OneStepHuman(np.array([2, 0, 1]))
    assert human(np.array([0, 0, 1])).tolist() == [2, 2, 0]
    assert human(np.zeros(0, dtype=int)).tolist() == []
    assert human.labels == {0, 1}


def test_the_model_refuses_questions_outside_its_range():
    model = PowerModel(4, 3, seed=0)
    assert model.answer(np.array([0, 3]), np.array([1, 3])).shape == (2,)
    with pytest.raises(ValueError, match="every k"):
        model.answer(np.array([0]), np.array([4]))
    with pytest.raises(ValueError, match="every x"):
        model.answer(np.array([4]), np.array([1]))


def test_amplification_learns_every_power_from_the_one_step_labels_alone():
    perm = random_permutation(8, seed=0)
    run = iterated_amplification(halves, perm, 8, seed=0, progress=False)
    assert run.labels == 8
    assert run.hard_accuracy[-1] >= 0.95
    assert run.steps == sorted(run.steps) and run.steps[-1] > 0


def test_supervised_learning_on_one_step_labels_does_not_learn_the_hard_questions():
    perm = random_permutation(16, seed=1)
    xs, ks = all_questions(16, 16)
    easy = supervised_learning(perm, 16, labelled=ks == 1, seed=0)
    assert easy.labels == 16 and easy.hard_accuracy[-1] < 0.5
    full = supervised_learning(perm, 16, labelled=np.ones(len(xs), bool), seed=0)
    assert full.accuracy[-1] >= 0.95 and full.steps_to(0.95) == full.steps[-1]


def test_amplify_must_answer_every_question():
    with pytest.raises(ValueError, match="one answer"):
        iterated_amplification(
            lambda answer, human, xs, ks: xs[:1], np.arange(4), 4, progress=False
        )
