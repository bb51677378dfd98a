"""A chapter's effect check: assertions that the experiment shows the paper's effect.

Wrong code can pass every unit test and still break the science. Each chapter therefore ends
its experiment with a check cell whose assertions are grouped by the exercises they depend on::

    with involving("goal_posterior"):
        assert p_true >= 0.75, f"seed {seed}: P(true goal) {p_true:.2f}, expected >= 0.75"

A failed assertion inside the block is raised again as :class:`EffectNotShown`, whose message
ends with the line ``Most likely involved: goal_posterior``. The learner reads it in the notebook;
``python -m autograder check`` finds it in the graded notebook and reports it after its table.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["INVOLVED", "EffectNotShown", "involving"]

INVOLVED = "Most likely involved: "


class EffectNotShown(AssertionError):
    """The chapter's experiment ran but did not show the effect it is meant to show.

    ``exercises`` are the grade ids of the exercises whose code the failed assertion rests on.
    """

    def __init__(self, message: str, exercises: tuple[str, ...]) -> None:
        super().__init__(f"{message}\n{INVOLVED}{', '.join(exercises)}")
        self.exercises = exercises


@contextmanager
def involving(*exercises: str) -> Iterator[None]:
    """Re-raise a failed assertion in the block as :class:`EffectNotShown` naming ``exercises``.

    Args:
        exercises: the grade ids of the exercises (the learner's functions) the assertions in
            the block depend on, most likely culprit first; at least one.

    Raises:
        ValueError: if no exercise is named.
        EffectNotShown: if an assertion in the block fails.
    """
    if not exercises or not all(isinstance(e, str) and e for e in exercises):
        raise ValueError(
            f"involving() needs the grade ids of the exercises the check depends on, got "
            f"{exercises!r}; e.g. involving('goal_posterior')."
        )
    try:
        yield
    except EffectNotShown:
        raise  # an inner block already named its exercises
    except AssertionError as failure:
        message = str(failure) or "an assertion of the effect check failed (it gives no message)"
        raise EffectNotShown(message, tuple(exercises)) from failure
