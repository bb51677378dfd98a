"""Shared fixtures. Course-wide tests are parametrized over every chapter under solutions/, so a
new chapter is covered without editing any test."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

os.environ["OMP_NUM_THREADS"] = "1"  # set before any kernel or torch starts
# nbgrader and jupyter-book run helper programs by name: find this environment's own.
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
sys.path.insert(0, str(Path(__file__).parent))  # the tests' own helpers (tiny_course)
# Self-checks run by tests are recorded in a folder of their own, never in the user's data.
_SELF_CHECKS = tempfile.mkdtemp(prefix="self-checks-")
os.environ["ALIGNMENT_EXERCISES_DATA"] = _SELF_CHECKS
atexit.register(shutil.rmtree, _SELF_CHECKS, ignore_errors=True)

from autograder.course import Course  # noqa: E402

COURSE = Course.default()
SLUGS = COURSE.slugs()


@pytest.fixture(scope="session")
def course() -> Course:
    return COURSE


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "slug" in metafunc.fixturenames:
        metafunc.parametrize("slug", SLUGS)
