"""A throw-away nbgrader course directory, so that grading never writes into the repository."""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from traitlets.config import Config

from .course import Course
from .gradebook import course_api, create_gradebook


class NbgraderFailed(RuntimeError):
    """An nbgrader step reported failure; the message says which, why, and what to do."""


# What to do when a step fails, by step: what it was given is what is wrong.
_FIXES = {
    "generate_assignment": (
        "The chapter's source notebook (solutions/<slug>/<slug>.ipynb) cannot be released: fix "
        "it (`nbgrader generate_assignment <slug> --force`, run from the course folder, shows "
        "nbgrader's full log)."
    ),
    "autograde": (
        "The notebook cannot be graded, most likely because a graded cell was duplicated, "
        "deleted or its metadata edited. Copy your answers into a fresh copy of the exercise "
        "notebook, or restore a checkpoint from before the edit."
    ),
}


def telling_line(log: str) -> str:
    """The line of an nbgrader log or traceback that best says what went wrong (the last
    ``SomeError: message``, else the last line naming an error), without a final period; ""
    when there is none."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    lines = [line for line in lines if "Please see the" not in line]
    errors = [line for line in lines if re.match(r"[\w.]*(Error|Exception): ", line)]
    mentions = errors or [line for line in lines if "Error" in line]
    return mentions[-1][:300].rstrip(".") if mentions else ""


@dataclass
class Workspace:
    """nbgrader's standard layout in a temporary folder, configured like the course."""

    root: Path
    api: NbGraderAPI

    @property
    def db_url(self) -> str:
        return self.api.coursedir.db_url

    def run(self, step: str, *args: str) -> None:
        """Call one ``NbGraderAPI`` method (e.g. ``"generate_assignment"``).

        Raises:
            NbgraderFailed: when nbgrader reports failure; the message gives the step, the
                telling line of its log and what to do, never a whole traceback.
        """
        result = getattr(self.api, step)(*args)
        if not result["success"]:
            log = f"{result.get('log') or ''}\n{result.get('error') or ''}"
            why = telling_line(log) or "no reason in its log"
            fix = _FIXES.get(step, "")
            raise NbgraderFailed(f"nbgrader {step} {' '.join(args)} failed: {why}. {fix}".strip())


@contextmanager
def workspace(
    course: Course,
    slugs: list[str],
    overrides: Config | None = None,
    on_cell_executed: Callable[..., object] | None = None,
) -> Iterator[Workspace]:
    """A temporary course directory holding the given chapters' sources, deleted on exit.

    ``overrides`` are merged over the course's configuration (e.g. a shorter timeout);
    ``on_cell_executed`` is nbclient's hook, called after every executed cell.
    """
    with tempfile.TemporaryDirectory(prefix="alignment-lab-") as tmp:
        root = Path(tmp)
        for slug in slugs:
            shutil.copytree(course.solutions_dir / slug, root / "solutions" / slug)
        config = Config()
        if overrides is not None:
            config.merge(overrides)
        if on_cell_executed is not None:
            config.Execute.on_cell_executed = on_cell_executed
        db_url = f"sqlite:///{root / 'gradebook.db'}"
        api = course_api(course, db_url, config, root=root, log_level=logging.WARNING)
        create_gradebook(db_url, api.coursedir.course_id)
        yield Workspace(root=root, api=api)
