"""nbgrader's gradebook and API, as cohort grading and the workspaces use them: the API
configured like the course, and the gradebook created where nbgrader needs ``alembic``, with an
error that says what to check when it cannot be opened.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    from .course import Course

__all__ = ["GradebookUnavailable", "course_api", "create_gradebook", "without_password"]


def course_api(
    course: Course,
    db_url: str,
    overrides: Config | None = None,
    *,
    root: Path | None = None,
    log_level: int = logging.ERROR,
) -> NbGraderAPI:
    """nbgrader's API on a course folder (``root``, by default the course's own) and the
    gradebook at ``db_url``, configured by the course's ``nbgrader_config.py`` and then
    ``overrides``; only messages from ``log_level`` up are logged."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = course.nbgrader_config()
    config.CourseDirectory.root = str(root or course.root)
    config.CourseDirectory.db_url = db_url
    if overrides is not None:
        config.merge(overrides)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    api.log.setLevel(log_level)
    return api


class GradebookUnavailable(ValueError):
    """The gradebook cannot be opened; the message names it and says what to check."""


@contextmanager
def _helper_programs_findable() -> Iterator[None]:
    """This interpreter's environment's programs on ``PATH`` while inside, even when the
    environment is not activated; ``PATH`` as it was afterwards."""
    here = str(Path(sys.executable).parent)
    before = os.environ.get("PATH")
    if here in (before or "").split(os.pathsep):
        yield
        return
    os.environ["PATH"] = os.pathsep.join([here, before]) if before else here
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PATH", None)
        else:
            os.environ["PATH"] = before


def create_gradebook(db_url: str, course_id: str) -> None:
    """Open the gradebook at ``db_url`` for course ``course_id`` once, creating it if it is new.

    nbgrader stamps a new gradebook by running the ``alembic`` program by name, so this is the
    one place that needs this environment's programs on ``PATH``; every later opening finds the
    gradebook made.

    Raises:
        GradebookUnavailable: when the URL cannot be parsed, its database driver is missing or
            the database does not answer.
    """
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    shown = without_password(db_url)
    try:
        with _helper_programs_findable(), Gradebook(db_url, course_id):
            pass
    except (ArgumentError, ValueError) as err:
        raise GradebookUnavailable(
            f"{shown} is not a database URL ({err}). Give one such as "
            "sqlite:////path/to/gradebook.db or postgresql://user@host/gradebook."
        ) from err
    except (NoSuchModuleError, ModuleNotFoundError) as err:
        raise GradebookUnavailable(
            f"no database driver for {shown} ({err}). SQLite and PostgreSQL (postgresql://, "
            "with psycopg) come with `pip install -r requirements.txt`."
        ) from err
    except OperationalError as err:
        first_line = str(err.orig or err).strip().splitlines()[0]
        raise GradebookUnavailable(
            f"cannot open the gradebook {shown}: {first_line}. Check that the database server "
            "runs and that the URL, user and password are right."
        ) from err


def without_password(db_url: str) -> str:
    """The gradebook's URL as it may be written to disk: ``postgresql://ta:***@host/db``."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", db_url)
