"""A two-exercise course built in a temporary folder, for testing the autograder quickly."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

REPO = Path(__file__).resolve().parents[1]
SLUG = "tiny"
CORRECT_ANSWERS = {
    "add": "def add(a, b):\n    return a + b",
    "pause": "def pause(seconds):\n    return seconds",
}
PARTIAL = {"add": CORRECT_ANSWERS["add"]}  # right on add (2 points), nothing on pause


def _nbgrader(grade_id: str, *, grade: bool, solution: bool, points: int = 0) -> dict:
    meta = {
        "grade": grade,
        "solution": solution,
        "locked": not solution,
        "grade_id": grade_id,
        "schema_version": 3,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


EXPERIMENT = "total = add(2, 2)"
EFFECT_CHECK = (
    "from alignment_lab.effects import involving\n\n"
    'with involving("add"):\n'
    '    assert total == 4, f"add(2, 2) gave {total}, expected 4"'
)


def tiny_source(*, with_experiment: bool = False) -> nbformat.NotebookNode:
    """``add`` (2 points, hidden test included), ``pause`` (1 point) and a written answer;
    ``with_experiment`` adds an experiment that uses ``add`` and its locked effect check."""
    cells = [
        new_markdown_cell("# Tiny chapter"),
        new_code_cell(
            "def add(a, b):\n    ### BEGIN SOLUTION\n    return a + b\n    ### END SOLUTION",
            metadata=_nbgrader("add", grade=False, solution=True),
        ),
        new_code_cell(
            '"""add sums two numbers."""\n'
            'assert add(1, 2) == 3, f"add(1, 2) must be 3, got {add(1, 2)}"\n'
            "### BEGIN HIDDEN TESTS\n"
            'assert add(-1, 1) == 0, "hidden: add(-1, 1) must be 0"\n'
            "### END HIDDEN TESTS",
            metadata=_nbgrader("test_add", grade=True, solution=False, points=2),
        ),
        new_code_cell(
            "def pause(seconds):\n    ### BEGIN SOLUTION\n    return seconds\n    ### END SOLUTION",
            metadata=_nbgrader("pause", grade=False, solution=True),
        ),
        new_code_cell(
            '"""pause returns its argument."""\nassert pause(0.1) == 0.1',
            metadata=_nbgrader("test_pause", grade=True, solution=False, points=1),
        ),
        new_markdown_cell("Why does 1 + 2 equal 3?"),
        new_markdown_cell(
            "```{admonition} Model answer\n:class: dropdown\n\nBy definition.\n```",
            metadata=_nbgrader("why", grade=True, solution=True, points=2),
        ),
    ]
    if with_experiment:
        cells += [
            new_code_cell(EXPERIMENT),
            new_code_cell(
                EFFECT_CHECK, metadata=_nbgrader("check_paper_effects", grade=False, solution=False)
            ),
        ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


WRITTEN_ANSWERS = {"essay_why": "Because two more than one is three.", "essay_how": "Count."}


def tiny_writing_source() -> nbformat.NotebookNode:
    """A writing chapter: two assignments graded by a person (2 and 3 points), no code but the
    first cell, nothing autograded."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Tiny writing chapter"),
            new_code_cell("import math", metadata=_nbgrader("setup", grade=False, solution=False)),
            new_markdown_cell("## Assignment 1: why\n\nWhy does 1 + 2 equal 3?"),
            new_markdown_cell(
                "```{admonition} Model answer\n:class: dropdown\n\nBy definition.\n\n"
                "**Rubric (2 points):**\n\n| Criterion | Points |\n|---|---|\n| Why | 2 |\n```",
                metadata=_nbgrader("essay_why", grade=True, solution=True, points=2),
            ),
            new_markdown_cell("## Assignment 2: how\n\nHow would you check it?"),
            new_markdown_cell(
                "```{admonition} Model answer\n:class: dropdown\n\nCount.\n\n"
                "**Rubric (3 points):**\n\n| Criterion | Points |\n|---|---|\n| A check | 3 |\n```",
                metadata=_nbgrader("essay_how", grade=True, solution=True, points=3),
            ),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["alignment_exercises"] = {"kind": "writing"}
    return nb


def make_tiny_course(root: Path, *, with_experiment: bool = False, writing: bool = False) -> Path:
    """A course directory with the repository's nbgrader config and the tiny chapter (the tiny
    writing chapter instead, if ``writing``)."""
    shutil.copyfile(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    chapter = root / "solutions" / SLUG
    chapter.mkdir(parents=True)
    source = tiny_writing_source() if writing else tiny_source(with_experiment=with_experiment)
    nbformat.write(source, chapter / f"{SLUG}.ipynb")
    return root


def learner_notebook(released: Path, folder: Path, answers: dict[str, str]) -> Path:
    """A copy of the released notebook with some answer cells' sources replaced."""
    nb = nbformat.read(released, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{SLUG}.ipynb"
    nbformat.write(nb, path)
    return path


def inbox_with(folder: Path, released: Path, answers_by_student: dict) -> Path:
    """A folder of notebooks named by student, as downloaded from a learning platform."""
    folder.mkdir(parents=True)
    for student, answers in answers_by_student.items():
        learner_notebook(released, folder / student, answers).rename(folder / f"{student}.ipynb")
        shutil.rmtree(folder / student)
    return folder


def nbgrader(root: Path, *args: str) -> None:
    """Run a plain ``nbgrader`` command from the course root, as an instructor would."""
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}"


def released_tiny_course(root: Path, *, with_experiment: bool = False) -> Path:
    """The tiny course, released with ``nbgrader generate_assignment``; returns the exercise."""
    make_tiny_course(root, with_experiment=with_experiment)
    nbgrader(root, "generate_assignment", SLUG)
    return root / "exercises" / SLUG / f"{SLUG}.ipynb"
