"""``python -m autograder grade``: collect, pick an executor, grade, report."""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from .course import Course
from .defaults import SCHEDULER_CONNECT_SECONDS
from .execution import worker_started
from .grade import grade_chapter
from .outcomes import GRADED
from .sandbox import Limits
from .submissions import collect


@contextmanager
def executor_for(jobs: int, scheduler: str | None) -> Iterator[Executor]:
    """Local processes, or the workers of a running Dask cluster (same interface).

    Raises:
        ValueError: for fewer than one job, or a scheduler that cannot be reached (the message
            says what to check).
    """
    if scheduler is None:
        if jobs < 1:
            raise ValueError(f"--jobs must be at least 1, got {jobs}.")
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=worker_started)
        try:
            yield pool
        except BaseException:  # interrupted: stop the notebooks running now and those queued
            # The executor cannot stop a running call: its workers are terminated, and each
            # kills its notebook first (execution.worker_started). Taken before shutdown,
            # which forgets them.
            workers = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for worker in workers:
                worker.terminate()
            raise
        pool.shutdown()
        return
    try:
        from distributed import Client
    except ImportError as err:
        raise ValueError(
            "--scheduler needs Dask's `distributed` package: pip install -r requirements.txt"
        ) from err
    try:
        client = Client(scheduler, timeout=f"{SCHEDULER_CONNECT_SECONDS}s")
    except (OSError, TimeoutError, ValueError, TypeError) as err:
        raise ValueError(
            f"cannot reach the Dask scheduler at {scheduler!r} ({type(err).__name__}: {err}). "
            "Check that `dask scheduler` runs there and that the address is right, e.g. "
            "tcp://10.0.0.5:8786; or leave out --scheduler to grade on this machine."
        ) from err
    with client:
        yield client.get_executor(pure=False)


def grade_command(course: Course, args: argparse.Namespace) -> int:
    course.require_chapter(args.slug)
    with tempfile.TemporaryDirectory(prefix="submissions-") as unpacked:
        found = collect(args.submissions, args.slug, extract_to=Path(unpacked))
        for problem in found.problems:
            print(f"not graded: {problem.origin}: {problem.reason}")
        limits = Limits(
            wall_seconds=args.notebook_timeout, memory_bytes=int(args.memory_gb * 1024**3)
        )
        try:
            with executor_for(args.jobs, args.scheduler) as executor:
                outcomes = grade_chapter(
                    course,
                    args.slug,
                    found.submissions,
                    executor,
                    problems=found.problems,
                    db_url=args.db,
                    limits=limits,
                    isolate=not args.no_isolation,
                    force=args.force,
                    progress=not args.no_progress,
                )
        except KeyboardInterrupt:
            print(
                "\ninterrupted: every notebook scored so far is in the gradebook and in "
                f"grading/{args.slug}/outcomes.json, with its feedback; run the same command "
                "again to grade the rest."
            )
            return 130
    width = max([len(s) for s in outcomes] + [7])
    print(f"\n{'student':<{width}}  status       reason")
    for student, outcome in sorted(outcomes.items()):
        print(f"{student:<{width}}  {outcome.status:<11}  {outcome.reason}")
    not_graded = [o for o in outcomes.values() if o.status != GRADED]
    unmapped = [p for p in found.problems if p.student is None]
    print(
        f"\n{len(outcomes) - len(not_graded)} graded, {len(not_graded)} not graded or flagged "
        f"(see reasons), {len(unmapped)} files not mapped to a student.\nScores and reasons: "
        f"grading/{args.slug}/grades.csv; feedback: feedback/<student>/{args.slug}/; the "
        "gradebook serves formgrader, manual grading and `nbgrader export` as usual."
    )
    return 0 if not not_graded and not unmapped else 1
