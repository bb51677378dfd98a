"""Specification of the command line's contract: every bad input ends as one `error: ...` line
that says what to change, never a traceback; the limits have one home, which the book quotes;
importing the package changes nothing in the environment, and the gradebook is still created
when this environment's programs are not on PATH."""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from tiny_course import SLUG, inbox_with, make_tiny_course, released_tiny_course

from autograder.__main__ import _parser, main
from autograder.course import Course
from autograder.defaults import MAX_OUTPUT_CHARS, MEMORY_GB, NOTEBOOK_SECONDS, cell_timeout
from autograder.sandbox import Limits

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> tuple[Path, Path]:
    """A released tiny course and an inbox holding one correct notebook."""
    root = tmp_path_factory.mktemp("course")
    released = released_tiny_course(root)
    inbox = inbox_with(tmp_path_factory.mktemp("submissions") / "inbox", released, {"ada": {}})
    return root, inbox


def run_main(*args: str | Path) -> int:
    """The command line, in this process: its exit status (argparse's own errors included)."""
    try:
        return main([str(a) for a in args])
    except SystemExit as stop:
        return stop.code


BAD_GRADE_OPTIONS = {
    "no such chapter": (["grade", "nope", "{inbox}"], "no chapter 'nope'.*chapters \\(tiny\\)"),
    "no workers": (["grade", SLUG, "{inbox}", "--jobs", "0"], "--jobs: must be at least 1"),
    "negative limit": (
        ["grade", SLUG, "{inbox}", "--notebook-timeout", "-5"],
        "--notebook-timeout: must be at least 1 s",
    ),
    "tiny memory": (["grade", SLUG, "{inbox}", "--memory-gb", "0.01"], "at least 0.25 GB"),
    "not a URL": (
        ["grade", SLUG, "{inbox}", "--db", "gradebook.db"],
        "not a database URL; give one such as sqlite:///",
    ),
    "no database server": (
        ["grade", SLUG, "{inbox}", "--db", "postgresql://ta@/gradebook?host={root}/no-server"],
        "cannot open the gradebook postgresql://ta@/gradebook.*Check that the database server",
    ),
    "bad scheduler address": (
        ["grade", SLUG, "{inbox}", "--scheduler", "nonsense"],
        "cannot reach the Dask scheduler at 'nonsense'.*tcp://",
    ),
    "no submissions": (["grade", SLUG, "{root}/missing"], "does not exist: pass the submissions"),
    "release of no chapter": (["release", "nope"], "no chapter 'nope'"),
    "check of no notebook": (["check", "{root}/nope.ipynb"], "does not exist"),
}


@pytest.mark.parametrize("case", BAD_GRADE_OPTIONS)
def test_bad_input_ends_as_one_error_line_that_says_what_to_change(case, tiny, capsys):
    # Catches: an input error that escapes as a traceback, or exits 1 like missing points.
    root, inbox = tiny
    args, expected = BAD_GRADE_OPTIONS[case]
    args = [a.format(root=root, inbox=inbox) for a in args]
    status = run_main("--course", root, *args, *(["--no-isolation"] if "grade" in args else []))
    err = capsys.readouterr().err
    assert status == 2, err
    assert re.search(r"(^|: )error: ", err) and re.search(expected, err), err
    assert "Traceback" not in err


def test_a_course_whose_chapter_nbgrader_cannot_release_is_an_error_naming_the_source(
    tmp_path, capsys
):
    # Catches: the release into the gradebook failing as a bare RuntimeError and its traceback.
    make_tiny_course(tmp_path)
    source = tmp_path / "solutions" / SLUG / f"{SLUG}.ipynb"
    nb = nbformat.read(source, as_version=4)
    twin = copy.deepcopy(nb.cells[2])  # a second test cell with the same grade id
    twin.id = "twin"
    nb.cells.insert(3, twin)
    nbformat.write(nb, source)
    (tmp_path / "inbox").mkdir()
    status = run_main("--course", tmp_path, "grade", SLUG, tmp_path / "inbox", "--no-isolation")
    err = capsys.readouterr().err
    assert status == 2, err
    assert err.startswith(f"error: nbgrader could not release chapter '{SLUG}'"), err
    assert f"Fix {source}" in err and "Traceback" not in err, err


def test_the_limits_have_one_home_and_the_book_quotes_them():
    # Catches: a second copy of a default (CLI, sandbox, runner) that can drift from the first,
    # and a book page that states a limit the grader no longer applies.
    arguments = _parser().parse_args(["grade", "memorization", "submitted"])
    assert arguments.notebook_timeout == NOTEBOOK_SECONDS == Limits().wall_seconds
    assert arguments.memory_gb == MEMORY_GB and Limits().memory_bytes == MEMORY_GB * 1024**3
    literals = re.compile(r"\b(180|600|100_000)\b|\b4(\.0)? \* 1024|default=4")
    elsewhere = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted((REPO / "autograder").glob("*.py"))
        if path.name != "defaults.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if literals.search(line)
    ]
    assert not elsewhere, f"defaults repeated outside autograder/defaults.py: {elsewhere}"

    per_cell = cell_timeout(Course.default().nbgrader_config())
    page = " ".join((REPO / "book" / "instructors.md").read_text().split())
    assert f"| `Execute.timeout` | {per_cell} seconds per cell |" in page
    assert f"{per_cell} seconds per cell (the course configuration)" in page
    assert f"`--notebook-timeout` ({NOTEBOOK_SECONDS:g} seconds)" in page
    assert f"`--memory-gb` ({MEMORY_GB:g})" in page
    assert f"Text outputs longer than {MAX_OUTPUT_CHARS:,} characters are cut" in page


def clean_environment() -> dict[str, str]:
    """The environment of someone who runs .venv/bin/python without activating the venv."""
    keep = {"HOME", "LANG", "TMPDIR"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["PATH"] = "/usr/bin:/bin"
    return env


def test_importing_the_package_changes_no_environment_variable():
    # Catches: PATH or OMP_NUM_THREADS set as a side effect of an import.
    code = (
        "import importlib, os, pkgutil\n"
        "before = dict(os.environ)\n"
        "import autograder\n"
        "for module in pkgutil.iter_modules(autograder.__path__):\n"
        "    importlib.import_module('autograder.' + module.name)\n"
        "names = before.keys() | os.environ.keys()\n"
        "print(sorted(k for k in names if before.get(k) != os.environ.get(k)))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], env=clean_environment(), capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]", f"variables changed by importing autograder: {proc.stdout}"


def test_a_new_gradebook_is_made_without_this_environment_on_path(tmp_path):
    # Catches: nbgrader failing to run `alembic` for a new gradebook when the venv is not
    # activated, once PATH is no longer changed on import.
    make_tiny_course(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "--course", str(tmp_path), "release", SLUG],
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "NotImplementedError" in (tmp_path / "exercises" / SLUG / f"{SLUG}.ipynb").read_text()
