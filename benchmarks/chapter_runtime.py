"""Wall time and peak kernel memory of every chapter's solution notebook, run end to end.

Each run executes the notebook in a fresh kernel (nbclient, as the book build does) in its own
process, so the peak resident memory of that kernel can be read from the operating system.
Prints the median over ``--repeats`` runs; these machines are noisy. A chapter is within budget
when its median is at most 30 s, no run takes over 60 s and the kernel's peak memory stays at
most 1 GB (1024 MB); the exit status is 1 if any chapter is over.

    .venv/bin/python benchmarks/chapter_runtime.py [--repeats 3] [SLUG ...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["OMP_NUM_THREADS"] = "1"

from autograder.course import Course  # noqa: E402

BUDGET_MEDIAN_SECONDS = 30
BUDGET_LONGEST_SECONDS = 60
BUDGET_MB = 1024


def run_once(notebook: Path) -> dict:
    """Execute ``notebook`` in a fresh kernel; wall seconds and the kernel's peak RSS in MB."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    with tempfile.TemporaryDirectory() as workdir:
        start = time.perf_counter()
        NotebookClient(nb, timeout=600, resources={"metadata": {"path": workdir}}).execute()
        seconds = time.perf_counter() - start
    # ru_maxrss of finished children is in KiB on Linux; the kernel is this process's child.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb}


def measure(notebook: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--one", str(notebook)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{notebook} failed to run:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slugs", nargs="*", help="chapters (default: all)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_once(args.one)))
        return 0

    course = Course.default()
    print(f"{'chapter':<24} {'median s':>9} {'runs s':>22} {'peak MB':>8}  budget")
    within = True
    for slug in args.slugs or course.slugs():
        runs = [measure(course.source_notebook(slug)) for _ in range(args.repeats)]
        seconds = [r["seconds"] for r in runs]
        peak = max(r["peak_mb"] for r in runs)
        ok = (
            statistics.median(seconds) <= BUDGET_MEDIAN_SECONDS
            and max(seconds) <= BUDGET_LONGEST_SECONDS
            and peak <= BUDGET_MB
        )
        within &= ok
        print(
            f"{slug:<24} {statistics.median(seconds):>9.1f} "
            f"{' '.join(f'{s:.1f}' for s in seconds):>22} {peak:>8.0f}  "
            f"{'within' if ok else 'OVER'} {BUDGET_MEDIAN_SECONDS} s median, "
            f"{BUDGET_LONGEST_SECONDS} s longest, {BUDGET_MB} MB"
        )
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
