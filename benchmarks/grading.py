"""What grading costs: each chapter's solution run bare against the same notebook autograded, and
the throughput of a batch of submissions with one worker and with two.

- *bare*: the solution notebook executed by nbclient in a fresh kernel (``chapter_runtime.py``).
- *autograde*: the same notebook, submitted by one student, graded end to end by
  ``grade_chapter`` into a fresh gradebook: nbgrader's sanitizing, execution in the sandbox,
  scoring, feedback and the grades CSV.
- *batch*: K students submitting the solution, graded with one worker and with two.

Every measurement runs in its own process; the table gives medians over ``--repeats`` runs
(these machines are noisy) and checks the targets: autograde at most 1.1 x bare, two workers at
least 1.7 x as fast as one.

    .venv/bin/python benchmarks/grading.py [--repeats 3] [--submissions 4] [--batch SLUG] [SLUG ...]
    .venv/bin/python benchmarks/grading.py --repeats 3 --no-batch memorization   # the ratio alone
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

os.environ["OMP_NUM_THREADS"] = "1"

import psutil  # noqa: E402
from chapter_runtime import measure as measure_bare  # noqa: E402

from autograder.course import CONFIG_FILE, WRITING, Course  # noqa: E402
from autograder.grade import grade_chapter  # noqa: E402
from autograder.outcomes import GRADED  # noqa: E402
from autograder.submissions import collect  # noqa: E402
from autograder.workspace import workspace  # noqa: E402

RATIO_TARGET = 1.1
SPEEDUP_TARGET = 1.7


@contextmanager
def released_copy(slug: str) -> Iterator[Course]:
    """A temporary course holding only ``slug``, released, with an empty gradebook."""
    with workspace(Course.default(), [slug]) as ws:
        ws.run("generate_assignment", slug)
        shutil.copy(Course.default().root / CONFIG_FILE, ws.root / CONFIG_FILE)
        yield Course(ws.root)


class PeakMemory:
    """Context manager sampling, every 0.1 s, the resident memory of this process's descendants.

    ``peak_mb`` is the largest single process seen (the kernel, as in ``chapter_runtime.py``).
    Sampling is needed because the kernel runs in the sandbox's own process namespace, whose
    resource usage does not reach ``getrusage``; a spike shorter than 0.1 s can be missed.
    """

    def __init__(self) -> None:
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.1):
            for process in me.children(recursive=True):
                try:
                    self.peak_mb = max(self.peak_mb, process.memory_info().rss / 1024**2)
                except psutil.Error:  # it ended between listing and reading
                    pass

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()


def grade_once(slug: str, students: int, jobs: int) -> dict:
    """Grade ``students`` copies of the solution with ``jobs`` local workers, timed.

    Returns wall seconds of ``grade_chapter`` (release excluded) and the peak resident memory
    in MB of the largest process it started (the kernel; see :class:`PeakMemory`). Raises if
    any copy is not graded with full marks: a benchmark of a broken grader measures nothing.
    """
    with released_copy(slug) as course:
        inbox = course.root / "inbox"
        inbox.mkdir()
        for i in range(students):
            shutil.copy(Course.default().source_notebook(slug), inbox / f"student{i + 1:02d}.ipynb")
        found = collect(inbox, slug)
        start = time.perf_counter()
        with PeakMemory() as memory, ProcessPoolExecutor(jobs) as pool:
            outcomes = grade_chapter(course, slug, found.submissions, pool, progress=False)
        seconds = time.perf_counter() - start
        failed = {s: o.reason for s, o in outcomes.items() if o.status != GRADED}
        with open(course.root / "grading" / slug / "grades.csv") as f:
            rows = list(csv.DictReader(f))
        short = [r["student"] for r in rows if r["auto_score"] != r["max_auto_score"]]
        if failed or short or len(rows) != students:
            raise RuntimeError(f"{slug}: not graded {failed}, below full marks {short}")
    return {"seconds": seconds, "peak_mb": memory.peak_mb}


def measure_graded(slug: str, students: int = 1, jobs: int = 1) -> dict:
    """:func:`grade_once` in a fresh process, so that its peak memory is its own."""
    argv = [sys.executable, __file__, "--one", slug, str(students), str(jobs)]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"grading {slug} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _runs(seconds) -> str:
    return " ".join(f"{s:.1f}" for s in seconds)


def chapter_table(slugs: list[str], repeats: int) -> tuple[dict[str, float], bool]:
    """Print bare against autograde per chapter; return bare medians and whether all met
    RATIO_TARGET. A writing chapter gets a line saying so and no measurement: its notebook runs
    nothing but the install cell, and it cannot be the batch's chapter."""
    print(
        f"{'chapter':<22} {'bare s':>7} {'autograde s':>12} {'ratio':>6} "
        f"{'peak MB bare/graded':>20}  target"
    )
    bare_medians, within = {}, True
    for slug in slugs:
        if Course.default().chapter_kind(slug) == WRITING:  # nothing to run but the install cell
            print(f"{slug:<22} written only: nothing autograded, so no ratio to measure")
            continue
        bare, graded = [], []
        for _ in range(repeats):  # interleaved, so both see the same background noise
            bare.append(measure_bare(Course.default().source_notebook(slug)))
            graded.append(measure_graded(slug))
        bare_s = statistics.median(r["seconds"] for r in bare)
        graded_s = statistics.median(r["seconds"] for r in graded)
        ratio = graded_s / bare_s
        peaks = f"{max(r['peak_mb'] for r in bare):.0f} / {max(r['peak_mb'] for r in graded):.0f}"
        ok = ratio <= RATIO_TARGET
        within &= ok
        bare_medians[slug] = bare_s
        print(
            f"{slug:<22} {bare_s:>7.1f} {graded_s:>12.1f} {ratio:>6.2f} {peaks:>20}  "
            f"{'within' if ok else 'OVER'} {RATIO_TARGET}x   "
            f"(runs: bare {_runs(r['seconds'] for r in bare)}; "
            f"autograde {_runs(r['seconds'] for r in graded)})"
        )
    return bare_medians, within


def batch_line(slug: str, students: int, repeats: int) -> bool:
    """Print the time to grade ``students`` submissions with 1 and 2 workers; True if >= 1.7x."""
    one, two = [], []
    for _ in range(repeats):
        one.append(measure_graded(slug, students, jobs=1)["seconds"])
        two.append(measure_graded(slug, students, jobs=2)["seconds"])
    speedup = statistics.median(one) / statistics.median(two)
    ok = speedup >= SPEEDUP_TARGET
    print(
        f"\nbatch of {students} x {slug}: 1 worker {statistics.median(one):.1f} s, "
        f"2 workers {statistics.median(two):.1f} s: {speedup:.2f}x  "
        f"{'within' if ok else 'UNDER'} target {SPEEDUP_TARGET}x   "
        f"(runs: 1 worker {_runs(one)}; 2 workers {_runs(two)})"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slugs", nargs="*", help="chapters (default: all)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--submissions", type=int, default=4, help="K, the batch size")
    parser.add_argument("--batch", help="chapter of the batch (default: the quickest)")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch: the ratios only")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        slug, students, jobs = args.one
        print(json.dumps(grade_once(slug, int(students), int(jobs))))
        return 0
    if args.repeats < 1 or args.submissions < 2:
        parser.error("--repeats must be at least 1 and --submissions at least 2")

    bare_medians, within = chapter_table(args.slugs or Course.default().slugs(), args.repeats)
    if not args.no_batch:
        batch = args.batch or min(bare_medians, key=bare_medians.get)
        within &= batch_line(batch, args.submissions, args.repeats)
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
