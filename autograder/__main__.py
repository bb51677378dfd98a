"""Command line: ``python -m autograder {release,check,progress,grade,...} ...``."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

from .check import check_notebook, format_report, model_answers
from .course import Course, NotAChapterNotebook
from .defaults import MEMORY_GB, NOTEBOOK_SECONDS
from .learner_progress import format_progress, progress_rows
from .release import release
from .sandbox import SandboxUnavailable
from .self_check_log import read_log, record_check
from .workspace import NbgraderFailed


def _at_least(minimum: float, kind: type = float, unit: str = ""):
    """An argparse ``type``: a number of ``kind`` no smaller than ``minimum``."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum:g}{unit}, got {text}")
        return value

    return parse


def _gradebook_url(text: str) -> str:
    """An argparse ``type``: a SQLAlchemy database URL."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(text)
    except ArgumentError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a database URL; give one such as sqlite:////path/to/gradebook.db "
            "or postgresql://user@host/gradebook"
        ) from None
    return text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    parser.add_argument(
        "--course", type=Path, default=None, help="course root (default: this repository)"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    rel = commands.add_parser("release", help="regenerate exercises/ from solutions/")
    rel.add_argument("slugs", nargs="*", help="chapters to release (default: all)")

    chk = commands.add_parser(
        "check", help="grade your notebook against all of its chapter's tests, hidden ones too"
    )
    chk.add_argument("notebook", type=Path, help="e.g. exercises/memorization/memorization.ipynb")
    chk.add_argument("--show-answers", action="store_true", help="print the model answers")
    chk.add_argument(
        "--timeout",
        type=_at_least(1, int, " s"),
        default=None,
        help="limit per cell in seconds (default: the course's Execute.timeout)",
    )
    chk.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    commands.add_parser(
        "progress", help="your latest self-check of every chapter, in the book's order"
    )

    grd = commands.add_parser(
        "grade", help="autograde a cohort's notebooks into nbgrader's gradebook, in parallel"
    )
    grd.add_argument("slug", help="the chapter, e.g. memorization")
    grd.add_argument(
        "submissions", type=Path, help="nbgrader's submitted/ folder, or a folder or zip by student"
    )
    grd.add_argument(
        "--jobs", type=_at_least(1, int), default=os.cpu_count() or 1, help="local processes"
    )
    grd.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    grd.add_argument(
        "--db", type=_gradebook_url, help="gradebook URL (default: sqlite:///<course>/gradebook.db)"
    )
    grd.add_argument(
        "--notebook-timeout",
        type=_at_least(1, float, " s"),
        default=NOTEBOOK_SECONDS,
        help=f"seconds per notebook (default {NOTEBOOK_SECONDS:g})",
    )
    grd.add_argument(
        "--memory-gb",
        type=_at_least(0.25, float, " GB"),
        default=MEMORY_GB,
        help=f"memory cap per process of a notebook, in GB (default {MEMORY_GB:g})",
    )
    grd.add_argument("--no-isolation", action="store_true", help="run student code unsandboxed")
    grd.add_argument("--force", action="store_true", help="re-grade unchanged submissions too")
    grd.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    ans = commands.add_parser(
        "answers", help="after grading: a cohort's written answers, question by question, as HTML"
    )
    ans.add_argument("slug", help="the chapter, e.g. memorization")
    ans.add_argument(
        "--db", type=_gradebook_url, help="gradebook URL (default: sqlite:///<course>/gradebook.db)"
    )
    ans.add_argument(
        "--anonymous", action="store_true", help="label students Student 1, 2, ... instead of names"
    )
    ans.add_argument(
        "--output",
        type=Path,
        help="the page to write (default: grading/<slug>/answers.html, or answers-anonymous.html)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return its exit status (0 done, 1 points missing or not all graded, or
    in a writing chapter answers still empty, 2 bad input: the message, on stderr, starts with
    ``error:`` and says what to change)."""
    # Torch in graded kernels: one thread. Two contend badly on small machines (30-100x slower).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    # nbgrader's gradebook warns about its own session bookkeeping: noise, not news for a learner.
    warnings.filterwarnings("ignore", module="nbgrader.api")
    args = _parser().parse_args(argv)
    try:
        course = Course(args.course.resolve()) if args.course else Course.default()
        if args.command == "release":
            for folder in release(course, args.slugs or None):
                print(f"released {folder.relative_to(course.root)}")
            return 0
        if args.command == "progress":
            log = read_log()
            print(format_progress(progress_rows(course, log), log))
            return 0
        if args.command == "grade":
            from .cohort import grade_command

            return grade_command(course, args)
        if args.command == "answers":
            from .answers import answers_command

            return answers_command(course, args)
        report = check_notebook(
            args.notebook, course, timeout=args.timeout, progress=not args.no_progress
        )
    except (FileNotFoundError, NotAChapterNotebook, ValueError, SandboxUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except NbgraderFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    answers = model_answers(course, report.slug) if args.show_answers else None
    print(f"Chapter '{report.slug}': {args.notebook}\n")
    print(format_report(report, answers))
    try:
        record_check(report, args.notebook)
    except OSError as exc:  # the check itself is done: say so, and keep its exit status
        print(f"\nwarning: this check was not recorded for `progress` ({exc}).", file=sys.stderr)
    return 0 if report.all_good else 1


if __name__ == "__main__":
    sys.exit(main())
