"""Generate the student versions in ``exercises/`` from the sources in ``solutions/``."""

from __future__ import annotations

import shutil
from pathlib import Path

from .course import Course
from .workspace import workspace


def generate_release(course: Course, slug: str, destination: Path) -> Path:
    """Run nbgrader's ``generate_assignment`` on one chapter and copy its release to
    ``destination / slug``, replacing what was there. Returns that folder."""
    course.require_chapter(slug)
    with workspace(course, [slug]) as ws:
        ws.run("generate_assignment", slug)
        target = destination / slug
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(ws.root / "exercises" / slug, target)
    return target


def release(course: Course, slugs: list[str] | None = None) -> list[Path]:
    """Regenerate ``exercises/<slug>/`` for the given chapters (all of them by default)."""
    return [
        generate_release(course, slug, course.exercises_dir) for slug in slugs or course.slugs()
    ]
