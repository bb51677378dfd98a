"""What happened to each submission, and why, in words an instructor can act on.

Every submission a cohort grading run sees ends with one :class:`Outcome`: graded, scored with a
warning, or the reason it was not scored (:mod:`autograder.records` keeps them).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import nbformat

from .check import experiment_problem
from .run_notebook import EXIT_KERNEL, EXIT_UNREADABLE
from .sandbox import Limits, SandboxResult
from .workspace import telling_line

__all__ = [
    "GRADED",
    "SCORED_WITH_A_FLAG",
    "Outcome",
    "cell_name",
    "execute_status",
    "flagged_outputs",
    "rejection",
    "with_effect_check",
]

GRADED = "graded"
# Outcomes whose notebook ran and was scored, with a warning: a re-run skips them like GRADED.
SCORED_WITH_A_FLAG = ("memory", "tampered", "cell timeout")


@dataclass(frozen=True)
class Outcome:
    """What happened to one submission.

    Attributes:
        student: the student id.
        status: ``"graded"``; ``"memory"``, ``"tampered"`` or ``"cell timeout"`` when scored
            with a warning (see :func:`flagged_outputs`); or why it was not scored:
            ``"rejected"``, ``"unreadable"``, ``"timeout"`` (the whole notebook), ``"kernel
            died"``, ``"error"``, or a collection problem such as ``"renamed"`` or
            ``"duplicate"``.
        reason: a sentence for the instructor.
        submission_sha256: hash of the submitted notebook, to re-grade only what changed.
        seconds: wall time spent executing.
        gradebook: the gradebook it was scored into (its URL without a password), so that a
            re-run into another gradebook grades it again.
    """

    student: str
    status: str
    reason: str
    submission_sha256: str = ""
    seconds: float = 0.0
    gradebook: str = ""

    @property
    def scored(self) -> bool:
        return self.status == GRADED or self.status in SCORED_WITH_A_FLAG


def execute_status(result: SandboxResult, seconds: float, limits: Limits) -> tuple[str, str]:
    """``(status, reason)`` of one sandboxed run of ``autograder.run_notebook``."""
    if result.timed_out:
        return "timeout", f"stopped after the {limits.wall_seconds:.0f} s limit per notebook"
    if "MemoryError" in result.stderr or result.killed_by == "SIGKILL":
        return "memory", f"ran out of memory (cap {limits.memory_text})"
    if result.returncode == EXIT_UNREADABLE:
        return "unreadable", result.stderr.strip().splitlines()[-1]
    if result.returncode == EXIT_KERNEL:
        last = result.stderr.strip().splitlines()[-1]
        return ("timeout" if "CellTimeoutError" in last else "kernel died"), last
    if result.returncode != 0:
        tail = result.stderr.strip().splitlines()[-1:] or ["no message"]
        return "error", f"execution failed (exit {result.returncode}): {tail[0]}"
    return GRADED, f"executed in {seconds:.1f} s"


# nbgrader's errors for damaged notebooks, in words an instructor can pass on to the student.
_KNOWN_DAMAGE = {
    "NotJSONError": "the file is not a notebook (malformed JSON); ask for a fresh copy",
    "UnicodeDecodeError": (
        "the file is not a notebook: it is not even text (a damaged download or another kind "
        "of file); ask the student for their .ipynb file again"
    ),
    "KeyError: 'grade_id'": (
        "a graded cell was duplicated or its metadata edited; the answers must stay in the "
        "original cells"
    ),
}


def rejection(log: str) -> str:
    """Why nbgrader could not sanitize a submission, from its log: the known kinds of damage in
    words for the student, otherwise the log's most telling line."""
    for marker, meaning in _KNOWN_DAMAGE.items():
        if marker in log:
            return f"nbgrader rejected the notebook: {meaning}"
    line = telling_line(log)
    if line:
        return f"nbgrader rejected the notebook: {line}"
    return "nbgrader rejected the notebook (no reason in its log)"


# What nbgrader's Execute writes as the traceback of an error the notebook kept from view.
_HIDDEN_TRACEBACK = ["ERROR: An error occurred while showtraceback was disabled"]


def cell_name(nb: nbformat.NotebookNode, index: int) -> str:
    """How an instructor finds cell ``index``: its grade id, or its place after the last one."""
    grade_id = nb.cells[index].get("metadata", {}).get("nbgrader", {}).get("grade_id")
    if grade_id:
        return f"cell {grade_id!r} (cell {index})"
    before = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells[:index]]
    before = [g for g in before if g]
    return f"cell {index}" + (f" (after {before[-1]!r})" if before else "")


def flagged_outputs(
    notebook_json: str, limits: Limits, cell_timeout: int | None
) -> tuple[str, str] | None:
    """A notebook that ran but whose outputs show trouble: ``(status, reason)``, or None.

    A cell that ran out of memory (``"memory"``); one interrupted at the per-cell time limit
    (``"cell timeout"``); or one whose error code in the notebook kept from being shown
    (``"tampered"``): nbgrader's ``Execute`` then adds the error from the kernel's reply, with
    a traceback of its own. Each is still scored as it ran: the failing cell fails its test.
    """
    nb = nbformat.reads(notebook_json, as_version=nbformat.NO_CONVERT)
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            if output.get("ename") == "CellTimeoutError":
                return "cell timeout", (
                    f"{cell_name(nb, index)} ran past the {cell_timeout} s limit per cell and "
                    "was interrupted; graded as it ran (its tests fail)"
                )
            if output.get("ename") == "MemoryError":
                cap = limits.memory_text
                return "memory", (
                    f"{cell_name(nb, index)} ran out of memory (cap {cap}); graded as it ran"
                )
            if output.get("traceback") == _HIDDEN_TRACEBACK:
                return "tampered", (
                    f"{cell_name(nb, index)} failed but code in the notebook hid the error "
                    "(e.g. by replacing IPython's traceback display); scored as failed, worth a "
                    "look"
                )
    return None


def with_effect_check(outcome: Outcome, executed: str) -> Outcome:
    """The outcome, its reason extended when the chapter's effect check failed: the scores stay
    nbgrader's, but an instructor should know that the experiment did not show its effect."""
    try:
        problem = experiment_problem(nbformat.reads(executed, as_version=4))
    except Exception:  # unreadable output was already reported by nbgrader's scoring
        return outcome
    if problem is None or not problem.effect_not_shown:
        return outcome
    first_line = problem.message.splitlines()[0] if problem.message else ""
    reason = f"{outcome.reason}; the experiment does not show the chapter's effect ({first_line})"
    return replace(outcome, reason=reason)
