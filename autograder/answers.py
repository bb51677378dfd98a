"""``python -m autograder answers``: a cohort's written answers to one chapter, question by
question, on one page.

nbgrader's formgrader shows one student's notebook at a time; a facilitator leading a discussion,
or marking one question across the class, wants every answer to one question together. This
module collects them, after ``python -m autograder grade``, from three places:

- the chapter's source notebook: each manually graded question, the markdown just above it, its
  model answer and rubric;
- the gradebook: who submitted, and any manual score already given;
- each student's autograded notebook (``autograded/<student>/<slug>/<slug>.ipynb``): the answer
  as written, and the results tables the chapter's Run section printed with the student's code.

:mod:`autograder.run_tables` collects the Run tables; :mod:`autograder.answers_page` renders
what is collected as one HTML page.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat

from .book import chapter_title
from .check import readable_markup
from .course import Course
from .gradebook import create_gradebook, without_password
from .run_tables import MARKDOWN_HEADING, TableSlot, measured_tables, run_section_tables
from .written import left_empty, written_answers

__all__ = [
    "Answer",
    "CohortAnswers",
    "Question",
    "answers_command",
    "collect_answers",
]

PREDICT_FIRST = "predict_first"

_QUESTION_LABEL = re.compile(r"\*\*(Question\s+\d+)")
_FENCE = re.compile(r"^(`{3,}|:{3,})\{admonition\}")
_RUBRIC = re.compile(r"^\*\*Rubric\b")


@dataclass(frozen=True)
class Answer:
    """One student's non-empty answer to one question.

    Attributes:
        student: the label shown for the student: their id (and name, if the gradebook has one),
            or an anonymous label such as ``"Student 7"``.
        text: the answer's markdown as the student wrote it (untrusted).
        score: the manual score already given in the gradebook, None if not scored yet.
        points: the question's maximum score.
    """

    student: str
    text: str
    score: float | None
    points: float


@dataclass(frozen=True)
class Question:
    """A manually graded question of the chapter and the cohort's answers to it.

    Attributes:
        grade_id: nbgrader's id of the answer cell, e.g. ``"reflect_limits"``.
        title: a short name, e.g. ``"Question 2"`` or ``"Predict first"``.
        prompt: the question's markdown, from the source cells just above the answer cell,
            headings removed.
        model_answer: the model answer's markdown (empty if the source has none).
        rubric: the rubric's markdown (empty if the source has none).
        points: the question's maximum score.
        answers: the non-empty answers, in the page's order of students.
        empty: how many students left it empty (the release's placeholder, or blank).
    """

    grade_id: str
    title: str
    prompt: str
    model_answer: str
    rubric: str
    points: float
    answers: tuple[Answer, ...]
    empty: int

    @property
    def predicts(self) -> bool:
        """Whether this is the chapter's predict-first question."""
        return self.grade_id == PREDICT_FIRST


@dataclass(frozen=True)
class CohortAnswers:
    """Everything the answers page shows for one chapter.

    Attributes:
        slug: the chapter.
        title: the chapter's title, from the first heading of its source.
        students: every student with a submission in the gradebook, as labelled on the page.
        without_notebook: those of them with no autograded notebook (not shown further).
        questions: the manually graded questions, in notebook order.
        measured: the Run section's tables across the cohort, in the order the runs print them.
        gradebook: the gradebook's URL, without its password.
        generated: when the page was made.
        anonymous: whether ``students`` are anonymous labels.
    """

    slug: str
    title: str
    students: tuple[str, ...]
    without_notebook: tuple[str, ...]
    questions: tuple[Question, ...]
    measured: tuple[TableSlot, ...]
    gradebook: str
    generated: datetime
    anonymous: bool


@dataclass(frozen=True)
class _Submission:
    """A student's submission as the gradebook records it."""

    student: str
    name: str  # "First Last" if the gradebook has it, else ""
    manual_scores: dict[str, float | None]  # grade_id -> manual score


def collect_answers(
    course: Course, slug: str, db_url: str | None = None, *, anonymous: bool = False
) -> CohortAnswers:
    """The cohort's answers to chapter ``slug``, as graded into the gradebook at ``db_url``
    (default ``sqlite:///<course>/gradebook.db``).

    ``anonymous`` replaces each student's name by a label such as ``"Student 7"``, numbered in
    an order drawn from a random key kept in ``grading/<slug>/`` (the same labels every time the
    page is made for this chapter; neither the names nor their alphabetical order can be read
    from them).

    Raises:
        ValueError: if ``slug`` is not a chapter, there is no gradebook yet, or nothing of this
            chapter has been graded into it (the message says to run ``grade`` first).
        GradebookUnavailable: if the gradebook cannot be opened.
    """
    course.require_chapter(slug)
    db_url = db_url or course.gradebook_url
    submissions = _submissions(course, slug, db_url)
    if anonymous:
        labels = _anonymous_labels(course, slug, [s.student for s in submissions])
    else:
        labels = {
            s.student: f"{s.name} ({s.student})" if s.name else s.student for s in submissions
        }
    order = sorted(submissions, key=lambda s: _label_order(labels[s.student]))
    notebooks = {s.student: _autograded(course, slug, s.student) for s in order}
    present = [s for s in order if notebooks[s.student] is not None]
    if not present:
        raise ValueError(
            f"the gradebook {without_password(db_url)} lists {len(order)} submission(s) of "
            f"{slug!r}, but none has an autograded notebook under "
            f"{course.root / 'autograded'}/<student>/{slug}/. Run `python -m autograder grade "
            f"{slug} <submissions>` from this course, or pass the --course it was graded in."
        )
    asked = source_questions(course, slug)
    placeholders = _placeholders(course, slug, [q.grade_id for q in asked])
    questions = tuple(
        _question(q, [(labels[s.student], s, notebooks[s.student]) for s in present], placeholders)
        for q in asked
    )
    measured = measured_tables(
        [(labels[s.student], run_section_tables(notebooks[s.student])) for s in present]
    )
    return CohortAnswers(
        slug=slug,
        title=chapter_title(course, slug),
        students=tuple(labels[s.student] for s in order),
        without_notebook=tuple(labels[s.student] for s in order if s not in present),
        questions=questions,
        measured=measured,
        gradebook=without_password(db_url),
        generated=datetime.now().astimezone(),
        anonymous=anonymous,
    )


def _submissions(course: Course, slug: str, db_url: str) -> list[_Submission]:
    """Every submission of ``slug`` in the gradebook, with its manual scores.

    The gradebook is only read: a missing SQLite file is an error, not a new empty gradebook.
    """
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    run_grade = f"run `python -m autograder grade {slug} <submissions>` first"
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        if not url.database or url.database == ":memory:" or not path.is_file():
            raise ValueError(
                f"no gradebook at {url.database or db_url}: {run_grade}, or give the gradebook "
                "it wrote to with --db."
            )
    course_id = course.nbgrader_config().CourseDirectory.get("course_id", "")
    create_gradebook(db_url, course_id)  # only its clear errors: an existing one is unchanged
    with Gradebook(db_url, course_id) as gb:
        try:
            graded = gb.find_assignment(slug).submissions
        except MissingEntry:
            graded = []
        found = [
            _Submission(
                sub.student.id,
                " ".join(n for n in (sub.student.first_name, sub.student.last_name) if n),
                {g.name: g.manual_score for nb in sub.notebooks for g in nb.grades},
            )
            for sub in graded
        ]
    if not found:
        raise ValueError(
            f"nothing of chapter {slug!r} is graded in the gradebook {without_password(db_url)}: "
            f"{run_grade}."
        )
    return found


def _anonymous_labels(course: Course, slug: str, students: Iterable[str]) -> dict[str, str]:
    """student -> ``"Student N"``, numbered in the order of a keyed hash of their ids.

    The key is random, made once per chapter and kept in ``grading/<slug>/anonymous-key``
    (git-ignored with grading's other outputs), so the labels stay the same from one page to
    the next but cannot be recomputed from a class list.
    """
    folder = course.root / "grading" / slug
    key_file = folder / "anonymous-key"
    if not key_file.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(16) + "\n")
    key = key_file.read_text().strip().encode()

    def draw(student: str) -> str:
        return hashlib.blake2b(student.encode(), key=key, digest_size=16).hexdigest()

    return {s: f"Student {i}" for i, s in enumerate(sorted(students, key=draw), start=1)}


def _label_order(label: str) -> tuple:
    """Labels sort as people read them: ``Student 2`` before ``Student 10``."""
    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", label))


def _autograded(course: Course, slug: str, student: str) -> nbformat.NotebookNode | None:
    """The student's autograded notebook, or None if grading left none (or it is unreadable)."""
    path = course.root / "autograded" / student / slug / f"{slug}.ipynb"
    if not path.is_file():
        return None
    try:
        return nbformat.read(path, as_version=4)
    except Exception:  # nbformat raises several unrelated types for a broken file
        return None


def _placeholders(course: Course, slug: str, grade_ids: list[str]) -> dict[str, str]:
    """grade_id -> the text that counts as an empty answer: the release's placeholder for that
    cell, else nbgrader's configured one (``ClearSolutions.text_stub``)."""
    stub = course.nbgrader_config().ClearSolutions.get("text_stub", "YOUR ANSWER HERE")
    released = {}
    if course.exercise_notebook(slug).is_file():
        released = written_answers(nbformat.read(course.exercise_notebook(slug), as_version=4))
    return {g: released.get(g, stub) for g in grade_ids}


def _question(
    question: Question,
    students: list[tuple[str, _Submission, nbformat.NotebookNode]],
    placeholders: dict[str, str],
) -> Question:
    """``question`` (from the source) with the cohort's answers filled in."""
    answers, empty = [], 0
    for label, submission, notebook in students:
        text = written_answers(notebook).get(question.grade_id, "")
        if left_empty(text, placeholders[question.grade_id]):
            empty += 1
            continue
        score = submission.manual_scores.get(question.grade_id)
        answers.append(Answer(label, text, score, question.points))
    return Question(
        question.grade_id,
        question.title,
        question.prompt,
        question.model_answer,
        question.rubric,
        question.points,
        tuple(answers),
        empty,
    )


def source_questions(course: Course, slug: str) -> list[Question]:
    """Every manually graded question of the chapter's source (a markdown cell that is both an
    nbgrader grade and solution cell), in notebook order, without answers.

    The prompt is the run of plain markdown cells just above the answer cell, up to and
    including the first that opens with a heading (a question never reaches back past its
    section's heading, a code cell or another answer).
    """
    cells = nbformat.read(course.source_notebook(slug), as_version=4).cells
    questions = []
    for i, cell in enumerate(cells):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "markdown" or not (meta.get("grade") and meta.get("solution")):
            continue
        above: list[str] = []
        for earlier in reversed(cells[:i]):
            other = earlier.metadata.get("nbgrader", {})
            if earlier.cell_type != "markdown" or other.get("grade") or other.get("solution"):
                break
            above.insert(0, earlier.source)
            if MARKDOWN_HEADING.match(earlier.source.lstrip().split("\n", 1)[0]):
                break
        prompt = "\n\n".join(above)
        model_answer, rubric = split_model_answer(cell.source)
        questions.append(
            Question(
                grade_id=meta["grade_id"],
                title=_title(prompt, meta["grade_id"]),
                prompt=readable_markup(_without_headings(prompt), course),
                model_answer=readable_markup(model_answer, course),
                rubric=readable_markup(rubric, course),
                points=float(meta.get("points", 0)),
                answers=(),
                empty=0,
            )
        )
    return questions


def _title(prompt: str, grade_id: str) -> str:
    """ "Question 2" if the prompt names itself so, else its last heading, else the grade id."""
    if match := _QUESTION_LABEL.search(prompt):
        return match[1]
    headings = [m[2] for line in prompt.splitlines() if (m := MARKDOWN_HEADING.match(line))]
    return headings[-1] if headings else grade_id


def _without_headings(markdown: str) -> str:
    return "\n".join(
        line for line in markdown.splitlines() if not MARKDOWN_HEADING.match(line)
    ).strip()


def split_model_answer(source: str) -> tuple[str, str]:
    """(model answer, rubric), the markdown of a source answer cell written as a MyST
    admonition (```` ```{admonition} Model answer ````, its options, the model answer, then a
    paragraph opening with ``**Rubric``). Either part is "" when the cell has none."""
    lines = source.strip().splitlines()
    if lines and (fence := _FENCE.match(lines[0])):
        lines = lines[1:]
        if lines and lines[-1].strip() == fence[1]:
            lines = lines[:-1]
        while lines and lines[0].startswith(":"):  # the directive's options, e.g. :class:
            lines = lines[1:]
    start = next((i for i, line in enumerate(lines) if _RUBRIC.match(line)), len(lines))
    return "\n".join(lines[:start]).strip(), "\n".join(lines[start:]).strip()


def default_output(course: Course, slug: str, *, anonymous: bool) -> Path:
    """``grading/<slug>/answers.html``, or ``answers-anonymous.html``: beside grading's other
    outputs (git-ignored), and an anonymous page never overwritten by one with names."""
    name = "answers-anonymous.html" if anonymous else "answers.html"
    return course.root / "grading" / slug / name


def answers_command(course: Course, args: argparse.Namespace) -> int:
    """``answers SLUG [--db URL] [--anonymous] [--output PATH]``: write the page, print its
    path. Returns the exit status (0)."""
    from .answers_page import render_page

    collected = collect_answers(course, args.slug, args.db, anonymous=args.anonymous)
    output = args.output or default_output(course, args.slug, anonymous=args.anonymous)
    if output.is_dir():
        raise ValueError(f"--output {output} is a folder; give the path of an .html file.")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(render_page(collected), encoding="utf-8")
    except OSError as err:
        raise ValueError(
            f"cannot write {output} ({err.strerror or err}); give another --output."
        ) from err
    print(output)
    return 0
