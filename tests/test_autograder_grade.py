"""Specification of cohort grading (`python -m autograder grade`): the same scores as plain
`nbgrader autograde`, in nbgrader's own gradebook; every submission ends with an outcome and a
reason; re-runs are idempotent; local processes and a real Dask cluster both work.

Slow: every submission runs in a real kernel inside a real bubblewrap sandbox."""

from __future__ import annotations

import copy
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
from browser_helpers import free_port
from nbgrader.api import Gradebook
from tiny_course import (
    CORRECT_ANSWERS,
    PARTIAL,
    SLUG,
    inbox_with,
    learner_notebook,
    nbgrader,
    released_tiny_course,
)

from autograder.course import Course
from autograder.grade import grade_chapter
from autograder.sandbox import Limits
from autograder.submissions import collect

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def scores(root: Path, db_url: str | None = None) -> dict[tuple[str, str], float | None]:
    """(student, grade cell) -> auto score, read from the course's (or another) gradebook."""
    with Gradebook(db_url or f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {
            (sub.student.id, grade.name): grade.auto_score
            for sub in gb.find_assignment(SLUG).submissions
            for grade in sub.notebooks[0].grades
        }


def test_scores_match_plain_nbgrader_autograde(tmp_path):
    answers = {"ada": CORRECT_ANSWERS, "bob": {}, "cy": PARTIAL}
    plain = tmp_path / "plain"
    plain.mkdir()
    released = released_tiny_course(plain)
    inbox = inbox_with(tmp_path / "inbox", released, answers)
    for student in answers:
        target = plain / "submitted" / student / SLUG
        target.mkdir(parents=True)
        shutil.copyfile(inbox / f"{student}.ipynb", target / f"{SLUG}.ipynb")
    nbgrader(plain, "autograde", SLUG)

    ours = tmp_path / "ours"
    ours.mkdir()
    released_tiny_course(ours)
    with ProcessPoolExecutor(2) as pool:
        outcomes = grade_chapter(
            Course(ours), SLUG, collect(inbox, SLUG).submissions, pool, progress=False
        )
    assert {s: o.status for s, o in outcomes.items()} == dict.fromkeys(answers, "graded")
    expected = scores(plain)
    assert expected[("ada", "test_add")] == 2 and expected[("cy", "test_pause")] == 0
    assert scores(ours) == expected, "the same submissions must get the same scores"
    autograded = ours / "autograded" / "ada" / SLUG / f"{SLUG}.ipynb"
    assert autograded.is_file(), "the autograded notebook is where formgrader looks for it"
    feedback = (ours / "feedback" / "cy" / SLUG / f"{SLUG}.html").read_text()
    assert "add(1, 2) must be 3" in feedback, "the feedback shows the visible tests"
    assert "hidden: add(-1, 1)" not in feedback, "feedback must not reveal hidden tests"
    with open(ours / "grading" / SLUG / "grades.csv") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert {s: float(r["auto_score"]) for s, r in rows.items()} == {"ada": 3, "bob": 0, "cy": 2}
    nbgrader(ours, "export")  # plain nbgrader still reads the gradebook


FAILURES = {
    "sleeper": {"add": "import time\ntime.sleep(600)\n" + CORRECT_ANSWERS["add"]},
    "hog": {"add": "blob = bytearray(3 * 1024**3)\n" + CORRECT_ANSWERS["add"]},
    "crasher": {"add": "import os\nos._exit(1)"},
    "snoop": {
        "add": "import os\nassert not os.path.exists("
        + repr(str(Path(__file__).resolve().parents[1] / "solutions"))
        + ")\n"
        + CORRECT_ANSWERS["add"]
    },
    "good": CORRECT_ANSWERS,
}


def test_every_submission_gets_an_outcome_with_a_reason_and_the_batch_goes_on(tmp_path):
    released = released_tiny_course(tmp_path)
    inbox = inbox_with(tmp_path / "inbox", released, FAILURES)
    (inbox / "mangled.ipynb").write_text('{"cells": [')
    (inbox / f"{SLUG}.ipynb").write_text("{}")  # whose is it? reported, not guessed
    found = collect(inbox, SLUG)
    assert [p.origin for p in found.problems] == [f"{SLUG}.ipynb"]
    limits = Limits(wall_seconds=40, memory_bytes=2 * 1024**3)
    with ProcessPoolExecutor(2) as pool:
        outcomes = grade_chapter(
            Course(tmp_path), SLUG, found.submissions, pool, limits=limits, progress=False
        )
    status = {s: o.status for s, o in outcomes.items()}
    assert status == {
        "sleeper": "timeout",
        "hog": "memory",
        "crasher": "kernel died",
        "snoop": "graded",
        "good": "graded",
        "mangled": "rejected",
    }, {s: (o.status, o.reason) for s, o in outcomes.items()}
    assert all(o.reason for o in outcomes.values())
    got = scores(tmp_path)
    assert got[("good", "test_add")] == 2 and got[("snoop", "test_add")] == 2, (
        "snoop's assertion that solutions/ is invisible must have passed"
    )
    assert got[("hog", "test_add")] == 0, "a cell that ran out of memory fails its tests"
    assert "memory" in outcomes["hog"].reason
    recorded = json.loads((tmp_path / "grading" / SLUG / "outcomes.json").read_text())
    assert {r["student"] for r in recorded} == set(FAILURES) | {"mangled"}


def test_a_rerun_grades_only_what_changed(tmp_path):
    released = released_tiny_course(tmp_path)
    inbox = inbox_with(tmp_path / "inbox", released, {"ada": CORRECT_ANSWERS, "bob": {}})
    course = Course(tmp_path)
    with ProcessPoolExecutor(2) as pool:
        first = grade_chapter(course, SLUG, collect(inbox, SLUG).submissions, pool, progress=False)
        before = scores(tmp_path)
        ada_graded = tmp_path / "autograded" / "ada" / SLUG / f"{SLUG}.ipynb"
        ada_written = ada_graded.stat().st_mtime_ns
        learner_notebook(released, tmp_path / "bob-v2", PARTIAL).replace(inbox / "bob.ipynb")
        second = grade_chapter(course, SLUG, collect(inbox, SLUG).submissions, pool, progress=False)
    assert second["ada"] == first["ada"], "ada's unchanged notebook is not graded again"
    assert ada_graded.stat().st_mtime_ns == ada_written, "nor is her graded notebook rewritten"
    assert second["bob"].submission_sha256 != first["bob"].submission_sha256
    after = scores(tmp_path)
    assert after[("ada", "test_add")] == before[("ada", "test_add")] == 2
    assert (before[("bob", "test_add")], after[("bob", "test_add")]) == (0, 2)


def test_grading_on_a_dask_cluster_over_loopback(tmp_path):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [
        subprocess.Popen(
            [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
             "--dashboard-address", ":0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    ]  # fmt: skip
    try:
        for _ in range(2):
            procs.append(
                subprocess.Popen(
                    [str(BIN / "dask"), "worker", address, "--nthreads", "1",
                     "--nworkers", "1", "--no-dashboard"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
        released = released_tiny_course(tmp_path)
        inbox = inbox_with(tmp_path / "inbox", released, {"ada": CORRECT_ANSWERS, "cy": PARTIAL})
        proc = subprocess.run(
            [sys.executable, "-m", "autograder", "--course", str(tmp_path), "grade", SLUG,
             str(inbox), "--scheduler", address, "--no-progress"],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "2 graded, 0 not graded" in proc.stdout
        got = scores(tmp_path)
        assert got[("ada", "test_pause")] == 1 and got[("cy", "test_pause")] == 0
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)


def edited(released: Path, folder: Path, student: str, change) -> None:
    """A correct notebook for ``student``, then ``change(nb)`` applied to it."""
    import nbformat

    path = learner_notebook(released, folder / "tmp", CORRECT_ANSWERS)
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, folder / f"{student}.ipynb")
    shutil.rmtree(folder / "tmp")


def by_id(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def test_tampered_notebooks_are_repaired_from_the_source_before_grading(tmp_path):
    released = released_tiny_course(tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()

    def weaken_test(nb):  # "tests" that always pass, and a wrong answer
        by_id(nb, "test_add").source = "pass"
        by_id(nb, "add").source = "def add(a, b):\n    return 0"

    def delete_test(nb):
        nb.cells.remove(by_id(nb, "test_add"))
        by_id(nb, "add").source = "def add(a, b):\n    return 0"

    def duplicate_cell(nb):
        nb.cells.insert(1, copy.deepcopy(nb.cells[1]))

    def flood_output(nb):
        by_id(nb, "pause").source = CORRECT_ANSWERS["pause"] + "\nprint('x' * 5_000_000)"

    def retype_cell(nb):
        by_id(nb, "add").cell_type = "markdown"
        by_id(nb, "add").pop("outputs", None)
        by_id(nb, "add").pop("execution_count", None)

    for student, change in [
        ("weakener", weaken_test),
        ("deleter", delete_test),
        ("duplicator", duplicate_cell),
        ("flooder", flood_output),
        ("retyper", retype_cell),
    ]:
        edited(released, inbox, student, change)
    with ProcessPoolExecutor(2) as pool:
        outcomes = grade_chapter(
            Course(tmp_path), SLUG, collect(inbox, SLUG).submissions, pool, progress=False
        )
    duplicated = outcomes.pop("duplicator")
    assert duplicated.status == "rejected" and "duplicated" in duplicated.reason, duplicated
    assert all(o.status == "graded" for o in outcomes.values()), outcomes
    got = scores(tmp_path)
    assert got[("weakener", "test_add")] == 0, "an edited test cell is replaced by the real one"
    assert got[("deleter", "test_add")] == 0, "a deleted test cell is restored and run"
    assert got[("flooder", "test_pause")] == 1
    assert got[("retyper", "test_add")] == 2, "nbgrader restores the cell type from the source"
    autograded = tmp_path / "autograded" / "flooder" / SLUG / f"{SLUG}.ipynb"
    assert autograded.stat().st_size < 1_000_000, "a 5 MB output must be cut"
    assert "more characters cut by the grader" in autograded.read_text()


def test_an_interrupt_mid_batch_keeps_what_is_graded_and_a_rerun_finishes(tmp_path):
    # s0 runs through; s1 to s3 wait at their first cell until the gate file exists, so the
    # interrupt always lands while s1 runs, however fast or slow the machine. (Unisolated: a
    # sandboxed notebook could not see the gate.)
    gate = tmp_path / "gate"
    wait = f"import os, time\nwhile not os.path.exists({str(gate)!r}):\n    time.sleep(0.05)\n"
    blocked = {**CORRECT_ANSWERS, "add": wait + CORRECT_ANSWERS["add"]}
    released = released_tiny_course(tmp_path)
    with open(tmp_path / "nbgrader_config.py", "a") as config:  # a grader that kept s1 running
        config.write("\nc.Execute.timeout = 3600\n")  # would now take an hour, not 3 minutes
    students = {"s0": CORRECT_ANSWERS, "s1": blocked, "s2": blocked, "s3": blocked}
    inbox = inbox_with(tmp_path / "inbox", released, students)
    command = [sys.executable, "-m", "autograder", "--course", str(tmp_path), "grade", SLUG,
               str(inbox), "--jobs", "1", "--no-progress", "--no-isolation"]  # fmt: skip
    outcomes_file = tmp_path / "grading" / SLUG / "outcomes.json"
    first = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    while not (outcomes_file.is_file() and json.loads(outcomes_file.read_text())):
        assert first.poll() is None, f"the grader stopped early:\n{first.communicate()[0]}"
        time.sleep(0.2)  # s0 is scored; s1 now waits at the gate until the interrupt
    os.killpg(first.pid, signal.SIGINT)
    try:  # stopping takes seconds; s1 left running would wait at the gate for an hour
        output, _ = first.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        os.killpg(first.pid, signal.SIGKILL)
        pytest.fail("the grader did not stop the notebook running when it was interrupted")
    assert first.returncode == 130, output
    assert "run the same command again" in output
    done = {r["student"] for r in json.loads(outcomes_file.read_text())}
    assert "s0" in done and not done & {"s2", "s3"}, f"the interrupt came during s1: {done}"
    assert all(scores(tmp_path)[(s, "test_add")] == 2 for s in done), "graded ones are kept"
    assert all((tmp_path / "feedback" / s / SLUG / f"{SLUG}.html").is_file() for s in done), (
        "the feedback of every notebook scored before the interrupt is written"
    )

    gate.touch()
    second = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "4 graded, 0 not graded" in second.stdout
    assert {s: scores(tmp_path)[(s, "test_add")] for s in students} == dict.fromkeys(students, 2)


def test_renamed_notebooks_and_hidden_errors_get_their_own_outcomes(tmp_path):
    released = released_tiny_course(tmp_path)
    submitted = tmp_path / "submitted"
    learner_notebook(released, submitted / "ada" / SLUG, CORRECT_ANSWERS)
    renamed = learner_notebook(released, submitted / "carol" / SLUG, CORRECT_ANSWERS)
    renamed.rename(renamed.with_name("my-answers.ipynb"))
    hide_errors = "get_ipython().showtraceback = lambda *args, **kwargs: None\n"
    wrong = {"add": hide_errors + "def add(a, b):\n    return 0", "pause": CORRECT_ANSWERS["pause"]}
    learner_notebook(released, submitted / "mallory" / SLUG, wrong)
    found = collect(submitted, SLUG)
    with ProcessPoolExecutor(2) as pool:
        outcomes = grade_chapter(
            Course(tmp_path), SLUG, found.submissions, pool, problems=found.problems,
            progress=False,
        )  # fmt: skip
    status = {s: o.status for s, o in outcomes.items()}
    assert status == {"ada": "graded", "carol": "renamed", "mallory": "tampered"}, outcomes
    assert "my-answers.ipynb" in outcomes["carol"].reason
    assert "hid the error" in outcomes["mallory"].reason
    got = scores(tmp_path)
    assert got[("mallory", "test_add")] == 0, "a failing test whose error was hidden still fails"
    assert got[("mallory", "test_pause")] == 1 and got[("ada", "test_add")] == 2
    with open(tmp_path / "grading" / SLUG / "grades.csv") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert (rows["carol"]["status"], rows["carol"]["auto_score"]) == ("renamed", "")


def test_a_failed_effect_check_is_flagged_in_the_reason_but_the_score_stays_nbgraders(tmp_path):
    subtly_wrong = {**CORRECT_ANSWERS, "add": "def add(a, b):\n    return 0 if a == 2 else a + b"}
    (tmp_path / "course").mkdir()
    released = released_tiny_course(tmp_path / "course", with_experiment=True)
    inbox = inbox_with(tmp_path / "inbox", released, {"ada": CORRECT_ANSWERS, "eve": subtly_wrong})
    with ProcessPoolExecutor(2) as pool:
        outcomes = grade_chapter(
            Course(tmp_path / "course"),
            SLUG,
            collect(inbox, SLUG).submissions,
            pool,
            progress=False,
        )
    assert outcomes["eve"].status == "graded"
    assert "does not show the chapter's effect (add(2, 2) gave 0, expected 4)" in (
        outcomes["eve"].reason
    )
    assert "effect" not in outcomes["ada"].reason
    graded = scores(tmp_path / "course")
    assert graded[("eve", "test_add")] == graded[("ada", "test_add")] == 2


class CountingExecutor(ThreadPoolExecutor):
    """Threads are enough here (each execution is a subprocess); counts what it is given."""

    submitted = 0

    def submit(self, *args, **kwargs):
        self.submitted += 1
        return super().submit(*args, **kwargs)


def test_a_rerun_skips_only_what_the_gradebook_it_writes_to_already_holds(tmp_path):
    released = released_tiny_course(tmp_path)
    inbox = inbox_with(tmp_path / "inbox", released, {"ada": CORRECT_ANSWERS, "cy": PARTIAL})
    found = collect(inbox, SLUG)
    course = Course(tmp_path)
    other_db = f"sqlite:///{tmp_path / 'postgres-stand-in.db'}"

    def grade(**kwargs) -> int:
        with CountingExecutor(2) as pool:
            outcomes = grade_chapter(
                course, SLUG, found.submissions, pool, progress=False, **kwargs
            )
        assert {o.status for o in outcomes.values()} == {"graded"}, outcomes
        return pool.submitted

    assert grade() == 2
    assert grade() == 0, "unchanged submissions already in this gradebook are not run again"
    assert grade(db_url=other_db) == 2, "a second gradebook must receive every submission"
    assert scores(tmp_path, other_db) == scores(tmp_path), "the same scores in both gradebooks"
    assert grade(db_url=other_db) == 0
    (tmp_path / "gradebook.db").unlink()  # a fresh gradebook at the same place
    assert grade() == 2
    assert scores(tmp_path)[("ada", "test_add")] == 2


def test_a_cell_past_its_time_limit_and_a_file_of_random_bytes_are_named_as_such(tmp_path):
    released = released_tiny_course(tmp_path)
    with open(tmp_path / "nbgrader_config.py", "a") as config:
        config.write("\nc.Execute.timeout = 5\n")
    stuck = {
        **CORRECT_ANSWERS,
        "pause": "import time\ntime.sleep(600)\n" + CORRECT_ANSWERS["pause"],
    }
    inbox = inbox_with(tmp_path / "inbox", released, {"sam": stuck})
    (inbox / "zed.ipynb").write_bytes(bytes(range(256)) * 8)
    with ProcessPoolExecutor(2) as pool:
        outcomes = grade_chapter(
            Course(tmp_path), SLUG, collect(inbox, SLUG).submissions, pool,
            limits=Limits(wall_seconds=300), progress=False,
        )  # fmt: skip
    sam = outcomes["sam"]
    assert sam.status == "cell timeout", sam
    assert "cell 'pause'" in sam.reason and "5 s limit per cell" in sam.reason, sam.reason
    got = scores(tmp_path)
    assert got[("sam", "test_add")] == 2 and got[("sam", "test_pause")] == 0, "graded as it ran"
    zed = outcomes["zed"]
    assert zed.status == "rejected" and "not even text" in zed.reason, zed
    assert "UnicodeDecodeError" not in zed.reason and "0x" not in zed.reason


def test_a_rerun_writes_feedback_left_missing_or_stale_without_running_anything_again(tmp_path):
    # Catches: feedback lost for good when a run is killed after scoring a notebook but before
    # its feedback is written (feedback is rendered in a process of its own, after the score).
    released = released_tiny_course(tmp_path)
    inbox = inbox_with(tmp_path / "inbox", released, {"ada": CORRECT_ANSWERS, "cy": PARTIAL})
    found = collect(inbox, SLUG)
    course = Course(tmp_path)
    with CountingExecutor(2) as pool:
        grade_chapter(course, SLUG, found.submissions, pool, progress=False)
    feedback = {s: tmp_path / "feedback" / s / SLUG / f"{SLUG}.html" for s in ("ada", "cy")}
    feedback["ada"].unlink()  # killed before ada's feedback was written
    os.utime(feedback["cy"], (0, 0))  # cy re-graded, killed before the new feedback
    with CountingExecutor(2) as pool:
        outcomes = grade_chapter(course, SLUG, found.submissions, pool, progress=False)
    assert pool.submitted == 0, "nothing is executed again"
    assert feedback["ada"].is_file() and feedback["cy"].stat().st_mtime > 0
    assert "add(1, 2) must be 3" in feedback["cy"].read_text()
    assert all("feedback" not in o.reason for o in outcomes.values()), outcomes


def test_feedback_that_cannot_be_written_is_named_in_the_reason_with_how_to_write_it(tmp_path):
    # Catches: a feedback render that fails silently, so a student never receives one.
    released = released_tiny_course(tmp_path)
    with open(tmp_path / "nbgrader_config.py", "a") as config:
        config.write('\nc.GenerateFeedback.preprocessors = ["nbgrader.preprocessors.NoSuchStep"]\n')
    inbox = inbox_with(tmp_path / "inbox", released, {"ada": CORRECT_ANSWERS})
    found = collect(inbox, SLUG)
    for _ in range(2):  # the second run tries again, and says so once
        with CountingExecutor(2) as pool:
            outcomes = grade_chapter(
                Course(tmp_path), SLUG, found.submissions, pool, progress=False
            )
        ada = outcomes["ada"]
        assert ada.status == "graded" and scores(tmp_path)[("ada", "test_add")] == 2
        assert ada.reason.count("its feedback was not written") == 1, ada.reason
        assert f"nbgrader generate_feedback {SLUG} --student ada" in ada.reason, ada.reason
