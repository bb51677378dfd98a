"""Phase 2 of cohort grading, on a worker: execute one sanitized notebook in the sandbox.

A worker is a local process or a Dask worker on another machine: it needs this package and the
course's Python environment, nothing else (no course folder, no gradebook). The notebook runs
with nbgrader's own ``Execute`` (:mod:`autograder.run_notebook`) in a fresh folder holding only
itself.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .outcomes import GRADED, Outcome, execute_status, flagged_outputs
from .sandbox import Limits, run_isolated, run_unisolated, stop_run_in_progress

__all__ = ["ExecutionJob", "execute_job", "worker_started"]


@dataclass(frozen=True)
class ExecutionJob:
    """One sanitized notebook to execute, with everything a remote worker needs.

    Attributes:
        student: the student id, for the outcome.
        notebook_name: the notebook's name without ``.ipynb`` (the chapter's slug).
        notebook_json: the sanitized notebook, as nbformat JSON.
        cell_timeout: nbgrader's limit per cell in seconds (None or 0: none).
        limits: the limits of the whole run.
        isolate: run in the sandbox; False only when the instructor accepted the risk.
    """

    student: str
    notebook_name: str
    notebook_json: str
    cell_timeout: int | None
    limits: Limits
    isolate: bool = True


def execute_job(job: ExecutionJob) -> tuple[Outcome, str | None]:
    """Execute one sanitized notebook; return its outcome and the executed notebook's JSON (None
    when nothing was written)."""
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
            str(job.cell_timeout or 0),
        ]
        start = time.perf_counter()
        run = run_isolated if job.isolate else run_unisolated  # the latter: --no-isolation
        result = run(argv, folder, job.limits)
        seconds = time.perf_counter() - start
        status, reason = execute_status(result, seconds, job.limits)
        executed = folder / "executed.ipynb"
        text = executed.read_text() if executed.is_file() else None
    if status == GRADED and text is not None:
        status, reason = flagged_outputs(text, job.limits, job.cell_timeout) or (status, reason)
    return Outcome(job.student, status, reason, seconds=seconds), text


def worker_started() -> None:
    """Initializer of a local worker process (``ProcessPoolExecutor(initializer=...)``).

    Ctrl-C reaches every process of the terminal: the grader alone handles it, by stopping its
    workers (SIGTERM). A worker then kills the notebook it is running, sandbox and all, and
    exits at once, instead of finishing it and the notebooks queued to it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)


def _stop(signum: int, _frame: object) -> None:
    stop_run_in_progress()
    os._exit(128 + signum)


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
