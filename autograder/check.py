"""A learner's self-check: grade one notebook against its chapter's full tests.

The notebook is graded exactly as nbgrader's ``autograde`` would grade it in a cohort, hidden tests
included (restored from the chapter's source), but in a temporary course directory: nothing is
written into the repository.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from traitlets.config import Config

from .course import Course, NotAChapterNotebook
from .progress import CellProgress
from .workspace import workspace

LEARNER = "learner"

PASSED = "passed"
NOT_ATTEMPTED = "not attempted"
WRONG = "wrong"
ERROR = "error"
TIMEOUT = "timeout"
BY_A_PERSON = "graded by a person"


@dataclass(frozen=True)
class CellResult:
    """The outcome of one graded cell. ``earned`` is None for answers a person grades."""

    grade_id: str
    earned: float | None
    possible: float
    status: str
    detail: str = ""

    @property
    def autograded(self) -> bool:
        return self.status != BY_A_PERSON


@dataclass(frozen=True)
class CheckReport:
    """Every graded cell of one checked notebook, in notebook order."""

    slug: str
    cells: tuple[CellResult, ...]

    @property
    def auto_earned(self) -> float:
        return sum(c.earned or 0.0 for c in self.cells if c.autograded)

    @property
    def auto_possible(self) -> float:
        return sum(c.possible for c in self.cells if c.autograded)

    @property
    def manual_possible(self) -> float:
        return sum(c.possible for c in self.cells if not c.autograded)

    @property
    def full_marks(self) -> bool:
        """Every autograded point earned (written answers are not part of the self-check)."""
        return self.auto_earned >= self.auto_possible


def check_notebook(
    notebook: Path,
    course: Course | None = None,
    *,
    timeout: int | None = None,
    progress: bool = True,
) -> CheckReport:
    """Autograde a learner's ``notebook`` against its chapter's source.

    ``timeout`` overrides the per-cell limit in seconds; ``progress`` shows a bar over cells.
    Raises ``FileNotFoundError`` or ``NotAChapterNotebook`` with a readable message for a path
    that cannot be checked.
    """
    course = course or Course.default()
    notebook = Path(notebook)
    if not notebook.is_file():
        raise FileNotFoundError(f"{notebook} does not exist. Give the path of your notebook.")
    slug = course.chapter_of(notebook)
    try:
        nbformat.read(notebook, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for a broken file
        raise NotAChapterNotebook(
            f"{notebook} cannot be read as a notebook ({type(exc).__name__}: {exc}). "
            "If it was edited outside Jupyter, restore it from a saved checkpoint."
        ) from exc

    overrides = Config()
    if timeout is not None:
        overrides.Execute.timeout = timeout
    with (
        CellProgress(notebook, enabled=progress) as bar,
        workspace(course, [slug], overrides, on_cell_executed=bar.advance) as ws,
    ):
        ws.run("generate_assignment", slug)
        submission = ws.root / "submitted" / LEARNER / slug
        shutil.copytree(ws.root / "exercises" / slug, submission)  # the chapter's other files
        shutil.copyfile(notebook, submission / f"{slug}.ipynb")
        ws.run("autograde", slug, LEARNER)
        graded = nbformat.read(ws.root / "autograded" / LEARNER / slug / f"{slug}.ipynb", 4)
        scores = _scores(ws.db_url, slug)
    return CheckReport(slug, tuple(_results(graded, scores)))


def _scores(db_url: str, slug: str) -> dict[str, tuple[float | None, float]]:
    """grade_id -> (score, max score) as recorded in the gradebook."""
    with Gradebook(db_url) as gradebook:
        submitted = gradebook.find_submission_notebook(slug, slug, LEARNER)
        return {g.name: (g.score, g.max_score) for g in submitted.grades}


def _results(graded: nbformat.NotebookNode, scores: dict) -> list[CellResult]:
    results = []
    for cell in graded.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("grade"):
            continue
        grade_id = meta["grade_id"]
        score, possible = scores[grade_id]
        if meta.get("solution"):
            results.append(CellResult(grade_id, None, possible, BY_A_PERSON))
        elif score is not None and score >= possible:
            results.append(CellResult(grade_id, score, possible, PASSED))
        else:
            status, detail = _failure(cell)
            results.append(CellResult(grade_id, score or 0.0, possible, status, detail))
    return results


def _failure(cell: nbformat.NotebookNode) -> tuple[str, str]:
    """Why a test cell did not earn its points, from the error it printed."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errors:
        return WRONG, "the cell ran without error but earned no points"
    ename, evalue = errors[-1].get("ename", ""), str(errors[-1].get("evalue", "")).strip()
    first_line = evalue.splitlines()[0] if evalue else ""
    if ename == "NotImplementedError":
        return NOT_ATTEMPTED, "the exercise still raises NotImplementedError"
    if ename == "CellTimeoutError":
        return TIMEOUT, "the cell ran past the time limit and was interrupted"
    if ename == "AssertionError":
        return WRONG, first_line or "an assertion failed (it gives no message)"
    return ERROR, f"{ename}: {first_line}" if first_line else ename


def model_answers(course: Course, slug: str) -> dict[str, str]:
    """grade_id -> model answer text of every manually graded cell in the chapter's source."""
    source = nbformat.read(course.source_notebook(slug), as_version=4)
    answers = {}
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and meta.get("solution"):
            lines = [
                line
                for line in cell.source.splitlines()
                if not line.startswith("```") and not line.startswith(":class:")
            ]
            answers[meta["grade_id"]] = "\n".join(lines).strip()
    return answers


def format_report(report: CheckReport, answers: dict[str, str] | None = None) -> str:
    """The report as a table, one row per graded cell, then totals (and model answers)."""
    width = max([len(c.grade_id) for c in report.cells] + [4])
    rows = [f"  {'cell':<{width}}  {'points':>9}  status"]
    for c in report.cells:
        earned = "-" if c.earned is None else f"{c.earned:g}"
        row = f"  {c.grade_id:<{width}}  {earned:>4} / {c.possible:<2g}  {c.status}"
        rows.append(row + (f": {c.detail}" if c.detail else ""))
    rows.append("")
    rows.append(
        f"Autograded: {report.auto_earned:g} / {report.auto_possible:g} points."
        + (
            f" Written answers: {report.manual_possible:g} points, graded by a person."
            if report.manual_possible
            else ""
        )
    )
    if answers:
        rows.append("\nModel answers\n")
        for grade_id, text in answers.items():
            rows.append(f"--- {grade_id} ---\n{text}\n")
    return "\n".join(rows)
