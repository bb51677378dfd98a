"""Execute one notebook exactly as ``nbgrader autograde`` does; meant to run inside the sandbox.

Usage: ``python -m autograder.run_notebook IN.ipynb OUT.ipynb [--timeout SECONDS]``. The grader
passes the course's limit per cell (:func:`autograder.defaults.cell_timeout`); 0 means none, and
without it nbgrader's own default applies.

The notebook is executed with nbgrader's own ``Execute`` preprocessor (same kernel handling,
same per-cell timeout, ``NBGRADER_EXECUTION=autograde``) in the current directory, and written
to OUT. Exit status 0 when the notebook ran (failing cells included: grading decides what they
are worth), 3 when it cannot be read, 4 when the kernel died or a cell timed out.
"""

from __future__ import annotations

import argparse
import os
import sys

# jsonschema compiles an IRI grammar on import (rfc3987_syntax, about 3 s) for a string format
# that no notebook schema uses. This process starts once per graded notebook, so it goes without.
sys.modules.setdefault("rfc3987_syntax", None)  # importing it now raises ImportError: skipped

import nbformat  # noqa: E402
from nbclient.exceptions import CellTimeoutError, DeadKernelError  # noqa: E402
from nbgrader.preprocessors import Execute  # noqa: E402

EXIT_UNREADABLE = 3
EXIT_KERNEL = 4


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--timeout", type=int, help="seconds per cell (0: no limit)")
    args = parser.parse_args(argv)
    try:
        nb = nbformat.read(args.source, as_version=nbformat.NO_CONVERT)
    except Exception as err:  # malformed JSON, wrong schema: report, do not crash
        print(f"cannot read the notebook: {err}", file=sys.stderr)
        return EXIT_UNREADABLE
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    executor = Execute() if args.timeout is None else Execute(timeout=args.timeout)
    status = 0
    try:
        nb, _ = executor.preprocess(nb, {"metadata": {"path": os.getcwd()}})
    except (DeadKernelError, CellTimeoutError) as err:
        print(f"{type(err).__name__}: {err}", file=sys.stderr)
        status = EXIT_KERNEL
    nbformat.write(nb, args.target)
    return status


if __name__ == "__main__":
    sys.exit(main())
