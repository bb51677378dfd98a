"""Find the students' notebooks for one chapter, in any of the layouts instructors get them in.

Three layouts are accepted:

- nbgrader's ``submitted/`` folder: ``submitted/<student>/<slug>/<slug>.ipynb``;
- a folder of notebooks named by student, as downloaded from a learning-management system:
  ``<student>.ipynb``, ``<student>_<slug>.ipynb``, ``<student>-<slug>.ipynb`` or
  ``<slug>_<student>.ipynb``;
- a zip file of either.

A file whose name does not map to exactly one student is reported with the reason, never guessed;
so are two files for the same student.
"""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

__all__ = ["Collected", "Problem", "Submission", "collect", "student_from_filename"]

STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]*")


@dataclass(frozen=True)
class Submission:
    """One student's notebook for the chapter.

    Attributes:
        student: the student id, as nbgrader's gradebook will know it.
        notebook: path of the notebook file (inside an extraction folder for a zip).
        origin: where it came from, for messages (e.g. ``"alice_memorization.ipynb"``).
    """

    student: str
    notebook: Path
    origin: str


@dataclass(frozen=True)
class Problem:
    """A file that was not turned into a submission, and why.

    Attributes:
        origin: the file or files, for messages.
        reason: why it cannot be graded, in words for the instructor.
        student: whose it is, when that is known (a renamed notebook in a student's folder, two
            notebooks for one student); the grader then records it as that student's outcome.
        status: the outcome's status for that record, e.g. ``"renamed"``.
    """

    origin: str
    reason: str
    student: str | None = None
    status: str = "unusable"


@dataclass
class Collected:
    """The submissions found, and the files that could not be used."""

    submissions: list[Submission] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def students(self) -> list[str]:
        return [s.student for s in self.submissions]


def student_from_filename(filename: str, slug: str) -> str | None:
    """The student id a notebook's file name gives, or None if it gives none unambiguously.

    ``alice.ipynb``, ``alice_<slug>.ipynb``, ``alice-<slug>.ipynb`` and ``<slug>_alice.ipynb`` all
    give ``"alice"``; the chapter's own name (``<slug>.ipynb``) gives None.
    """
    name = PurePosixPath(filename).name
    if not name.endswith(".ipynb"):
        return None
    stem = name[: -len(".ipynb")]
    candidates = [stem]
    for separator in ("_", "-"):
        if stem.endswith(separator + slug):
            candidates = [stem[: -len(separator + slug)]]
        elif stem.startswith(slug + separator):
            candidates = [stem[len(slug + separator) :]]
    student = candidates[0]
    if student == slug or not STUDENT_ID.fullmatch(student):
        return None
    return student


def _safe_extract(archive: Path, target: Path) -> list[Problem]:
    """Extract a zip into ``target``, skipping members that would land outside it."""
    problems = []
    with zipfile.ZipFile(archive) as zf:
        for member in zf.infolist():
            path = PurePosixPath(member.filename)
            if path.is_absolute() or ".." in path.parts:
                problems.append(Problem(member.filename, "path leaves the archive; skipped"))
                continue
            if "__MACOSX" in path.parts or path.name.startswith("."):
                continue
            zf.extract(member, target)
    return problems


def _from_nbgrader_layout(root: Path, slug: str) -> Collected:
    found = Collected()
    for student_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        origin = f"{student_dir.name}/{slug}"
        notebook = student_dir / slug / f"{slug}.ipynb"
        if not STUDENT_ID.fullmatch(student_dir.name):
            found.problems.append(Problem(origin, "not a valid student id"))
        elif notebook.is_file():
            found.submissions.append(Submission(student_dir.name, notebook, origin))
        elif (student_dir / slug).is_dir():
            others = sorted(p.name for p in (student_dir / slug).glob("*.ipynb"))
            if others:
                reason = (
                    f"the notebook was renamed: no {slug}.ipynb, found {', '.join(others)}; "
                    f"ask for it back under its released name, {slug}.ipynb"
                )
                problem = Problem(origin, reason, student_dir.name, "renamed")
            else:
                reason = "its chapter folder holds no notebook"
                problem = Problem(origin, reason, student_dir.name, "missing")
            found.problems.append(problem)
    return found


def _from_named_files(root: Path, slug: str) -> Collected:
    found = Collected()
    by_student: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(root.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        origin = str(path.relative_to(root))
        student = student_from_filename(path.name, slug)
        if student is None:
            found.problems.append(
                Problem(
                    origin,
                    "cannot tell whose notebook this is: name it <student>.ipynb or "
                    f"<student>_{slug}.ipynb",
                )
            )
        else:
            by_student[student].append(path)
    for student, paths in sorted(by_student.items()):
        if len(paths) > 1:
            names = ", ".join(str(p.relative_to(root)) for p in paths)
            reason = f"{len(paths)} notebooks for student {student!r}; keep one"
            found.problems.append(Problem(names, reason, student, "duplicate"))
        else:
            origin = str(paths[0].relative_to(root))
            found.submissions.append(Submission(student, paths[0], origin))
    return found


def _is_nbgrader_layout(root: Path, slug: str) -> bool:
    return any((d / slug).is_dir() for d in root.iterdir() if d.is_dir())


def collect(path: Path, slug: str, extract_to: Path | None = None) -> Collected:
    """Find every student's notebook for chapter ``slug`` under ``path``.

    Args:
        path: nbgrader's ``submitted/`` folder (or the course folder holding it), a folder of
            notebooks named by student, or a zip file of either.
        slug: the chapter, e.g. ``"memorization"``.
        extract_to: an empty folder to unpack a zip into (required for a zip).

    Returns:
        :class:`Collected`, submissions sorted by student, with the files that could not be used.

    Raises:
        FileNotFoundError: if ``path`` does not exist.
        ValueError: for a zip without ``extract_to``, or a file that is neither a zip nor a folder.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: pass the submissions folder or zip.")
    problems: list[Problem] = []
    if path.is_file():
        if not zipfile.is_zipfile(path):
            raise ValueError(f"{path} is neither a folder nor a zip file of notebooks.")
        if extract_to is None:
            raise ValueError("a zip of submissions needs extract_to, a folder to unpack it into.")
        problems = _safe_extract(path, Path(extract_to))
        path = Path(extract_to)
        entries = [p for p in path.iterdir() if not p.name.startswith(".")]
        if len(entries) == 1 and entries[0].is_dir():  # the zip wraps everything in one folder
            path = entries[0]
    if (path / "submitted").is_dir():
        path = path / "submitted"
    layout = _from_nbgrader_layout if _is_nbgrader_layout(path, slug) else _from_named_files
    found = layout(path, slug)
    found.problems = problems + found.problems
    found.submissions.sort(key=lambda s: s.student)
    return found
