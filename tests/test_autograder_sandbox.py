"""Specification of autograder.sandbox: student code runs without network, sees only its own
directory (read-write) and the system (read-only), and is stopped by the memory and time limits.

These tests start real bubblewrap sandboxes; `make` installs bubblewrap."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.sandbox import Limits, isolation_problem, run_isolated, run_unisolated

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module", autouse=True)
def sandbox_available():
    problem = isolation_problem()
    assert problem is None, f"the sandbox cannot run on this machine: {problem}"


def python(code: str, workdir: Path, limits: Limits | None = None):
    return run_isolated([sys.executable, "-c", code], workdir, limits)


def test_the_course_environment_works_inside(tmp_path):
    result = python("import torch, alignment_lab, nbgrader; print(torch.__version__)", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2.13.0")


def test_the_working_directory_is_the_only_writable_place(tmp_path):
    result = python("open('answer.txt', 'w').write('42')", tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "answer.txt").read_text() == "42"
    for outside in (REPO / "written-from-the-sandbox.txt", Path.home() / "written-by-sandbox"):
        # Refused (read-only), or written to the sandbox's private /tmp when the repository
        # itself lives under /tmp: either way nothing reaches the real file system.
        python(f"open({str(outside)!r}, 'w').write('x')", tmp_path)
        assert not outside.exists(), f"the sandbox wrote {outside}"


@pytest.mark.parametrize(
    "secret",
    [
        REPO / "solutions",  # the answer key
        REPO / "nbgrader_config.py",
    ],
)
def test_the_course_repository_and_home_are_not_visible(tmp_path, secret):
    assert secret.exists(), f"{secret} should exist outside the sandbox"
    result = python(f"import os; print(os.path.exists({str(secret)!r}))", tmp_path)
    assert result.stdout.strip() == "False", f"{secret} is visible inside the sandbox"


def test_home_shows_at_most_the_path_to_the_python_installation(tmp_path):
    """The interpreter may live under $HOME (pyenv); nothing else of $HOME may be visible."""
    home = Path.home()
    allowed = set()
    for prefix in {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}:
        if prefix.is_relative_to(home) and prefix != home:
            allowed.add(prefix.relative_to(home).parts[0])
    code = f"import os; p = {str(home)!r}; print(sorted(os.listdir(p)) if os.path.isdir(p) else [])"
    result = python(code, tmp_path)
    visible = set(ast.literal_eval(result.stdout))
    assert visible <= allowed, f"visible in $HOME inside the sandbox: {sorted(visible - allowed)}"


def test_other_directories_under_tmp_are_not_visible(tmp_path):
    neighbour = tmp_path / "other-student"
    neighbour.mkdir()
    (neighbour / "work.ipynb").write_text("{}")
    mine = tmp_path / "me"
    mine.mkdir()
    result = python(f"import os; print(os.path.exists({str(neighbour)!r}))", mine)
    assert result.stdout.strip() == "False"


def test_there_is_no_network(tmp_path):
    code = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 53), timeout=3)\n"
        "    print('connected')\n"
        "except OSError as err:\n"
        "    print('refused', err)\n"
    )
    result = python(code, tmp_path)
    assert result.stdout.startswith("refused"), result.stdout + result.stderr


def test_the_wall_clock_limit_kills_the_run(tmp_path):
    result = python("import time; time.sleep(30)", tmp_path, Limits(wall_seconds=1))
    assert result.timed_out and result.returncode != 0


def test_the_memory_cap_stops_a_blow_up(tmp_path):
    result = python("x = bytearray(3 * 1024**3)", tmp_path, Limits(memory_bytes=2 * 1024**3))
    assert result.returncode != 0 and "MemoryError" in result.stderr


def test_a_notebook_kernel_runs_inside_and_writes_its_executed_copy(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("print(6 * 7)"), nbformat.v4.new_code_cell("1 / 0")]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, tmp_path / "in.ipynb")
    argv = [sys.executable, "-m", "autograder.run_notebook", "in.ipynb", "out.ipynb"]
    result = run_isolated(argv, tmp_path, Limits(wall_seconds=120))
    assert result.returncode == 0, result.stderr
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert out.cells[0].outputs[0]["text"] == "42\n"
    assert out.cells[1].outputs[0]["ename"] == "ZeroDivisionError", "failing cells are kept"


def test_an_unreadable_notebook_is_reported_not_crashed(tmp_path):
    (tmp_path / "in.ipynb").write_text("{ this is not json")
    argv = [sys.executable, "-m", "autograder.run_notebook", "in.ipynb", "out.ipynb"]
    result = run_isolated(argv, tmp_path, Limits(wall_seconds=60))
    assert result.returncode == 3 and "cannot read the notebook" in result.stderr


@pytest.mark.parametrize(
    ("limits", "message"),
    [({"wall_seconds": 0}, "wall_seconds"), ({"memory_bytes": 10}, "memory_bytes")],
)
def test_limits_reject_nonsense(limits, message):
    with pytest.raises(ValueError, match=message):
        Limits(**limits)


def test_a_missing_workdir_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        python("pass", tmp_path / "missing")


def test_unisolated_runs_keep_the_limits(tmp_path):
    """--no-isolation gives up the sandbox, not the time and memory limits."""
    result = run_unisolated(
        [sys.executable, "-c", "import time; time.sleep(30)"], tmp_path, Limits(wall_seconds=1)
    )
    assert result.timed_out
    result = run_unisolated(
        [sys.executable, "-c", "x = bytearray(3 * 1024**3)"],
        tmp_path,
        Limits(memory_bytes=2 * 1024**3),
    )
    assert result.returncode != 0 and "MemoryError" in result.stderr
    result = run_unisolated([sys.executable, "-c", "import os; print(os.getcwd())"], tmp_path)
    assert result.stdout.strip() == str(tmp_path)
