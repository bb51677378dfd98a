"""Specification of cohort grading's scoring phase: nbgrader's own autograde steps, with only its
execution replaced by copying in the outputs of the notebook executed in the sandbox."""

from __future__ import annotations

import nbformat
import pytest
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    Execute,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

from autograder.inject_executed import InjectExecuted, nbgrader_autograde_steps, scoring_steps

# nbgrader 0.9.6's steps after Execute, each checked to work on outputs produced elsewhere.
REVIEWED_AFTER_EXECUTE = [
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]


def test_scoring_runs_nbgraders_own_autograde_steps_with_only_execute_replaced():
    # Catches: a hand-copied list that drifts from nbgrader's, or an Execute left in (student
    # code run a second time, outside the sandbox).
    default = nbgrader_autograde_steps()
    assert scoring_steps() == [InjectExecuted if step is Execute else step for step in default]
    assert Execute not in scoring_steps()


def test_nbgraders_autograde_steps_are_the_ones_reviewed_for_injected_outputs():
    # Catches: an nbgrader upgrade that adds, drops or moves a step. A new step may need a live
    # kernel, or run before the outputs exist; check it against InjectExecuted, then update
    # REVIEWED_AFTER_EXECUTE.
    assert nbgrader_autograde_steps() == [Execute, *REVIEWED_AFTER_EXECUTE], (
        "nbgrader's default Autograde.autograde_preprocessors changed: check that cohort "
        "grading still scores the outputs it injects (tests/test_autograder_grade.py)"
    )


@pytest.mark.parametrize(
    "steps, count",
    [(REVIEWED_AFTER_EXECUTE, 0), ([Execute, *REVIEWED_AFTER_EXECUTE, Execute], 2)],
    ids=["no Execute", "two Executes"],
)
def test_steps_without_exactly_one_execute_are_refused(steps, count):
    # Catches: scoring outputs that were never produced (no Execute to replace), or replacing
    # one execution and keeping another.
    with pytest.raises(RuntimeError, match=f"hold {count} Execute steps, expected one"):
        scoring_steps(steps)


def executed_copy(nb, folder, *, student="ada", name="tiny"):
    """``nb`` with outputs, saved where InjectExecuted looks for ``student``'s notebook."""
    executed = nbformat.from_dict(nb)
    executed.cells[1].outputs = [new_output("stream", name="stdout", text="x" * 50)]
    executed.cells[1].execution_count = 1
    (folder / student).mkdir(parents=True)
    nbformat.write(executed, folder / student / f"{name}.ipynb")
    return executed


def sanitized() -> nbformat.NotebookNode:
    return new_notebook(cells=[new_markdown_cell("# Tiny"), new_code_cell("print('x' * 50)")])


RESOURCES = {"nbgrader": {"student": "ada", "notebook": "tiny"}}


def test_outputs_are_copied_in_and_long_text_is_cut(tmp_path):
    # Catches: outputs left out of the scored notebook, or a flood of text scored in full.
    executed_copy(sanitized(), tmp_path)
    step = InjectExecuted(executed_dir=str(tmp_path), max_output_chars=10)
    nb, _ = step.preprocess(sanitized(), RESOURCES)
    text = nb.cells[1].outputs[0]["text"]
    assert text.startswith("x" * 10) and "40 more characters cut by the grader" in text
    assert nb.cells[1].execution_count == 1


def test_outputs_are_never_attached_to_other_code(tmp_path):
    # Catches: the outputs of one notebook scored as if another (edited) notebook produced them.
    executed = executed_copy(sanitized(), tmp_path)
    executed.cells[1].source = "print('something else')"
    nbformat.write(executed, tmp_path / "ada" / "tiny.ipynb")
    with pytest.raises(ValueError, match="was not executed from this sanitized notebook"):
        InjectExecuted(executed_dir=str(tmp_path)).preprocess(sanitized(), RESOURCES)
