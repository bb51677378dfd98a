"""The shipped nbgrader_config.py with plain nbgrader commands, run from the course root as an
instructor would: release, autograde, feedback without hidden tests, export."""

from __future__ import annotations

import csv
import shutil

from tiny_course import CORRECT_ANSWERS, SLUG, learner_notebook, make_tiny_course, nbgrader


def test_plain_nbgrader_workflow_grades_and_feedback_hides_hidden_tests(tmp_path):
    root = make_tiny_course(tmp_path)
    nbgrader(root, "generate_assignment", SLUG)
    released = root / "exercises" / SLUG / f"{SLUG}.ipynb"
    assert released.is_file(), "release must go to exercises/<slug>/"

    learner_notebook(released, root / "submitted" / "ada" / SLUG, CORRECT_ANSWERS)
    untouched = root / "submitted" / "bob" / SLUG
    untouched.mkdir(parents=True)
    shutil.copyfile(released, untouched / f"{SLUG}.ipynb")
    nbgrader(root, "autograde", SLUG)
    nbgrader(root, "generate_feedback", SLUG)
    nbgrader(root, "export")

    feedback = (root / "feedback" / "ada" / SLUG / f"{SLUG}.html").read_text()
    assert "add(1, 2) must be 3" in feedback, "visible tests stay in the feedback"
    assert "hidden: add(-1, 1)" not in feedback, "feedback must not reveal hidden tests"

    with open(root / "grades.csv") as f:
        grades = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(f)}
    assert grades == {"ada": 3.0, "bob": 0.0}, (
        f"autograded scores, written answers pending: {grades}"
    )
