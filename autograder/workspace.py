"""A throw-away nbgrader course directory, so that grading never writes into the repository."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from .course import Course

# nbgrader runs helper programs by name (``alembic`` for the gradebook): find them beside this
# interpreter even when its virtual environment is not activated.
_bin = str(Path(sys.executable).parent)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = os.pathsep.join([_bin, os.environ.get("PATH", "")])


class NbgraderFailed(RuntimeError):
    """An nbgrader step reported failure; the message carries its log."""


@dataclass
class Workspace:
    """nbgrader's standard layout in a temporary folder, configured like the course."""

    root: Path
    api: NbGraderAPI

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def run(self, step: str, *args: str) -> None:
        """Call one ``NbGraderAPI`` method (e.g. ``"generate_assignment"``); raise on failure."""
        result = getattr(self.api, step)(*args)
        if not result["success"]:
            detail = result.get("error") or result.get("log") or "no log"
            raise NbgraderFailed(f"nbgrader {step} {' '.join(args)} failed:\n{detail}")


def _workspace_config(course: Course, root: Path, overrides: Config | None) -> Config:
    config = course.nbgrader_config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"
    if overrides is not None:
        config.merge(overrides)
    return config


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
        config = _workspace_config(course, root, overrides)
        if on_cell_executed is not None:
            config.Execute.on_cell_executed = on_cell_executed
        coursedir = CourseDirectory(config=config)
        api = NbGraderAPI(coursedir=coursedir, config=config)
        api.log.setLevel(logging.WARNING)
        yield Workspace(root=root, api=api)
