"""The effect check's grouping of assertions by the exercises they rest on. (The assertions are
raised explicitly: pytest rewrites the messages of ``assert`` statements in test files.)"""

from __future__ import annotations

import pytest

from alignment_lab.effects import INVOLVED, EffectNotShown, involving
from autograder import check


def test_a_failed_assertion_names_the_exercises_it_rests_on():
    with pytest.raises(EffectNotShown) as caught:
        with involving("goal_posterior", "robot_decision"):
            raise AssertionError("seed 0: P(true goal) 0.50, expected >= 0.75")
    assert str(caught.value) == (
        "seed 0: P(true goal) 0.50, expected >= 0.75\n"
        "Most likely involved: goal_posterior, robot_decision"
    )
    assert caught.value.exercises == ("goal_posterior", "robot_decision")
    assert isinstance(caught.value, AssertionError), "still an assertion for pytest and nbgrader"
    assert isinstance(caught.value.__cause__, AssertionError), "the failed assert stays visible"


def test_the_innermost_block_names_the_exercises():
    with pytest.raises(EffectNotShown) as caught:
        with involving("outer"):
            with involving("inner"):
                raise AssertionError("measured")
    assert caught.value.exercises == ("inner",)


def test_passing_assertions_and_other_errors_go_through_unchanged():
    with involving("add"):
        assert 1 + 1 == 2
    with pytest.raises(KeyError):
        with involving("add"):
            {}["missing"]


def test_an_assertion_without_a_message_still_says_what_failed():
    with pytest.raises(EffectNotShown, match="gives no message"):
        with involving("add"):
            raise AssertionError


def test_naming_no_exercise_is_an_error_that_says_how_to_fix_it():
    with pytest.raises(ValueError, match="involving\\('goal_posterior'\\)"):
        with involving():
            pass


def test_the_self_check_reads_the_same_marker_the_package_writes():
    assert check.INVOLVED == INVOLVED
    assert check.EFFECT_NOT_SHOWN == EffectNotShown.__name__
