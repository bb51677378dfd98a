"""Every default of grading, in one place; the command line, the sandbox and the grader read
them from here.

The limit per cell is the exception, on purpose: it is the course's own setting,
``c.Execute.timeout`` in ``nbgrader_config.py``, so that plain ``nbgrader autograde`` obeys the
same limit. :func:`cell_timeout` reads it from there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from traitlets.config import Config

__all__ = [
    "MAX_OUTPUT_CHARS",
    "MEMORY_GB",
    "NOTEBOOK_SECONDS",
    "SCHEDULER_CONNECT_SECONDS",
    "cell_timeout",
]

NOTEBOOK_SECONDS = 600.0
"""Wall-clock limit of one graded notebook, in seconds (``--notebook-timeout``): every chapter
runs in about a minute, so ten minutes means stuck, not slow."""

MEMORY_GB = 4.0
"""Address-space cap of each process of a graded notebook, in GiB (``--memory-gb``). PyTorch
alone reserves about 1 GiB of address space, and a chapter peaks under 1.5 GiB resident."""

MAX_OUTPUT_CHARS = 100_000
"""Longer text outputs are cut before scoring (nbgrader's ``LimitOutput`` counts only lines)."""

SCHEDULER_CONNECT_SECONDS = 30
"""How long ``--scheduler`` waits for the Dask scheduler to answer, in seconds."""


def cell_timeout(config: Config) -> int | None:
    """The limit per cell, in seconds, that nbgrader's ``Execute`` applies under ``config``.

    ``c.Execute.timeout`` (or ``c.ExecutePreprocessor.timeout``) when the course sets it, else
    nbgrader's own default; None or 0 means no limit. Resolved by nbgrader's class itself, so
    that cohort grading, the self-check and plain ``nbgrader autograde`` cannot disagree.
    """
    from nbgrader.preprocessors import Execute

    return Execute(config=config).timeout
