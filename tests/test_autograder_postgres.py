"""Cohort grading into a PostgreSQL gradebook: a real server, started for the test on a private
socket, receives the same grades as the default SQLite gradebook, and nbgrader's own
``export`` reads them back from it.

Slow: every submission runs in a real kernel inside the sandbox, twice."""

from __future__ import annotations

import csv
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from glob import glob
from pathlib import Path

import pytest
from tiny_course import CORRECT_ANSWERS, PARTIAL, SLUG, inbox_with, nbgrader, released_tiny_course

from autograder.course import Course
from autograder.grade import grade_chapter
from autograder.submissions import collect

pytestmark = pytest.mark.slow
ANSWERS = {"ada": CORRECT_ANSWERS, "bob": {}, "cy": PARTIAL}


def postgres_bin() -> Path:
    """The folder of PostgreSQL's server programs (Debian keeps them off PATH)."""
    on_path = shutil.which("initdb")
    candidates = [Path(on_path).resolve().parent] if on_path else []  # past any symlink
    candidates += [Path(p) for p in sorted(glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in candidates:
        if (folder / "pg_ctl").is_file():
            return folder
    pytest.fail(
        "PostgreSQL's server is not installed; `make` installs it (apt-get install -y postgresql)."
    )


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL server listening only on a socket in a temporary folder; its URL."""
    server = postgres_bin()
    home = Path(tempfile.mkdtemp(prefix="gradebook-pg-"))
    as_user: list[str] = []
    if os.getuid() == 0:  # the server refuses to run as root: run it as an unprivileged user
        user = "postgres" if _user_exists("postgres") else "nobody"
        os.chown(home, pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid)
        as_user = ["runuser", "-u", user, "--"]

    def run(*argv: str) -> None:
        proc = subprocess.run([*as_user, *argv], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, f"{' '.join(argv)} failed:\n{proc.stdout}{proc.stderr}"

    data = home / "data"
    run(str(server / "initdb"), "-D", str(data), "-A", "trust", "-U", "grader", "--no-sync")
    options = f"-k {home} -c listen_addresses='' -c fsync=off"
    pg_ctl = str(server / "pg_ctl")
    run(pg_ctl, "-D", str(data), "-o", options, "-l", str(home / "log"), "-w", "start")
    try:
        run(str(server / "createdb"), "-h", str(home), "-U", "grader", "gradebook")
        yield f"postgresql://grader@/gradebook?host={home}"
    finally:
        run(pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(home, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def graded_and_exported(root: Path, inbox: Path, db_url: str) -> dict[str, tuple[str, str]]:
    """Grade the inbox into ``db_url`` and export it with nbgrader: student -> (score, max)."""
    with ProcessPoolExecutor(2) as pool:
        outcomes = grade_chapter(
            Course(root), SLUG, collect(inbox, SLUG).submissions, pool, db_url=db_url,
            progress=False,
        )  # fmt: skip
    assert {s: o.status for s, o in outcomes.items()} == dict.fromkeys(ANSWERS, "graded")
    exported = root / "export.csv"
    nbgrader(root, "export", f"--CourseDirectory.db_url={db_url}", f"--to={exported}")
    with open(exported) as f:
        return {row["student_id"]: (row["score"], row["max_score"]) for row in csv.DictReader(f)}


def test_a_postgresql_gradebook_holds_the_same_grades_and_nbgrader_exports_them(
    tmp_path, postgres_url
):
    results = {}
    for name, db_url in [("sqlite", None), ("postgresql", postgres_url)]:
        root = tmp_path / name
        root.mkdir()
        released = released_tiny_course(root)
        inbox = inbox_with(tmp_path / f"inbox-{name}", released, ANSWERS)
        db_url = db_url or f"sqlite:///{root / 'gradebook.db'}"
        results[name] = graded_and_exported(root, inbox, db_url)

    assert results["postgresql"] == results["sqlite"]
    # Manual grading of the written answer is still to come, so the maximum counts its 2 points.
    expected = {"ada": ("3.0", "5.0"), "bob": ("0.0", "5.0"), "cy": ("2.0", "5.0")}
    assert results["postgresql"] == expected
