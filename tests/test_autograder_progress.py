"""A self-study learner's progress: ``check`` records its result outside the course and the
learner's folder, and ``progress`` shows the latest check of every chapter in book order.

Runs the real command line on a course of two tiny chapters whose ``_toc.yml`` lists them out of
alphabetical order, so that book order is what is tested.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import pytest
from tiny_course import CORRECT_ANSWERS, PARTIAL, SLUG, learner_notebook, make_tiny_course

from autograder.__main__ import main
from autograder.check import CellResult, CheckReport, ExperimentProblem
from autograder.course import WRITING, Course
from autograder.release import release
from autograder.self_check_log import (
    DATA_DIR_VARIABLE,
    EFFECT_NOT_SHOWN,
    EFFECT_SHOWN,
    EXPERIMENT_STOPPED,
    NO_EFFECT_CHECK,
    WRITTEN_ONLY,
    CheckRecord,
)

OTHER = "other"  # a second chapter, first in the book
TOC = f"""format: jb-book
root: intro
parts:
  - caption: Part one
    chapters:
      - file: part1
  - numbered: true
    chapters:
      - file: solutions/{OTHER}/{OTHER}
      - file: solutions/{SLUG}/{SLUG}
"""
WRITTEN = {"why": "Because counting one then two more things gives three."}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    root = make_tiny_course(tmp_path_factory.mktemp("course"))
    other = nbformat.read(root / "solutions" / SLUG / f"{SLUG}.ipynb", as_version=4)
    other.cells[0].source = "# Another tiny chapter"
    (root / "solutions" / OTHER).mkdir()
    nbformat.write(other, root / "solutions" / OTHER / f"{OTHER}.ipynb")
    (root / "_toc.yml").write_text(TOC)
    course = Course(root)
    release(course)
    return course


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "user-data"
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(folder))
    return folder


def run(course: Course, *args: str | Path) -> int:
    return main(["--course", str(course.root), *map(str, args)])


def progress_lines(course: Course, capsys) -> list[str]:
    capsys.readouterr()
    assert run(course, "progress") == 0
    return capsys.readouterr().out.splitlines()


def row_of(lines: list[str], title: str) -> str:
    found = [line for line in lines if f"  {title}  " in line or line.endswith(f"  {title}")]
    assert len(found) == 1, f"expected one row for {title!r} in:\n" + "\n".join(lines)
    return found[0]


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and a hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_before_any_check_every_chapter_is_listed_not_started_in_book_order(
    course, data_dir, capsys
):
    """Catches chapters listed alphabetically, or a chapter missing from the table."""
    lines = progress_lines(course, capsys)
    other = row_of(lines, "Another tiny chapter")
    tiny = row_of(lines, "Tiny chapter")
    assert lines.index(other) < lines.index(tiny), "rows must follow _toc.yml, not the alphabet"
    assert other.split()[0] == "1" and tiny.split()[0] == "2", "rows carry the book's numbers"
    assert other.endswith("not started") and tiny.endswith("not started")
    assert any("No chapter checked yet" in line for line in lines)
    assert not data_dir.exists(), "progress alone must write nothing"


def test_a_check_of_a_copied_notebook_is_recorded_outside_the_course_and_its_folder(
    course, data_dir, tmp_path, capsys
):
    """Catches a check that writes into the repository or beside the learner's notebook, or a
    record that does not reach ``progress``."""
    notebook = learner_notebook(course.exercise_notebook(SLUG), tmp_path / "elsewhere", PARTIAL)
    course_before, folder_before = fingerprint(course.root), fingerprint(notebook.parent)

    assert run(course, "check", "--no-progress", notebook) == 1  # pause is missing
    assert fingerprint(course.root) == course_before
    assert fingerprint(notebook.parent) == folder_before
    assert sorted(p.name for p in data_dir.iterdir()) == [f"{SLUG}.json"]

    tiny = row_of(progress_lines(course, capsys), "Tiny chapter")
    assert "2 / 3" in tiny, f"add earns 2 of the 3 points: {tiny}"
    assert NO_EFFECT_CHECK in tiny, f"this tiny chapter has no effect check: {tiny}"
    assert "1 of 1 empty" in tiny, f"the written answer was left as released: {tiny}"
    # The record's own time, not the clock's: a check just before midnight shows yesterday.
    recorded = CheckRecord.from_json((data_dir / f"{SLUG}.json").read_text()).checked_at
    shown = recorded.astimezone().strftime("%Y-%m-%d %H:%M")
    assert shown in tiny, f"the check's date and time {shown} are missing: {tiny}"
    assert row_of(progress_lines(course, capsys), "Another tiny chapter").endswith("not started")


def test_the_latest_check_replaces_the_earlier_one(course, data_dir, tmp_path, capsys):
    """Catches records that pile up or keep the first result instead of the latest."""
    folder = tmp_path / "work"
    run(
        course,
        "check",
        "--no-progress",
        learner_notebook(course.exercise_notebook(SLUG), folder, {}),
    )
    finished = learner_notebook(course.exercise_notebook(SLUG), folder, CORRECT_ANSWERS | WRITTEN)
    assert run(course, "check", "--no-progress", finished) == 0

    tiny = row_of(progress_lines(course, capsys), "Tiny chapter")
    assert "3 / 3" in tiny and "all written" in tiny, tiny
    assert any(
        line.startswith("Checked 1 of 2 chapters: 3 / 3") for line in progress_lines(course, capsys)
    )
    assert len(list(data_dir.iterdir())) == 1


def test_the_check_report_counts_the_written_answers_still_empty(
    course, data_dir, tmp_path, capsys
):
    """Catches a placeholder answer counted as written (or a written one as empty)."""
    empty = learner_notebook(course.exercise_notebook(SLUG), tmp_path / "a", CORRECT_ANSWERS)
    run(course, "check", "--no-progress", empty)
    out = capsys.readouterr().out
    assert "graded by a person: not written yet" in out
    assert "Written answers: 2 points, graded by a person; 1 of 1 still empty." in out

    written = learner_notebook(course.exercise_notebook(SLUG), tmp_path / "b", WRITTEN)
    run(course, "check", "--no-progress", written)
    out = capsys.readouterr().out
    assert "not written yet" not in out and "graded by a person; all written." in out


def test_a_damaged_record_is_named_and_the_rest_still_shown(course, data_dir, tmp_path, capsys):
    """Catches ``progress`` crashing on one unreadable file and losing the whole table."""
    data_dir.mkdir()
    (data_dir / f"{OTHER}.json").write_text("{not json")
    notebook = learner_notebook(course.exercise_notebook(SLUG), tmp_path / "w", CORRECT_ANSWERS)
    run(course, "check", "--no-progress", notebook)

    lines = progress_lines(course, capsys)
    assert "3 / 3" in row_of(lines, "Tiny chapter")
    assert row_of(lines, "Another tiny chapter").endswith("not started")
    warning = [line for line in lines if line.startswith("warning: skipped")]
    assert len(warning) == 1 and f"{OTHER}.json" in warning[0], lines


def test_an_unwritable_data_folder_costs_the_record_not_the_check(
    course, tmp_path, monkeypatch, capsys
):
    """Catches a check that fails, or changes its exit status, because it cannot record."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(blocker / "records"))
    notebook = learner_notebook(course.exercise_notebook(SLUG), tmp_path / "w", CORRECT_ANSWERS)
    assert run(course, "check", "--no-progress", notebook) == 0
    captured = capsys.readouterr()
    assert "Autograded: 3 / 3 points." in captured.out
    assert "warning: this check was not recorded for `progress`" in captured.err


def report(experiment: ExperimentProblem | None, effect_shown: bool | None) -> CheckReport:
    cells = (
        CellResult("test_add", 2, 2, "passed"),
        CellResult("why", None, 1, "graded by a person"),
    )
    return CheckReport(SLUG, cells, experiment, {}, ("why",), effect_shown=effect_shown)


@pytest.mark.parametrize(
    "experiment, shown, said",
    [
        (None, True, EFFECT_SHOWN),
        (ExperimentProblem(True, "seed 0: 0.4 < 0.9", ("add",), 3), False, EFFECT_NOT_SHOWN),
        (ExperimentProblem(False, "ValueError: bad", (), 2), False, EXPERIMENT_STOPPED),
        # a crash the report leaves out because failing tests explain it
        (None, False, EXPERIMENT_STOPPED),
        (None, None, NO_EFFECT_CHECK),
    ],
)
def test_a_record_keeps_what_the_experiment_did_and_survives_a_round_trip(experiment, shown, said):
    """Catches a failed or crashed experiment recorded as showing its effect, or a record that
    does not read back."""
    when = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
    record = CheckRecord.of(report(experiment, shown), Path("x") / f"{SLUG}.ipynb", when)
    assert record.experiment == said
    assert (record.auto_earned, record.auto_possible) == (2, 2)
    assert (record.written_total, record.written_left_empty) == (1, 1)
    assert Path(record.notebook).is_absolute()
    assert CheckRecord.from_json(record.to_json()) == record
    assert json.loads(record.to_json())["checked_at"] == "2026-12-05T09:30:00+00:00"


def test_a_writing_chapter_is_recorded_as_written_only():
    """Catches a writing chapter shown as an experiment without an effect check."""
    cells = (CellResult("essay", None, 10, "graded by a person"),)
    writing = CheckReport(SLUG, cells, None, {}, (), effect_shown=None, kind=WRITING)
    record = CheckRecord.of(writing, Path(f"{SLUG}.ipynb"), datetime(2026, 12, 5, tzinfo=UTC))
    assert record.experiment == WRITTEN_ONLY
    assert (record.auto_possible, record.written_total, record.written_left_empty) == (0, 1, 0)


def test_the_records_default_to_the_users_data_folder(monkeypatch, tmp_path):
    """Catches records written into the working directory when no folder is configured."""
    from autograder.self_check_log import log_dir

    monkeypatch.delenv(DATA_DIR_VARIABLE)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert log_dir() == tmp_path / "xdg" / "alignment-exercises" / "self-checks"


def test_the_self_study_page_shows_check_and_progress_together():
    """Catches the progress command going undocumented where learners read about checking."""
    page = (Path(__file__).resolve().parents[1] / "book" / "self-study.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", page, flags=re.S)
    together = [
        b
        for b in blocks
        if "python -m autograder check exercises/<slug>/<slug>.ipynb" in b
        and "python -m autograder progress" in b
    ]
    assert together, "book/self-study.md: show `check` and `progress` in one bash block"


def test_a_long_title_is_cut_at_a_word_so_that_a_row_fits_a_terminal():
    """Catches a table as wide as its longest title (rows wrapping in an 80-100 column
    terminal)."""
    from autograder.learner_progress import TITLE_WIDTH, shortened

    long = "Reward models from preferences, and overoptimization"
    cut = shortened(long)
    assert len(cut) <= TITLE_WIDTH and cut.endswith("…"), cut
    assert cut == "Reward models from preferences…", "cut after the last whole word that fits"
    assert shortened("Scaling, batch size and emergence") == "Scaling, batch size and…"
    assert shortened("Double descent") == "Double descent"
