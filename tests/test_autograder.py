"""The autograder on a tiny two-exercise course: release, and every status of the self-check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tiny_course import CORRECT_ANSWERS as CORRECT
from tiny_course import SLUG, WRITTEN_ANSWERS, learner_notebook, make_tiny_course

from autograder.check import (
    BY_A_PERSON,
    ERROR,
    NOT_ATTEMPTED,
    PASSED,
    TIMEOUT,
    WRONG,
    check_notebook,
    format_report,
    model_answers,
)
from autograder.course import WRITING, Course, NotAChapterNotebook
from autograder.release import release


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    course = Course(make_tiny_course(tmp_path_factory.mktemp("course")))
    release(course)
    return course


def statuses(report) -> dict[str, tuple[str, str]]:
    return {c.grade_id: (c.status, c.detail) for c in report.cells}


def test_release_replaces_solutions_and_hides_hidden_tests(course):
    released = course.exercise_notebook(SLUG).read_text()
    assert "raise NotImplementedError()" in released
    assert "return a + b" not in released
    assert "hidden: add(-1, 1)" not in released
    assert "By definition" not in released


def test_untouched_exercise_is_not_attempted_and_earns_nothing(course):
    report = check_notebook(course.exercise_notebook(SLUG), course, progress=False)
    assert statuses(report)["test_add"][0] == NOT_ATTEMPTED
    assert statuses(report)["test_pause"][0] == NOT_ATTEMPTED
    assert report.auto_earned == 0 and report.auto_possible == 3
    assert not report.full_marks


def test_correct_answers_earn_every_point_and_written_answers_await_a_person(course, tmp_path):
    notebook = learner_notebook(course.exercise_notebook(SLUG), tmp_path, CORRECT)
    report = check_notebook(notebook, course, progress=False)
    assert statuses(report)["test_add"] == (PASSED, "")
    assert statuses(report)["why"][0] == BY_A_PERSON
    assert report.full_marks and report.auto_earned == 3 and report.manual_possible == 2


def test_hidden_tests_are_restored_and_their_failure_reported(course, tmp_path):
    # Passes the visible test add(1, 2) == 3 but not the hidden add(-1, 1) == 0.
    answers = {**CORRECT, "add": "def add(a, b):\n    return abs(a) + abs(b)"}
    report = check_notebook(
        learner_notebook(course.exercise_notebook(SLUG), tmp_path, answers), course, progress=False
    )
    assert statuses(report)["test_add"] == (WRONG, "hidden: add(-1, 1) must be 0")
    assert statuses(report)["test_pause"][0] == PASSED


def test_a_deleted_test_cell_is_put_back_and_graded(course, tmp_path):
    import nbformat

    path = learner_notebook(course.exercise_notebook(SLUG), tmp_path, CORRECT)
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_add"]
    nbformat.write(nb, path)
    report = check_notebook(path, course, progress=False)
    assert statuses(report)["test_add"][0] == PASSED


def test_wrong_error_and_timeout_are_told_apart(course, tmp_path):
    answers = {
        "add": "def add(a, b):\n    return 0",
        "pause": "import time\ndef pause(seconds):\n    time.sleep(30)",
    }
    report = check_notebook(
        learner_notebook(course.exercise_notebook(SLUG), tmp_path, answers),
        course,
        timeout=3,
        progress=False,
    )
    assert statuses(report)["test_add"] == (WRONG, "add(1, 2) must be 3, got 0")
    assert statuses(report)["test_pause"][0] == TIMEOUT

    answers = {**CORRECT, "pause": "def pause(seconds):\n    return seconds / 0"}
    report = check_notebook(
        learner_notebook(course.exercise_notebook(SLUG), tmp_path, answers), course, progress=False
    )
    assert statuses(report)["test_pause"] == (ERROR, "ZeroDivisionError: float division by zero")


def test_a_notebook_of_another_name_is_refused_with_the_valid_names(course, tmp_path):
    other = tmp_path / "homework.ipynb"
    other.write_text(course.exercise_notebook(SLUG).read_text())
    with pytest.raises(NotAChapterNotebook, match="tiny.ipynb"):
        check_notebook(other, course, progress=False)


@pytest.mark.parametrize("name", [f"Copy of {SLUG}.ipynb", f"{SLUG} (1).ipynb", f"{SLUG}(2).ipynb"])
def test_a_notebook_renamed_by_copying_still_names_its_chapter(course, name):
    """Catches Google Drive's "Copy of ..." or a browser's "(1)" refused as another notebook."""
    assert course.chapter_of(Path(name)) == SLUG


@pytest.mark.parametrize(
    "name", [f"Copy of {SLUG}x.ipynb", f"my {SLUG}.ipynb", f"{SLUG} (a).ipynb"]
)
def test_other_names_are_still_refused(course, name):
    with pytest.raises(NotAChapterNotebook, match="tiny.ipynb"):
        course.chapter_of(Path(name))


def test_a_broken_notebook_file_is_refused_readably(course, tmp_path):
    broken = tmp_path / f"{SLUG}.ipynb"
    broken.write_text("{ not json")
    with pytest.raises(NotAChapterNotebook, match="cannot be read as a notebook"):
        check_notebook(broken, course, progress=False)


def test_report_lists_every_graded_cell_and_the_model_answers(course):
    report = check_notebook(course.exercise_notebook(SLUG), course, progress=False)
    text = format_report(report, model_answers(course, SLUG))
    assert "test_add" in text and "0 / 2" in text and "not attempted" in text
    assert "Autograded: 0 / 3 points. Written answers: 2 points" in text
    assert "By definition." in text and "```" not in text


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograder", *args], capture_output=True, text=True, timeout=300
    )


def test_cli_exit_codes_say_full_marks_missing_points_or_bad_input(course, tmp_path):
    good = learner_notebook(course.exercise_notebook(SLUG), tmp_path / "good", CORRECT)
    assert (
        run_cli("--course", str(course.root), "check", "--no-progress", str(good)).returncode == 0
    )
    untouched = run_cli(
        "--course", str(course.root), "check", "--no-progress", str(course.exercise_notebook(SLUG))
    )
    assert untouched.returncode == 1 and "not attempted" in untouched.stdout
    missing = run_cli("--course", str(course.root), "check", str(tmp_path / "nope.ipynb"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


@pytest.fixture(scope="module")
def course_with_experiment(tmp_path_factory) -> Course:
    course = Course(make_tiny_course(tmp_path_factory.mktemp("course"), with_experiment=True))
    release(course)
    return course


def test_code_that_passes_its_tests_but_breaks_the_effect_check_is_reported(
    course_with_experiment, tmp_path
):
    # Passes add(1, 2) == 3 and the hidden add(-1, 1) == 0, but the experiment's add(2, 2) is 0.
    subtly_wrong = {**CORRECT, "add": "def add(a, b):\n    return 0 if a == 2 else a + b"}
    notebook = learner_notebook(
        course_with_experiment.exercise_notebook(SLUG), tmp_path, subtly_wrong
    )
    report = check_notebook(notebook, course_with_experiment, progress=False)
    assert report.full_marks and not report.all_good
    assert report.experiment.effect_not_shown
    assert report.experiment.message == "add(2, 2) gave 0, expected 4"
    assert report.experiment.involved == ("add",)
    assert report.effect_shown is False
    text = format_report(report)
    assert "The tests pass, but the chapter's experiment does not show its effect" in text
    assert "Most likely involved: add." in text

    proc = run_cli(
        "--course", str(course_with_experiment.root), "check", "--no-progress", str(notebook)
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "add(2, 2) gave 0, expected 4" in proc.stdout
    assert "without encryption" not in proc.stdout + proc.stderr, "kernel noise reached the learner"


def test_an_experiment_that_crashes_on_code_that_passes_its_tests_is_reported(
    course_with_experiment, tmp_path
):
    crashes = {
        **CORRECT,
        "add": "def add(a, b):\n    if a == 2:\n        raise OverflowError('two')\n"
        "    return a + b",
    }
    notebook = learner_notebook(course_with_experiment.exercise_notebook(SLUG), tmp_path, crashes)
    report = check_notebook(notebook, course_with_experiment, progress=False)
    assert report.full_marks and not report.all_good
    assert not report.experiment.effect_not_shown
    assert report.experiment.message == "OverflowError: two"
    assert report.effect_shown is False
    assert "stopped with an error in code cell" in format_report(report)


def test_correct_code_shows_the_effect_and_an_untouched_notebook_reports_only_its_tests(
    course_with_experiment, tmp_path
):
    good = learner_notebook(course_with_experiment.exercise_notebook(SLUG), tmp_path, CORRECT)
    report = check_notebook(good, course_with_experiment, progress=False)
    assert report.all_good and report.experiment is None and report.effect_shown is True
    untouched = check_notebook(
        course_with_experiment.exercise_notebook(SLUG), course_with_experiment, progress=False
    )
    assert untouched.experiment is None, "a crash caused by unfinished exercises is not news"
    assert untouched.effect_shown is False, "but the experiment did not run: no effect shown"


def test_a_chapter_without_an_effect_check_claims_no_effect(course, tmp_path):
    notebook = learner_notebook(course.exercise_notebook(SLUG), tmp_path, CORRECT)
    assert check_notebook(notebook, course, progress=False).effect_shown is None


def test_model_answers_show_citations_as_authors_and_years_not_markup():
    answers = model_answers(Course.default(), "cirl-off-switch")
    text = "\n".join(answers.values())
    assert "{cite:" not in text and "`" not in text.replace("```", "")
    assert "(Armstrong and Mindermann 2018)" in text


@pytest.fixture(scope="module")
def writing_course(tmp_path_factory) -> Course:
    """The tiny writing chapter: two written assignments, nothing autograded."""
    course = Course(make_tiny_course(tmp_path_factory.mktemp("course"), writing=True))
    release(course)
    return course


def test_a_writing_chapter_is_checked_as_written_answers_with_0_of_0_points(
    writing_course, tmp_path
):
    """Catches a writing chapter that crashes the check, reports points it does not have, or
    passes with its answers still empty."""
    untouched = check_notebook(
        writing_course.exercise_notebook(SLUG), writing_course, progress=False
    )
    assert statuses(untouched) == {
        "essay_why": (BY_A_PERSON, "not written yet"),
        "essay_how": (BY_A_PERSON, "not written yet"),
    }
    assert untouched.kind == WRITING and untouched.effect_shown is None
    assert (untouched.auto_possible, untouched.manual_possible) == (0, 5)
    assert not untouched.all_good, "answers still empty: the check must not say all is done"
    text = format_report(untouched)
    assert "Autograded: 0 / 0 points. Written answers: 5 points, graded by a person" in text
    assert "2 of 2 still empty" in text and "This is a writing chapter" in text

    written = learner_notebook(writing_course.exercise_notebook(SLUG), tmp_path, WRITTEN_ANSWERS)
    proc = run_cli("--course", str(writing_course.root), "check", "--no-progress", str(written))
    assert proc.returncode == 0 and "all written" in proc.stdout, proc.stdout + proc.stderr
    proc = run_cli(
        "--course", str(writing_course.root), "check", "--no-progress",
        str(writing_course.exercise_notebook(SLUG)),
    )  # fmt: skip
    assert proc.returncode == 1 and "graded by a person: not written yet" in proc.stdout


def test_a_chapter_of_an_unknown_kind_is_refused_with_the_kinds_to_write(tmp_path):
    root = make_tiny_course(tmp_path, writing=True)
    source = root / "solutions" / SLUG / f"{SLUG}.ipynb"
    source.write_text(source.read_text().replace('"kind": "writing"', '"kind": "essay"'))
    proc = run_cli("--course", str(root), "check", str(source))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith("error: solutions/tiny/tiny.ipynb") and "'writing'" in proc.stderr
