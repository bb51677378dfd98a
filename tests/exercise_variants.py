"""Variants that prove a chapter's tests: other correct implementations of each exercise, which
must pass every test, and plausible wrong ones, which must fail with a message pointing at the
mistake.

A chapter's variants live in ``tests/variants/<slug>.py``: outside ``solutions/`` (nbgrader
copies every file of a source folder into the release) and outside the book. Each variant is a
function named like the exercise it replaces, under a marker that says what it is::

    @correct("goal_posterior", "loops over goals and rounds instead of broadcasting")
    def goal_posterior(prior, utilities, menus, choices, beta):
        ...

    @wrong("goal_posterior", "normalises over every option, not only the menu's",
           message=r"only the options on the menu")
    def goal_posterior(prior, utilities, menus, choices, beta):
        ...

The function's source, without the marker, is what a learner would have typed into the
exercise's cell. It runs in the chapter notebook's namespace: the notebook's imports and the
reference solutions of the other exercises, so it uses their names (``np``, ``torch``,
``log_choice_probs``) without importing them, as a learner's cell does. The file is read, not
imported: nothing in it runs outside that namespace.

Running a variant executes the notebook's setup cells (the code before its first exercise), the
exercises' cells with the variant in place of its exercise, and test cells: nothing of the
experiment, so a whole chapter takes seconds.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
from chapter_notebook import ChapterNotebook, is_autograded_answer, is_test, nbgrader

VARIANTS_DIR = Path(__file__).parent / "variants"


def correct(exercise: str, approach: str) -> Callable:
    """Marks a different correct implementation of ``exercise`` (a grade id): every test must
    pass with it. ``approach`` says how it differs from the reference solution."""
    return lambda function: function


def wrong(exercise: str, mistake: str, *, message: str, error: str = "AssertionError") -> Callable:
    """Marks a plausible wrong implementation of ``exercise`` that its test cell must reject.

    ``mistake`` describes the error as a learner would make it; ``message`` is a regular
    expression the failure's message must match, so that the learner is told about *this*
    mistake; ``error`` is the exception's class name (``AssertionError`` for a failed test).
    """
    return lambda function: function


@dataclass(frozen=True)
class Variant:
    """One replacement for an exercise's solution cell."""

    slug: str
    exercise: str
    description: str
    correct: bool
    source: str
    line: int
    message: str | None = None
    error: str = "AssertionError"

    @property
    def id(self) -> str:
        kind = "correct" if self.correct else "wrong"
        words = re.sub(r"[^a-z0-9]+", "-", self.description.lower()).strip("-")[:48]
        return f"{self.slug}:{self.exercise}:{kind}:{words}"

    @property
    def where(self) -> str:
        return f"tests/variants/{self.slug}.py:{self.line}"


def variants_file(slug: str) -> Path:
    return VARIANTS_DIR / f"{slug}.py"


def load_variants(slug: str) -> list[Variant]:
    """Every variant in ``tests/variants/<slug>.py``, in file order ([] if there is no file).

    Raises ``ValueError`` naming the line of a marker that is not ``correct(exercise,
    approach)`` or ``wrong(exercise, mistake, message=...)`` with literal arguments.
    """
    path = variants_file(slug)
    if not path.is_file():
        return []
    text = path.read_text()
    lines = text.splitlines()
    variants = []
    for node in ast.parse(text).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        markers = [
            d
            for d in node.decorator_list
            if isinstance(d, ast.Call) and getattr(d.func, "id", None) in ("correct", "wrong")
        ]
        if len(markers) != 1:
            raise ValueError(
                f"{path.name}:{node.lineno}: {node.name} needs exactly one @correct(...) or "
                "@wrong(...) marker"
            )
        marker = markers[0]
        try:
            args = [ast.literal_eval(a) for a in marker.args]
            keywords = {k.arg: ast.literal_eval(k.value) for k in marker.keywords}
        except ValueError as exc:
            raise ValueError(
                f"{path.name}:{marker.lineno}: marker arguments must be literal strings"
            ) from exc
        is_correct = marker.func.id == "correct"
        if len(args) != 2 or (not is_correct and "message" not in keywords):
            raise ValueError(
                f"{path.name}:{marker.lineno}: write @correct(exercise, approach) or "
                "@wrong(exercise, mistake, message=regex)"
            )
        if args[0] != node.name:
            raise ValueError(
                f"{path.name}:{node.lineno}: the function must be named like the exercise it "
                f"replaces, {args[0]!r}, not {node.name!r}"
            )
        source = textwrap.dedent("\n".join(lines[node.lineno - 1 : node.end_lineno]))
        variants.append(
            Variant(
                slug=slug,
                exercise=args[0],
                description=args[1],
                correct=is_correct,
                source=source,
                line=node.lineno,
                message=keywords.get("message"),
                error=keywords.get("error", "AssertionError"),
            )
        )
    return variants


@dataclass(frozen=True)
class Failure:
    """A test cell that raised: the exception's class name and message."""

    error: str
    message: str

    def __str__(self) -> str:
        return f"{self.error}: {self.message}"


@dataclass
class ChapterExercises:
    """A chapter notebook reduced to what its tests need: setup, exercises, test cells."""

    setup: list[str]
    answers: dict[str, str]  # exercise grade id -> solution cell source, in notebook order
    tests: dict[str, str]  # exercise grade id -> the source of the test cell that grades it

    @classmethod
    def read(cls, notebook: Path) -> ChapterExercises:
        cells = ChapterNotebook.read(notebook).cells
        # A chapter without exercises (a writing chapter) is all setup, with none to answer.
        first = next((i for i, c in enumerate(cells) if is_autograded_answer(c)), len(cells))
        setup = [c.source for c in cells[:first] if c.cell_type == "code"]
        answers, tests = {}, {}
        for i, cell in enumerate(cells):
            if is_autograded_answer(cell):
                grade_id = nbgrader(cell)["grade_id"]
                answers[grade_id] = cell.source
                test = next(c for c in cells[i + 1 :] if c.cell_type == "code")
                if not is_test(test):
                    raise ValueError(f"{notebook}: {grade_id} is not followed by its test cell")
                tests[grade_id] = test.source
        return cls(setup, answers, tests)

    def namespace(self, replace: dict[str, str] | None = None) -> dict:
        """A fresh namespace after the setup cells and every exercise cell, in notebook order,
        with ``replace[exercise]`` run instead of that exercise's solution."""
        replace = replace or {}
        namespace: dict = {"__name__": "__main__"}
        for source in self.setup:
            exec(compile(source, "<setup cell>", "exec"), namespace)
        for exercise, source in self.answers.items():
            code = replace.get(exercise, source)
            exec(compile(code, f"<{exercise} cell>", "exec"), namespace)
        return namespace

    def run_test(self, exercise: str, namespace: dict) -> Failure | None:
        """Run the test cell of ``exercise`` (hidden tests included) in ``namespace``."""
        try:
            exec(compile(self.tests[exercise], f"<test of {exercise}>", "exec"), namespace)
        except Exception as exc:  # a test cell fails by raising anything
            return Failure(type(exc).__name__, str(exc))
        return None

    def run_all_tests(self, namespace: dict) -> dict[str, Failure]:
        """Every test cell in notebook order; exercise -> failure, for those that failed."""
        results = {e: self.run_test(e, namespace) for e in self.tests}
        return {e: f for e, f in results.items() if f is not None}


def notebook_with(notebook: Path, replace: dict[str, str], folder: Path) -> Path:
    """A copy of ``notebook`` in ``folder`` (same file name), with the cells of the exercises in
    ``replace`` (grade id -> source) rewritten: a learner's notebook built from variants."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        grade_id = nbgrader(cell).get("grade_id")
        if grade_id in replace and is_autograded_answer(cell):
            cell.source = replace[grade_id]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / notebook.name
    nbformat.write(nb, path)
    return path
