"""Each chapter's self-check, run for real through the command line: the solution earns every
autograded point, the untouched exercise earns none (every test can fail), and the check writes
nothing into the repository. The science assertions inside each solution notebook are checked by
the book build, which executes the notebooks and fails on any error."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from chapter_notebook import ChapterNotebook, is_test, nbgrader
from exercise_variants import load_variants, notebook_with

pytestmark = pytest.mark.slow

ROW = re.compile(r"^  (\S+)\s+(\S+) / (\S+)\s+(.+)$", re.M)


def check(course, notebook) -> tuple[int, str, dict[str, tuple[str, str, str]]]:
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "check", "--no-progress", str(notebook)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=course.root,
    )
    rows = {m[0]: (m[1], m[2], m[3]) for m in ROW.findall(proc.stdout) if m[0] != "cell"}
    return proc.returncode, proc.stdout + proc.stderr, rows


def repository_state(course) -> set[str]:
    proc = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
        capture_output=True,
        text=True,
        cwd=course.root,
        check=True,
    )
    return {
        line
        for line in proc.stdout.splitlines()
        if "__pycache__" not in line and ".pytest_cache" not in line
    }


def test_solution_earns_every_autograded_point(course, slug):
    before = repository_state(course)
    code, output, rows = check(course, course.source_notebook(slug))
    assert code == 0, f"the solution must earn full marks:\n{output}"
    test_ids = {
        nbgrader(c)["grade_id"]
        for c in ChapterNotebook.read(course.source_notebook(slug)).cells
        if is_test(c)
    }
    assert test_ids <= rows.keys(), f"missing rows {test_ids - rows.keys()}:\n{output}"
    assert all(rows[t][2] == "passed" for t in test_ids), output
    assert repository_state(course) == before, "the self-check wrote into the repository"


def test_untouched_exercise_earns_nothing_and_says_why(course, slug):
    code, output, rows = check(course, course.exercise_notebook(slug))
    assert code == 1, f"an untouched exercise must not pass:\n{output}"
    autograded = {k: v for k, v in rows.items() if not v[2].startswith("graded by a person")}
    assert autograded, output
    for grade_id, (earned, _, status) in autograded.items():
        assert earned == "0", f"{grade_id} earned points untouched:\n{output}"
        assert status.startswith("not attempted"), f"{grade_id}: {status}"
    assert re.search(r"Autograded: 0 / \d+ points", output), output


def test_the_self_check_says_when_wrong_code_breaks_the_chapters_experiment(course, tmp_path):
    """A goal_posterior that normalises the choice model over every option instead of the menu
    once earned full marks; with it even a correct-model robot is confidently wrong. The tests
    now reject it, and the check also reports the experiment's missing effect."""
    slug = "cirl-off-switch"
    v = next(
        v
        for v in load_variants(slug)
        if v.exercise == "goal_posterior" and not v.correct and "every option" in v.description
    )
    notebook = notebook_with(course.source_notebook(slug), {v.exercise: v.source}, tmp_path)
    code, output, rows = check(course, notebook)
    assert code == 1, output
    assert rows["test_goal_posterior"][2].startswith("wrong"), output
    assert "the chapter's experiment does not show its effect" in output, output
    assert "Most likely involved: goal_posterior (Exercise 3)" in output, output
