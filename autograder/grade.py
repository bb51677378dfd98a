"""Grade a cohort's notebooks for one chapter: in parallel, isolated, into nbgrader's gradebook.

nbgrader's own ``autograde`` does the bookkeeping; only the execution of student code is taken
out of it and done elsewhere. Three phases per chapter:

1. *sanitize* (here, one student at a time): ``nbgrader autograde`` without executing anything.
   It records the submission in the gradebook and writes the sanitized notebook: test and locked
   cells restored from the source, outputs cleared. Each goes to phase 2 at once, so workers
   start while the rest are still being sanitized.
2. *execute* (on any ``concurrent.futures`` executor: local processes or a Dask cluster): each
   sanitized notebook runs in its own sandbox, holding only its own files, with nbgrader's own
   ``Execute`` preprocessor (:mod:`autograder.execution`).
3. *score* (here, one student at a time, as executions come back): ``nbgrader autograde`` again,
   with nbgrader's execution step replaced by copying in the outputs of phase 2
   (:mod:`autograder.inject_executed`). Scores, late penalties and the autograded notebook are
   nbgrader's own, so formgrader, manual grading, feedback and export work unchanged. Each
   student's feedback is then rendered by nbgrader in a process of its own
   (:mod:`autograder.feedback`) while the next one is scored; grading ends when every feedback
   is written.

Every submission ends with an :class:`~autograder.outcomes.Outcome` (graded, or why not), saved
as soon as it is known, so that a re-run (or one after Ctrl-C) skips what is already done.
"""

from __future__ import annotations

import hashlib
import shutil
import warnings
from collections.abc import Iterable
from concurrent.futures import Executor, Future, as_completed
from dataclasses import replace
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from sqlalchemy.exc import SAWarning
from tqdm.auto import tqdm
from traitlets.config import Config

from .course import Course
from .defaults import cell_timeout
from .execution import ExecutionJob, execute_job
from .feedback import FeedbackRenderer, stale_feedback
from .gradebook import course_api, create_gradebook, without_password
from .inject_executed import scoring_steps
from .outcomes import Outcome, rejection, with_effect_check
from .records import holds_submission, load_outcomes, save_outcomes, write_grades_csv
from .sandbox import Limits, SandboxUnavailable, isolation_problem
from .submissions import Problem, Submission
from .workspace import NbgraderFailed, telling_line

__all__ = ["grade_chapter"]


class _Phases:
    """nbgrader's API on the course and one gradebook, configured for phase 1 and for phase 3."""

    def __init__(self, course: Course, db_url: str, executed_dir: Path):
        self.course, self.db_url, self.executed_dir = course, db_url, executed_dir
        self._sanitizer = self._api([])
        self._scorer = self._api(scoring_steps())

    def _api(self, autograde_steps: list) -> NbGraderAPI:
        overrides = Config()
        overrides.Autograde.autograde_preprocessors = autograde_steps
        overrides.Autograde.create_student = True
        overrides.InjectExecuted.executed_dir = str(self.executed_dir)
        return course_api(self.course, self.db_url, overrides)

    def ensure_released(self, slug: str) -> None:
        """Make sure the gradebook knows the chapter (nbgrader's ``generate_assignment``).

        Raises:
            NbgraderFailed: when nbgrader cannot release the chapter's source.
        """
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook(self.db_url, self._sanitizer.coursedir.course_id) as gb:
            try:
                gb.find_assignment(slug)
                return
            except MissingEntry:
                pass
        result = self._sanitizer.generate_assignment(slug, force=True)
        if not result["success"]:
            log = f"{result.get('log') or ''}\n{result.get('error') or ''}"
            raise NbgraderFailed(
                f"nbgrader could not release chapter {slug!r} into the gradebook, which grading "
                f"needs: {telling_line(log) or 'no reason in its log'}. Fix "
                f"{self.course.source_notebook(slug)} (`nbgrader generate_assignment {slug} "
                "--force`, run from the course folder, shows nbgrader's whole log), then grade "
                "again."
            )

    def sanitize(self, slug: str, student: str) -> dict:
        """Phase 1: nbgrader's autograde of ``submitted/<student>/<slug>/``, executing nothing.
        Returns nbgrader's result (``success``, ``log``, ``error``)."""
        return self._autograde(self._sanitizer, slug, student)

    def score(self, slug: str, student: str, executed: str) -> dict:
        """Phase 3: nbgrader's autograde with the outputs of ``executed`` (the executed
        notebook's JSON) copied in. Returns nbgrader's result."""
        folder = self.executed_dir / student
        folder.mkdir(exist_ok=True)
        (folder / f"{slug}.ipynb").write_text(executed)
        return self._autograde(self._scorer, slug, student)

    @staticmethod
    def _autograde(api: NbGraderAPI, slug: str, student: str) -> dict:
        with warnings.catch_warnings():  # the gradebook's session bookkeeping: noise
            warnings.simplefilter("ignore", SAWarning)
            return api.autograde(slug, student, force=True, create=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
        limits: per-notebook wall-clock and memory limits (default :class:`Limits`); the limit
            per cell is the course's ``Execute.timeout``.
        isolate: run student code in the sandbox; False only when the instructor accepts running
            it unisolated.
        force: re-grade submissions already graded from the same file.
        progress: show a progress bar with ETA.

    Raises:
        ValueError: if ``slug`` is not one of the course's chapters.
        SandboxUnavailable: if ``isolate`` and the sandbox cannot run here.
        GradebookUnavailable: if the gradebook cannot be opened.
        NbgraderFailed: if nbgrader cannot release the chapter into the gradebook.
    """
    course.require_chapter(slug)
    if isolate and (problem := isolation_problem()):
        raise SandboxUnavailable(
            f"{problem}\nRefusing to run student code unisolated; pass --no-isolation to accept it."
        )
    limits = limits or Limits()
    db_url = db_url or course.gradebook_url
    config = course.nbgrader_config()
    create_gradebook(db_url, config.CourseDirectory.get("course_id", ""))
    state = course.root / "grading" / slug
    executed_dir = state / "executed"
    executed_dir.mkdir(parents=True, exist_ok=True)
    outcomes_path = state / "outcomes.json"
    outcomes = load_outcomes(outcomes_path)
    phases = _Phases(course, db_url, executed_dir)
    phases.ensure_released(slug)
    timeout = cell_timeout(config)
    for problem in problems:
        done = outcomes.get(problem.student)
        if problem.student is not None and (done is None or not done.scored):
            outcomes[problem.student] = Outcome(problem.student, problem.status, problem.reason)
    save_outcomes(outcomes_path, outcomes)

    with FeedbackRenderer(course, slug, db_url) as feedback:
        # Phase 1, one at a time: into nbgrader's submitted/ layout, then sanitize. Each notebook
        # goes to the executor at once (phase 2), so workers start while the rest are sanitized.
        futures: dict[Future, tuple[ExecutionJob, str]] = {}
        for sub in submissions:
            digest = _sha256(sub.notebook)
            if not force and holds_submission(db_url, slug, outcomes.get(sub.student), digest):
                continue
            target = course.root / "submitted" / sub.student / slug / f"{slug}.ipynb"
            if target.resolve() != sub.notebook.resolve():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(sub.notebook, target)
            result = phases.sanitize(slug, sub.student)
            sanitized = course.root / "autograded" / sub.student / slug / f"{slug}.ipynb"
            if not result["success"] or not sanitized.is_file():
                log = f"{result.get('log') or ''}\n{result.get('error') or ''}"
                outcomes[sub.student] = Outcome(sub.student, "rejected", rejection(log), digest)
                save_outcomes(outcomes_path, outcomes)
                continue
            job = ExecutionJob(sub.student, slug, sanitized.read_text(), timeout, limits, isolate)
            futures[executor.submit(execute_job, job)] = (job, digest)
            feedback.start()  # warms up while the notebook executes

        # Phase 3, one at a time: score each execution as it comes back; its feedback follows.
        bar = tqdm(
            total=len(futures), desc=f"grading {slug}", unit="notebook", disable=not progress
        )
        try:
            for future in as_completed(futures):
                job, digest = futures[future]
                outcomes[job.student] = _score(future, job, digest, phases, slug, feedback)
                _note_feedback(outcomes, feedback.finished(), slug)
                save_outcomes(outcomes_path, outcomes)
                bar.update()
        except KeyboardInterrupt:  # keep what is done; the next run grades the rest
            for future in futures:
                future.cancel()
            _note_feedback(outcomes, feedback.close(), slug)
            save_outcomes(outcomes_path, outcomes)
            raise
        finally:
            bar.close()
        _render_missing_feedback(course, slug, db_url, outcomes, feedback)
        _note_feedback(outcomes, feedback.close(), slug)
    save_outcomes(outcomes_path, outcomes)
    write_grades_csv(state / "grades.csv", outcomes, db_url, slug)
    return outcomes


def _score(
    future: Future,
    job: ExecutionJob,
    digest: str,
    phases: _Phases,
    slug: str,
    feedback: FeedbackRenderer,
) -> Outcome:
    """Phase 3 for one execution: nbgrader scores its outputs, then its feedback is asked for.
    Returns the student's outcome."""
    try:
        outcome, executed = future.result()
    except Exception as err:  # a worker lost, a pickling error: recorded, the batch goes on
        outcome, executed = Outcome(job.student, "error", f"worker failed: {err!r}"), None
    if executed is not None:
        result = phases.score(slug, job.student, executed)
        if not result["success"]:
            reason = "nbgrader could not score the executed notebook"
            outcome = Outcome(job.student, "error", reason)
        else:  # nbgrader's feedback; the course's configuration hides the hidden tests
            outcome = with_effect_check(outcome, executed)
            feedback.render(job.student)
    return replace(
        outcome,
        student=job.student,
        submission_sha256=digest,
        seconds=round(outcome.seconds, 2),
        gradebook=without_password(phases.db_url),
    )


def _render_missing_feedback(
    course: Course,
    slug: str,
    db_url: str,
    outcomes: dict[str, Outcome],
    feedback: FeedbackRenderer,
) -> None:
    """Ask for the feedback that an earlier run, stopped or failing, left missing or older than
    its notebook's score, for every student scored into this gradebook."""
    here = without_password(db_url)
    for student, outcome in sorted(outcomes.items()):
        if outcome.scored and outcome.gradebook == here and not feedback.asked_for(student):
            if stale_feedback(course, slug, student):
                feedback.render(student)


_NO_FEEDBACK = "; its feedback was not written"


def _note_feedback(outcomes: dict[str, Outcome], rendered: dict[str, str | None], slug: str):
    """Each rendered student's reason says whether their feedback is missing, why, and how to
    write it (a note from an earlier run is replaced)."""
    for student, problem in rendered.items():
        outcome = outcomes[student]
        reason = outcome.reason.split(_NO_FEEDBACK)[0]
        if problem:
            reason += (
                f"{_NO_FEEDBACK} ({problem}): grading again writes it, or run "
                f"`nbgrader generate_feedback {slug} --student {student}`"
            )
        outcomes[student] = replace(outcome, reason=reason)
