"""Each chapter's self-check, run for real through the command line: the solution earns every
autograded point, the untouched exercise earns none (every test can fail), and the check writes
nothing into the repository. The science assertions inside each solution notebook are checked by
the book build, which executes the notebooks and fails on any error.

A writing chapter has nothing autograded: its check reports every answer as graded by a person,
0 of 0 points, and fails only while answers are empty; graded as a cohort, a filled-in
submission reaches the gradebook with every answer waiting for a person, an untouched one with
every answer empty."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

import nbformat
import pytest
from chapter_notebook import ChapterNotebook, is_test, is_written_answer, nbgrader
from conftest import COURSE, SLUGS
from exercise_variants import load_variants, notebook_with
from nbgrader.api import Gradebook
from tiny_course import inbox_with
from tiny_course import nbgrader as run_nbgrader

from autograder.course import WRITING, Course
from autograder.grade import grade_chapter
from autograder.submissions import collect

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
    if course.chapter_kind(slug) == WRITING:  # the model answers fill every answer cell
        assert not test_ids and rows, output
        assert all(v[2] == "graded by a person" for v in rows.values()), output
        assert "Autograded: 0 / 0 points." in output and "all written" in output, output
    assert repository_state(course) == before, "the self-check wrote into the repository"


def test_untouched_exercise_earns_nothing_and_says_why(course, slug):
    code, output, rows = check(course, course.exercise_notebook(slug))
    assert code == 1, f"an untouched exercise must not pass:\n{output}"
    if course.chapter_kind(slug) == WRITING:
        assert rows and all(v == ("-", v[1], "graded by a person: not written yet")
                            for v in rows.values()), output  # fmt: skip
        assert "Autograded: 0 / 0 points." in output, output
        assert f"{len(rows)} of {len(rows)} still empty" in output, output
        assert "This is a writing chapter: nothing in it is autograded." in output, output
        return
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


WRITING_SLUGS = [s for s in SLUGS if COURSE.chapter_kind(s) == WRITING]


@pytest.mark.parametrize("writing_slug", WRITING_SLUGS)
def test_a_writing_chapter_reaches_the_gradebook_waiting_for_a_person(writing_slug, tmp_path):
    """Catches written answers that never reach nbgrader's manual grading, or an untouched
    notebook whose empty answers would be put before a grader as if written."""
    slug = writing_slug
    root = tmp_path / "course"
    (root / "solutions").mkdir(parents=True)
    shutil.copy(COURSE.root / "nbgrader_config.py", root)
    shutil.copytree(COURSE.solutions_dir / slug, root / "solutions" / slug)
    run_nbgrader(root, "generate_assignment", slug)
    released = root / "exercises" / slug / f"{slug}.ipynb"
    cells = ChapterNotebook.read(released).cells
    answers = {
        nbgrader(c)["grade_id"]: f"My answer to {nbgrader(c)['grade_id']}, in several sentences."
        for c in cells
        if is_written_answer(c)
    }
    inbox = inbox_with(tmp_path / "inbox", released, {"filled": answers, "untouched": {}})
    with ProcessPoolExecutor(2) as pool:
        outcomes = grade_chapter(Course(root), slug, collect(inbox, slug).submissions, pool,
                                 progress=False)  # fmt: skip
    assert {s: o.status for s, o in outcomes.items()} == {"filled": "graded", "untouched": "graded"}

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for student in ("filled", "untouched"):
            notebook = gradebook.find_submission_notebook(slug, slug, student)
            grades = {g.name: g for g in notebook.grades}
            assert set(grades) == set(answers), f"{student}: graded cells {sorted(grades)}"
            for name, grade in grades.items():
                if student == "filled":
                    assert grade.needs_manual_grade and grade.score == 0, (
                        f"{name}: a written answer must wait for a person, got needs manual "
                        f"grade {grade.needs_manual_grade}, score {grade.score}"
                    )
                else:
                    assert not grade.needs_manual_grade and grade.score == 0, (
                        f"{name}: an unchanged answer is empty: nbgrader scores it 0 and asks "
                        f"nobody to read it; got {grade.needs_manual_grade}, {grade.score}"
                    )
            assert notebook.max_score == sum(g.max_score for g in grades.values()) > 0
    graded = nbformat.read(root / "autograded" / "filled" / slug / f"{slug}.ipynb", 4)
    written = {nbgrader(c)["grade_id"]: c.source for c in graded.cells if is_written_answer(c)}
    assert written == answers, "the autograded notebook must hold the answers as written"
