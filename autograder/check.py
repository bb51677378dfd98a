"""A learner's self-check: grade one notebook against its chapter's full tests.

The notebook is graded exactly as nbgrader's ``autograde`` would grade it in a cohort, hidden tests
included (restored from the chapter's source), but in a temporary course directory: nothing is
written into the repository.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from pybtex.database import BibliographyData, parse_file
from traitlets.config import Config

from .cell_progress import CellProgress
from .course import EXPERIMENT, WRITING, Course, NotAChapterNotebook
from .workspace import workspace
from .written import left_empty, written_answers

LEARNER = "learner"

PASSED = "passed"
NOT_ATTEMPTED = "not attempted"
WRONG = "wrong"
ERROR = "error"
TIMEOUT = "timeout"
BY_A_PERSON = "graded by a person"

# How alignment_lab.effects.EffectNotShown ends its message (kept in step by a test; importing
# alignment_lab here would load torch into the command line for nothing).
EFFECT_NOT_SHOWN = "EffectNotShown"
INVOLVED = "Most likely involved: "
# The grade id of every chapter's locked cell that asserts the paper's effect.
EFFECT_CHECK_ID = "check_paper_effects"


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
class ExperimentProblem:
    """The chapter's experiment, run on the learner's code, failed where its tests did not look.

    ``effect_not_shown`` is True when the effect check ran and found the paper's effect missing
    (its message says what was measured, ``involved`` names the exercises it rests on); False
    when a cell of the experiment stopped with an error (``message`` is that error).
    """

    effect_not_shown: bool
    message: str
    involved: tuple[str, ...] = ()
    cell_number: int | None = None


@dataclass(frozen=True)
class CheckReport:
    """Every graded cell of one checked notebook, in notebook order, and how its experiment went.

    ``exercises`` maps each exercise's grade id to its title, e.g. ``"Exercise 3"``;
    ``written_left_empty`` names the written answers still blank or as released;
    ``effect_shown`` is True when every cell of the experiment ran, effect check included, and
    None for a chapter without an effect check. (``experiment`` leaves out a crash that failing
    tests explain; ``effect_shown`` does not.) ``kind`` is the chapter's kind, ``"experiment"``
    or ``"writing"`` (:func:`autograder.course.notebook_kind`).
    """

    slug: str
    cells: tuple[CellResult, ...]
    experiment: ExperimentProblem | None = None
    exercises: dict[str, str] | None = None
    written_left_empty: tuple[str, ...] = ()
    effect_shown: bool | None = None
    kind: str = EXPERIMENT

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

    @property
    def all_good(self) -> bool:
        """Full marks, and the chapter's experiment ran and showed its effect; in a writing
        chapter, where nothing is autograded, every answer written."""
        if self.kind == WRITING:
            return not self.written_left_empty and self.experiment is None
        return self.full_marks and self.experiment is None


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
    kind = course.chapter_kind(slug)
    try:
        nbformat.read(notebook, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for a broken file
        raise NotAChapterNotebook(
            f"{notebook} cannot be read as a notebook ({type(exc).__name__}: {exc}). "
            "If it was edited outside Jupyter, restore it from a saved checkpoint."
        ) from exc

    overrides = Config()
    # The kernel's own start-up log (a warning that it talks TCP on loopback unencrypted) is
    # noise in the learner's terminal; the notebook's errors reach the report all the same.
    overrides.Execute.extra_arguments = [
        "--HistoryManager.hist_file=:memory:",
        "--IPKernelApp.log_level=ERROR",
    ]
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
        released = nbformat.read(ws.root / "exercises" / slug / f"{slug}.ipynb", 4)
        ws.run("autograde", slug, LEARNER)
        graded = nbformat.read(ws.root / "autograded" / LEARNER / slug / f"{slug}.ipynb", 4)
        scores = _scores(ws.db_url, slug)
    empty = _unwritten_answers(nbformat.read(notebook, as_version=4), released)
    results = tuple(_results(graded, scores, empty))
    found = problem = experiment_problem(graded)
    if problem is not None and not problem.effect_not_shown:
        # A crash after failing tests is their consequence; the table already says what failed.
        problem = problem if all(c.status in (PASSED, BY_A_PERSON) for c in results) else None
    titles = exercise_titles(course, slug)
    has_check = any(
        c.metadata.get("nbgrader", {}).get("grade_id") == EFFECT_CHECK_ID for c in graded.cells
    )
    shown = (found is None) if has_check else None
    return CheckReport(slug, results, problem, titles, empty, effect_shown=shown, kind=kind)


def _unwritten_answers(
    learner: nbformat.NotebookNode, released: nbformat.NotebookNode
) -> tuple[str, ...]:
    """The grade ids of the written answers the learner has not written (a deleted answer cell
    counts as not written)."""
    theirs = written_answers(learner)
    return tuple(
        grade_id
        for grade_id, placeholder in written_answers(released).items()
        if left_empty(theirs.get(grade_id), placeholder)
    )


def _scores(db_url: str, slug: str) -> dict[str, tuple[float | None, float]]:
    """grade_id -> (score, max score) as recorded in the gradebook."""
    with Gradebook(db_url) as gradebook:
        submitted = gradebook.find_submission_notebook(slug, slug, LEARNER)
        return {g.name: (g.score, g.max_score) for g in submitted.grades}


def _results(
    graded: nbformat.NotebookNode, scores: dict, unwritten: tuple[str, ...]
) -> list[CellResult]:
    results = []
    for cell in graded.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("grade"):
            continue
        grade_id = meta["grade_id"]
        score, possible = scores[grade_id]
        if meta.get("solution"):
            detail = "not written yet" if grade_id in unwritten else ""
            results.append(CellResult(grade_id, None, possible, BY_A_PERSON, detail))
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


def experiment_problem(graded: nbformat.NotebookNode) -> ExperimentProblem | None:
    """The effect check's failure if it failed, else the first error raised by a cell of the
    experiment (a code cell that is neither an answer nor a test), else None."""
    first_crash = None
    code_cells = [c for c in graded.cells if c.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        meta = cell.metadata.get("nbgrader", {})
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if not errors or meta.get("solution") or meta.get("grade"):
            continue
        ename, evalue = errors[-1].get("ename", ""), str(errors[-1].get("evalue", "")).strip()
        if ename == EFFECT_NOT_SHOWN:
            message, _, involved = evalue.partition("\n" + INVOLVED)
            names = tuple(n.strip() for n in involved.split(",") if n.strip())
            return ExperimentProblem(True, message.strip(), names, number)
        if first_crash is None:
            text = f"{ename}: {evalue.splitlines()[0]}" if evalue else ename
            first_crash = ExperimentProblem(False, text, (), number)
    return first_crash


def exercise_titles(course: Course, slug: str) -> dict[str, str]:
    """grade_id -> "Exercise N" for each autograded exercise, from the headings above them."""
    source = nbformat.read(course.source_notebook(slug), as_version=4)
    titles, heading = {}, None
    for cell in source.cells:
        if cell.cell_type == "markdown":
            found = re.findall(r"^#+\s*(Exercise\s+\d+)", cell.source, flags=re.M)
            heading = found[-1] if found else heading
            continue
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade") and heading:
            titles[meta["grade_id"]] = heading
    return titles


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
            answers[meta["grade_id"]] = readable_markup("\n".join(lines).strip(), course)
    return answers


_CITATION = re.compile(r"\{cite:(t|p)\}`([^`]+)`")
_DOC_LINK = re.compile(r"\{doc\}`(?:([^`<]+?)\s*<[^`>]+>|([^`]+))`")


def readable_markup(text: str, course: Course) -> str:
    """Replace the MyST roles that do not read as text, for the terminal and the answers page:
    citations (``{cite:p}`key```) by author and year, and links to book pages
    (``{doc}`Title <path>```, or ``{doc}`path```) by their title (or path)."""

    def cite(match: re.Match) -> str:
        names = [_short_reference(course, key.strip()) for key in match[2].split(",")]
        return "; ".join(names) if match[1] == "t" else f"({'; '.join(names)})"

    return _DOC_LINK.sub(lambda m: m[1] or m[2], _CITATION.sub(cite, text))


def _short_reference(course: Course, key: str) -> str:
    """'Armstrong and Mindermann 2018' for a key of the course's bibliography, else the key."""
    entry = _bibliography(course.root).entries.get(key)
    if entry is None:
        return key
    surnames = [
        " ".join(person.last_names).replace("{", "").replace("}", "")
        for person in entry.persons.get("author", [])
    ]
    if len(surnames) > 2:
        who = f"{surnames[0]} et al."
    else:
        who = " and ".join(surnames) or key
    return f"{who} {entry.fields.get('year', '')}".strip()


@cache
def _bibliography(root: Path) -> BibliographyData:
    """The course's ``book/references.bib`` (empty if it has none)."""
    path = root / "book" / "references.bib"
    return parse_file(str(path), "bibtex") if path.is_file() else BibliographyData()


def format_report(report: CheckReport, answers: dict[str, str] | None = None) -> str:
    """The report as a table, one row per graded cell, then totals, then how the experiment
    went (when it failed where the tests did not look), then the model answers if given."""
    width = max([len(c.grade_id) for c in report.cells] + [4])
    rows = [f"  {'cell':<{width}}  {'points':>9}  status"]
    for c in report.cells:
        earned = "-" if c.earned is None else f"{c.earned:g}"
        row = f"  {c.grade_id:<{width}}  {earned:>4} / {c.possible:<2g}  {c.status}"
        rows.append(row + (f": {c.detail}" if c.detail else ""))
    rows.append("")
    rows.append(f"Autograded: {report.auto_earned:g} / {report.auto_possible:g} points.")
    if report.manual_possible:
        written = sum(not c.autograded for c in report.cells)
        empty = len(report.written_left_empty)
        rows[-1] += f" Written answers: {report.manual_possible:g} points, graded by a person" + (
            f"; {empty} of {written} still empty." if empty else "; all written."
        )
    if report.kind == WRITING:
        rows.append(
            "This is a writing chapter: nothing in it is autograded. A person grades each answer\n"
            "against its rubric; this check tells you which answers are still empty."
        )
    if report.experiment is not None:
        rows.append("")
        rows.append(format_experiment_problem(report))
    if answers:
        rows.append("\nModel answers\n")
        for grade_id, text in answers.items():
            rows.append(f"--- {grade_id} ---\n{text}\n")
    return "\n".join(rows)


def format_experiment_problem(report: CheckReport) -> str:
    """What went wrong in the experiment, and where the learner should look."""
    problem = report.experiment
    if problem is None:
        return ""
    tests = "The tests pass, but" if report.full_marks else "Also,"
    if not problem.effect_not_shown:
        return (
            f"{tests} the chapter's experiment stopped with an error in code cell "
            f"{problem.cell_number}: {problem.message}"
        )
    titles = report.exercises or {}
    involved = ", ".join(
        f"{name} ({titles[name]})" if name in titles else name for name in problem.involved
    )
    lines = [
        f"{tests} the chapter's experiment does not show its effect with your code "
        f"(effect check, code cell {problem.cell_number}):",
        *(f"  {line}" for line in problem.message.splitlines()),
    ]
    if involved:
        lines.append(
            f"Most likely involved: {involved}. Code can pass its tests and still be subtly "
            "wrong: compare it with the exercise's statement and docstring again."
        )
    return "\n".join(lines)
