"""Specification of autograder.submissions: every layout instructors receive notebooks in, and
a clear report for every file that cannot be tied to exactly one student."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from autograder.submissions import collect, student_from_filename

SLUG = "memorization"


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")
    return path


@pytest.mark.parametrize(
    ("filename", "student"),
    [
        ("alice.ipynb", "alice"),
        ("alice_memorization.ipynb", "alice"),
        ("bob-memorization.ipynb", "bob"),
        ("memorization_carol.ipynb", "carol"),
        ("d.smith@uni.edu.ipynb", "d.smith@uni.edu"),
        ("memorization.ipynb", None),  # the chapter's own name says nothing about the student
        ("Jane Doe_123_assignsubmission.ipynb", None),  # spaces: not an id we can trust
        ("notes.txt", None),
    ],
)
def test_student_ids_come_from_file_names_or_not_at_all(filename, student):
    assert student_from_filename(filename, SLUG) == student


def test_nbgrader_submitted_layout(tmp_path):
    submitted = tmp_path / "submitted"
    touch(submitted / "alice" / SLUG / f"{SLUG}.ipynb")
    touch(submitted / "bob" / SLUG / f"{SLUG}.ipynb")
    touch(submitted / "carol" / SLUG / "memorisation.ipynb")  # renamed notebook
    touch(submitted / "dave" / "other-chapter" / "other-chapter.ipynb")  # not this chapter
    found = collect(tmp_path, SLUG)  # the course folder holding submitted/ works too
    assert found.students == ["alice", "bob"]
    [renamed] = found.problems
    assert (renamed.origin, renamed.student) == (f"carol/{SLUG}", "carol")
    assert renamed.status == "renamed"
    assert f"no {SLUG}.ipynb, found memorisation.ipynb" in renamed.reason
    assert collect(submitted, SLUG).students == ["alice", "bob"]


def test_folder_of_notebooks_named_by_student(tmp_path):
    touch(tmp_path / "alice_memorization.ipynb")
    touch(tmp_path / "bob.ipynb")
    touch(tmp_path / "memorization.ipynb")
    touch(tmp_path / ".ipynb_checkpoints" / "bob-checkpoint.ipynb")
    found = collect(tmp_path, SLUG)
    assert found.students == ["alice", "bob"]
    assert found.submissions[0].notebook == tmp_path / "alice_memorization.ipynb"
    assert len(found.problems) == 1 and found.problems[0].origin == "memorization.ipynb"
    assert "cannot tell whose notebook" in found.problems[0].reason
    assert found.problems[0].student is None, "a student is never guessed"


def test_two_notebooks_for_one_student_are_reported_not_guessed(tmp_path):
    touch(tmp_path / "alice.ipynb")
    touch(tmp_path / "late" / "alice_memorization.ipynb")
    found = collect(tmp_path, SLUG)
    assert found.students == []
    [both] = found.problems
    assert "2 notebooks for student 'alice'" in both.reason
    assert (both.student, both.status) == ("alice", "duplicate")


def test_a_zip_from_a_learning_management_system(tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("submissions/alice_memorization.ipynb", "{}")
        zf.writestr("submissions/bob_memorization.ipynb", "{}")
        zf.writestr("__MACOSX/._alice_memorization.ipynb", "")
        zf.writestr("../escape.ipynb", "{}")
    target = tmp_path / "unpacked"
    target.mkdir()
    found = collect(archive, SLUG, extract_to=target)
    assert found.students == ["alice", "bob"]
    assert all(s.notebook.is_relative_to(target) for s in found.submissions)
    assert [p.origin for p in found.problems] == ["../escape.ipynb"]
    assert not (tmp_path / "escape.ipynb").exists()


def test_bad_paths_say_what_to_pass(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        collect(tmp_path / "missing", SLUG)
    text = tmp_path / "grades.txt"
    text.write_text("x")
    with pytest.raises(ValueError, match="neither a folder nor a zip"):
        collect(text, SLUG)
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("alice.ipynb", "{}")
    with pytest.raises(ValueError, match="extract_to"):
        collect(archive, SLUG)
