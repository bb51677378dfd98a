"""Grade a cohort's notebooks for one chapter: in parallel, isolated, into nbgrader's gradebook.

nbgrader's own ``autograde`` does the bookkeeping; only the execution of student code is taken
out of it and done elsewhere. Three phases per chapter:

1. *sanitize* (here, one student at a time): ``nbgrader autograde`` without executing anything.
   It records the submission in the gradebook and writes the sanitized notebook: test and locked
   cells restored from the source, outputs cleared. Each goes to phase 2 at once, so workers
   start while the rest are still being sanitized.
2. *execute* (on any ``concurrent.futures`` executor: local processes or a Dask cluster): each
   sanitized notebook runs in its own sandbox (:mod:`autograder.sandbox`), holding only its own
   files, with nbgrader's own ``Execute`` preprocessor.
3. *score* (here, one student at a time): ``nbgrader autograde`` again, with the execution step
   replaced by copying in the outputs of phase 2 (:class:`InjectExecuted`). Scores, late
   penalties and the autograded notebook are nbgrader's own, so formgrader, manual grading,
   feedback and export work unchanged. The student's feedback is written right after.

Every submission ends with an :class:`Outcome` (graded, or why not), saved next to the
executed notebooks so that a re-run skips what is already done.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable
from concurrent.futures import Executor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    IgnorePattern,
    LimitOutput,
    NbGraderPreprocessor,
    SaveAutoGrades,
)
from sqlalchemy.exc import SAWarning
from tqdm.auto import tqdm
from traitlets import Integer, Unicode

from . import workspace as _workspace  # noqa: F401  (puts this venv's bin on PATH for alembic)
from .check import experiment_problem
from .course import Course
from .run_notebook import EXIT_KERNEL, EXIT_UNREADABLE
from .sandbox import (
    Limits,
    SandboxUnavailable,
    isolation_problem,
    run_isolated,
    run_unisolated,
)
from .submissions import Problem, Submission

__all__ = ["ExecutionJob", "InjectExecuted", "Outcome", "execute_job", "grade_chapter"]

GRADED = "graded"
# Outcomes whose notebook ran and was scored, with a warning: a re-run skips them like GRADED.
SCORED_WITH_A_FLAG = ("memory", "tampered", "cell timeout")


class InjectExecuted(NbGraderPreprocessor):
    """nbgrader's execution step, replaced: copy in the outputs of a notebook executed elsewhere.

    Refuses (raises) if the executed notebook's cells are not the sanitized notebook's cells,
    so outputs can never be attached to other code.
    """

    executed_dir = Unicode("", help="folder holding <student>/<notebook>.ipynb").tag(config=True)
    max_output_chars = Integer(
        100_000, help="longer text outputs are cut; nbgrader's LimitOutput only counts lines"
    ).tag(config=True)

    def _cut(self, output):
        for key, value in [("text", output.get("text"))] + list(output.get("data", {}).items()):
            if isinstance(value, str) and len(value) > self.max_output_chars:
                kept = value[: self.max_output_chars]
                marker = f"\n[... {len(value) - len(kept):,} more characters cut by the grader]"
                if key == "text":
                    output["text"] = kept + marker
                else:
                    output["data"][key] = kept + marker
        return output

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        path = Path(self.executed_dir) / info["student"] / f"{info['notebook']}.ipynb"
        executed = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        if [c.source for c in executed.cells] != [c.source for c in nb.cells]:
            raise ValueError(f"{path} was not executed from this sanitized notebook")
        for cell, ran in zip(nb.cells, executed.cells, strict=True):
            if cell.cell_type == "code":
                cell.outputs = [self._cut(output) for output in ran.outputs]
                cell.execution_count = ran.execution_count
        return nb, resources


@dataclass(frozen=True)
class ExecutionJob:
    """One sanitized notebook to execute, with everything a remote worker needs."""

    student: str
    notebook_name: str
    notebook_json: str
    cell_timeout: int
    limits: Limits
    isolate: bool = True


@dataclass(frozen=True)
class Outcome:
    """What happened to one submission.

    Attributes:
        student: the student id.
        status: ``"graded"``; ``"memory"``, ``"tampered"`` or ``"cell timeout"`` when scored
            with a warning (see :func:`_flagged_outputs`); or why it was not scored:
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


def _execute_status(result, seconds: float, limits: Limits) -> tuple[str, str]:
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


def execute_job(job: ExecutionJob) -> tuple[Outcome, str | None]:
    """Execute one sanitized notebook; return its outcome and the executed notebook's JSON.

    Runs on a worker (a local process or a Dask worker): it needs this package and the course's
    Python environment, nothing else. The notebook runs in a fresh folder holding only itself.
    """
    with tempfile.TemporaryDirectory(prefix=f"grade-{job.student}-") as tmp:
        folder = Path(tmp)
        source = folder / f"{job.notebook_name}.ipynb"
        source.write_text(job.notebook_json)
        _seed_font_cache(folder)
        argv = [
            sys.executable,
            "-m",
            "autograder.run_notebook",
            source.name,
            "executed.ipynb",
            "--timeout",
            str(job.cell_timeout),
        ]
        start = time.perf_counter()
        run = run_isolated if job.isolate else run_unisolated  # the latter: --no-isolation
        result = run(argv, folder, job.limits)
        seconds = time.perf_counter() - start
        status, reason = _execute_status(result, seconds, job.limits)
        executed = folder / "executed.ipynb"
        text = executed.read_text() if executed.is_file() else None
    if status == GRADED and text is not None:
        status, reason = _flagged_outputs(text, job.limits, job.cell_timeout) or (status, reason)
    return Outcome(job.student, status, reason, seconds=seconds), text


@functools.cache
def _font_cache_files() -> tuple[Path, ...]:
    """matplotlib's font list on this worker, found without importing matplotlib when it exists
    (where matplotlib keeps it on Linux); built once by importing it when it does not."""
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    folder = Path(os.environ.get("MPLCONFIGDIR") or Path(cache) / "matplotlib")
    if not (files := tuple(folder.glob("fontlist-*.json"))):
        import matplotlib
        from matplotlib import font_manager  # noqa: F401  (builds the font list)

        files = tuple(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
    return files


def _seed_font_cache(home: Path) -> None:
    """Give the sandbox's fresh ``$HOME`` matplotlib's font list, which it would otherwise spend
    about 3 s rebuilding for every notebook that plots."""
    target = home / ".cache" / "matplotlib"
    target.mkdir(parents=True)
    for path in _font_cache_files():
        shutil.copyfile(path, target / path.name)


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


def _rejection(log: str) -> str:
    """The most telling line of nbgrader's log about a submission it could not sanitize."""
    for marker, meaning in _KNOWN_DAMAGE.items():
        if marker in log:
            return f"nbgrader rejected the notebook: {meaning}"
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = [line for line in lines if re.match(r"[\w.]*(Error|Exception): ", line)]
    errors = [line for line in errors if "Please see the" not in line]
    if errors:
        return f"nbgrader rejected the notebook: {errors[-1][:300]}"
    for line in reversed(lines):
        if "Error" in line and "Please see the" not in line:
            return f"nbgrader rejected the notebook: {line[:300]}"
    return "nbgrader rejected the notebook (no reason in its log)"


# What nbgrader's Execute writes as the traceback of an error the notebook kept from view.
_HIDDEN_TRACEBACK = ["ERROR: An error occurred while showtraceback was disabled"]


def _cell_name(nb: nbformat.NotebookNode, index: int) -> str:
    """How an instructor finds cell ``index``: its grade id, or its place after the last one."""
    grade_id = nb.cells[index].get("metadata", {}).get("nbgrader", {}).get("grade_id")
    if grade_id:
        return f"cell {grade_id!r} (cell {index})"
    before = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells[:index]]
    before = [g for g in before if g]
    return f"cell {index}" + (f" (after {before[-1]!r})" if before else "")


def _flagged_outputs(
    notebook_json: str, limits: Limits, cell_timeout: int
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
                    f"{_cell_name(nb, index)} ran past the {cell_timeout} s limit per cell and "
                    "was interrupted; graded as it ran (its tests fail)"
                )
            if output.get("ename") == "MemoryError":
                cap = limits.memory_text
                return "memory", (
                    f"{_cell_name(nb, index)} ran out of memory (cap {cap}); graded as it ran"
                )
            if output.get("traceback") == _HIDDEN_TRACEBACK:
                return "tampered", (
                    f"{_cell_name(nb, index)} failed but code in the notebook hid the error "
                    "(e.g. by replacing IPython's traceback display); scored as failed, worth a "
                    "look"
                )
    return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _Gradebook:
    """nbgrader's API on the course folder, with the three configurations the phases need."""

    def __init__(self, course: Course, db_url: str | None, executed_dir: Path):
        self.course = course
        self.db_url = db_url or f"sqlite:///{course.root / 'gradebook.db'}"
        self.executed_dir = executed_dir

    def api(self, autograde_preprocessors: list) -> NbGraderAPI:
        config = self.course.nbgrader_config()
        config.CourseDirectory.root = str(self.course.root)
        config.CourseDirectory.db_url = self.db_url
        config.Autograde.autograde_preprocessors = autograde_preprocessors
        config.InjectExecuted.executed_dir = str(self.executed_dir)
        config.Autograde.create_student = True
        coursedir = CourseDirectory(config=config)
        api = NbGraderAPI(coursedir=coursedir, config=config)
        api.log.setLevel(logging.ERROR)
        return api

    def sanitizer(self) -> NbGraderAPI:
        return self.api([])

    def scorer(self) -> NbGraderAPI:
        return self.api(
            [
                InjectExecuted,
                IgnorePattern,
                ClearMetadataPreprocessor,
                LimitOutput,
                SaveAutoGrades,
                AssignLatePenalties,
                CheckCellMetadata,
            ]
        )


def _without_password(db_url: str) -> str:
    """The gradebook's URL as it may be written to disk: ``postgresql://ta:***@host/db``."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", db_url)


def _already_in(gradebook: _Gradebook, slug: str, done: Outcome | None, digest: str) -> bool:
    """Whether this very submission was scored into this very gradebook, which still holds it.

    The outcome file alone cannot say: an instructor may grade the same batch into a second
    gradebook (moving from SQLite to PostgreSQL), or start a fresh one.
    """
    if done is None or not done.scored or done.submission_sha256 != digest:
        return False
    if done.gradebook != _without_password(gradebook.db_url):
        return False
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(gradebook.db_url) as gb:
        try:
            gb.find_submission(slug, done.student)
        except MissingEntry:
            return False
    return True


def _ensure_released(api: NbGraderAPI, slug: str) -> None:
    """Make sure the gradebook knows the chapter (nbgrader's generate_assignment)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        try:
            gb.find_assignment(slug)
            return
        except MissingEntry:
            pass
    result = api.generate_assignment(slug, force=True)
    if not result["success"]:
        raise RuntimeError(f"nbgrader generate_assignment {slug} failed:\n{result['log']}")


def _autograde(api: NbGraderAPI, slug: str, student: str) -> dict:
    """nbgrader's autograde for one student, without its gradebook's session-bookkeeping noise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        return api.autograde(slug, student, force=True, create=True)


def _load_outcomes(path: Path) -> dict[str, Outcome]:
    if not path.is_file():
        return {}
    return {row["student"]: Outcome(**row) for row in json.loads(path.read_text())}


def _save_outcomes(path: Path, outcomes: dict[str, Outcome]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(
            [asdict(o) for o in sorted(outcomes.values(), key=lambda o: o.student)], indent=1
        )
    )
    tmp.replace(path)  # atomic: an interrupt never leaves half a file


def grade_chapter(
    course: Course,
    slug: str,
    submissions: Iterable[Submission],
    executor: Executor,
    *,
    problems: Iterable[Problem] = (),
    db_url: str | None = None,
    limits: Limits | None = None,
    isolate: bool = True,
    force: bool = False,
    progress: bool = True,
) -> dict[str, Outcome]:
    """Grade every submission for ``slug`` into the course's gradebook; return the outcomes.

    Args:
        course: the course (its root holds nbgrader's folders and, by default, the gradebook).
        slug: the chapter.
        submissions: from :func:`autograder.submissions.collect`.
        executor: runs the executions, e.g. ``ProcessPoolExecutor(2)`` or a Dask client's
            ``get_executor()``.
        problems: files :func:`~autograder.submissions.collect` could not use; those known to
            be a student's (a renamed notebook, two notebooks) become that student's outcome,
            unless the student already has a graded one.
        db_url: the gradebook (SQLAlchemy URL); default ``sqlite:///<root>/gradebook.db``.
        limits: per-notebook wall-clock and memory limits; the per-cell timeout is the course's
            ``Execute.timeout``.
        isolate: run student code in the sandbox; False only when the instructor accepts running
            it unisolated.
        force: re-grade submissions already graded from the same file.
        progress: show a progress bar with ETA.

    Raises:
        SandboxUnavailable: if ``isolate`` and the sandbox cannot run here.
    """
    if isolate and (problem := isolation_problem()):
        raise SandboxUnavailable(
            f"{problem}\nRefusing to run student code unisolated; pass --no-isolation to accept it."
        )
    limits = limits or Limits()
    state = course.root / "grading" / slug
    executed_dir = state / "executed"
    executed_dir.mkdir(parents=True, exist_ok=True)
    outcomes_path = state / "outcomes.json"
    outcomes = _load_outcomes(outcomes_path)
    gradebook = _Gradebook(course, db_url, executed_dir)
    sanitizer = gradebook.sanitizer()
    _ensure_released(sanitizer, slug)
    cell_timeout = int(course.nbgrader_config().Execute.get("timeout", 180))
    for problem in problems:
        done = outcomes.get(problem.student)
        if problem.student is not None and (done is None or not done.scored):
            outcomes[problem.student] = Outcome(problem.student, problem.status, problem.reason)
    _save_outcomes(outcomes_path, outcomes)

    # Phase 1, one at a time: into nbgrader's submitted/ layout, then sanitize. Each notebook
    # goes to the executor at once (phase 2), so workers start while the rest are sanitized.
    scorer = gradebook.scorer()
    futures = {}
    for sub in submissions:
        digest = _sha256(sub.notebook)
        done = outcomes.get(sub.student)
        if not force and _already_in(gradebook, slug, done, digest):
            continue
        target = course.root / "submitted" / sub.student / slug / f"{slug}.ipynb"
        if target.resolve() != sub.notebook.resolve():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sub.notebook, target)
        result = _autograde(sanitizer, slug, sub.student)
        sanitized = course.root / "autograded" / sub.student / slug / f"{slug}.ipynb"
        if not result["success"] or not sanitized.is_file():
            log = f"{result.get('log') or ''}\n{result.get('error') or ''}"
            outcomes[sub.student] = Outcome(sub.student, "rejected", _rejection(log), digest)
            _save_outcomes(outcomes_path, outcomes)
            continue
        job = ExecutionJob(sub.student, slug, sanitized.read_text(), cell_timeout, limits, isolate)
        futures[executor.submit(execute_job, job)] = (job, digest)

    # Phase 3, one at a time: score each execution (and write its feedback) as it comes back.
    bar = tqdm(total=len(futures), desc=f"grading {slug}", unit="notebook", disable=not progress)
    try:
        _collect_results(futures, outcomes, outcomes_path, executed_dir, scorer, slug, bar)
    except KeyboardInterrupt:  # keep what is done; the next run grades the rest
        for future in futures:
            future.cancel()
        _save_outcomes(outcomes_path, outcomes)
        raise
    finally:
        bar.close()
    _write_grades_csv(state / "grades.csv", outcomes, gradebook.db_url, slug)
    return outcomes


def _write_grades_csv(path: Path, outcomes: dict[str, Outcome], db_url: str, slug: str) -> None:
    """One row per student: autograded score, maximum, and the outcome with its reason."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb, open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "status", "auto_score", "max_auto_score", "reason", "seconds"])
        for o in sorted(outcomes.values(), key=lambda o: o.student):
            try:
                submission = gb.find_submission(slug, o.student)
                grades = [g for nb in submission.notebooks for g in nb.grades]
                auto = sum(g.auto_score or 0 for g in grades if g.auto_score is not None)
                max_auto = sum(g.max_score for g in grades if g.cell_type == "code")
            except MissingEntry:
                auto, max_auto = "", ""
            score = auto if o.status == GRADED or auto else ""
            writer.writerow([o.student, o.status, score, max_auto, o.reason, o.seconds])


def _with_effect_check(outcome: Outcome, executed: str) -> Outcome:
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
    return Outcome(
        outcome.student, outcome.status, reason, outcome.submission_sha256, outcome.seconds
    )


def _collect_results(futures, outcomes, outcomes_path, executed_dir, scorer, slug, bar) -> None:
    """Score each execution as it comes back and write its feedback, saving every outcome at
    once (phase 3)."""
    for future in as_completed(futures):
        job, digest = futures[future]
        try:
            outcome, executed = future.result()
        except Exception as err:  # a worker lost, a pickling error: recorded, the batch goes on
            outcome, executed = Outcome(job.student, "error", f"worker failed: {err!r}"), None
        if executed is not None:
            folder = executed_dir / job.student
            folder.mkdir(exist_ok=True)
            (folder / f"{slug}.ipynb").write_text(executed)
            result = _autograde(scorer, slug, job.student)
            if not result["success"]:
                outcome = Outcome(
                    job.student, "error", "nbgrader could not score the executed notebook"
                )
            else:  # nbgrader's feedback; the course's configuration hides the hidden tests
                outcome = _with_effect_check(outcome, executed)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", SAWarning)
                    scorer.generate_feedback(slug, job.student, force=True)
        outcomes[job.student] = Outcome(
            job.student,
            outcome.status,
            outcome.reason,
            digest,
            round(outcome.seconds, 2),
            scorer.coursedir.db_url and _without_password(scorer.coursedir.db_url),
        )
        _save_outcomes(outcomes_path, outcomes)
        bar.update()
