"""Reading a chapter notebook's structure: its cells by nbgrader role, its sections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.course import notebook_kind

SKELETON = (
    "The prompt",
    "Background",
    "Predict first",
    "Build",
    "Run",
    "Reflect",
    "Going further",
)

# A writing chapter (metadata["alignment_exercises"]["kind"] == "writing"): written assignments
# only, each graded by a person. Its level-2 headings are WRITING_OPENING, then one heading per
# assignment ("Assignment 1: A takeover scenario", numbered from 1), then WRITING_CLOSING.
WRITING_OPENING = ("The prompt", "How to use this chapter")
WRITING_CLOSING = ("Peer review", "Going further")
ASSIGNMENT_HEADING = re.compile(r"Assignment (?P<number>\d+): \S.*")
MIN_ASSIGNMENTS = 6
# What every assignment's statement gives, in bold, before its answer cell.
ASSIGNMENT_PARTS = ("**Read first", "**Worked outline", "**Length:**", "**Peer-review checklist")
# "**Rubric (10 points):**" then a Markdown table whose last column is each criterion's points.
RUBRIC_TOTAL = re.compile(r"^\*\*Rubric \((?P<points>\d+(?:\.\d+)?) points?\)", re.M)
RUBRIC_ROW = re.compile(r"^\|(?P<criterion>.+)\|\s*(?P<points>\d+(?:\.\d+)?)\s*\|\s*$", re.M)


def rubric_points(text: str) -> tuple[float | None, list[float]]:
    """The total a rubric declares ("**Rubric (N points)") and the points of each criterion (the
    last column of the table rows after it). (None, []) when the text has no rubric."""
    total = RUBRIC_TOTAL.search(text)
    if total is None:
        return None, []
    rows = RUBRIC_ROW.findall(text[total.end() :])
    return float(total["points"]), [float(points) for _, points in rows]


# The first code cell of every chapter: on Colab, where the course package is missing, it installs
# it from the repository; everywhere else the import succeeds and it does nothing. A plain call
# rather than `%pip`, so that the cell stays Python that ast and exec read (tests do both).
INSTALL_GRADE_ID = "install_course_package"
INSTALL_CELL = """\
try:
    import alignment_lab  # noqa: F401
except ModuleNotFoundError:  # on Colab: install the course package
    url = "{url}"
    get_ipython().run_line_magic("pip", f"install -q {{url}}")"""


def install_url(org_repo: str, branch: str) -> str:
    """What pip installs the course package from: ``git+https://github.com/ORG/REPO@BRANCH``."""
    return f"git+https://github.com/{org_repo}@{branch}"


def install_cell(org_repo: str, branch: str) -> str:
    """The exact source of the install cell for the repository ``org_repo`` ("org/repo")."""
    return INSTALL_CELL.format(url=install_url(org_repo, branch))


# A hint as chapters write it: collapsed, with Markdown inside (the blank lines let it render).
HINT = re.compile(r"<details>\s*<summary>\s*Hint\b[^<]*</summary>\n\n(.+?)\n\n</details>", re.S)


def nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def is_answer(cell) -> bool:
    """A cell the learner writes: code to autograde, or a written answer a person grades."""
    return bool(nbgrader(cell).get("solution"))


def is_autograded_answer(cell) -> bool:
    return cell.cell_type == "code" and is_answer(cell) and not nbgrader(cell).get("grade")


def is_test(cell) -> bool:
    return cell.cell_type == "code" and nbgrader(cell).get("grade") and not is_answer(cell)


def is_written_answer(cell) -> bool:
    return cell.cell_type == "markdown" and is_answer(cell) and nbgrader(cell).get("grade")


@dataclass
class ChapterNotebook:
    path: Path
    nb: nbformat.NotebookNode

    @classmethod
    def read(cls, path: Path) -> ChapterNotebook:
        return cls(path, nbformat.read(path, as_version=4))

    @property
    def cells(self) -> list:
        return self.nb.cells

    def section_of_each_cell(self) -> list[str | None]:
        """The level-2 heading each cell falls under (None before the first)."""
        section, sections = None, []
        for cell in self.cells:
            if cell.cell_type == "markdown":
                headings = re.findall(r"^## (.+?)\s*$", cell.source, flags=re.M)
                if headings:
                    section = headings[-1]
            sections.append(section)
        return sections

    @property
    def kind(self) -> str:
        """``"experiment"`` or ``"writing"``, as the notebook declares (autograder.course)."""
        return notebook_kind(self.nb, str(self.path))

    def headings(self) -> list[str]:
        return [
            h
            for c in self.cells
            if c.cell_type == "markdown"
            for h in re.findall(r"^## (.+?)\s*$", c.source, flags=re.M)
        ]


def exercise_statement(cells, answer: int) -> str:
    """The markdown cells just above the answer cell at index ``answer``: its statement."""
    statement = []
    for cell in reversed(cells[:answer]):
        if cell.cell_type == "code":
            break
        statement.insert(0, cell.source)
    return "\n\n".join(statement)


def solved_exercise_notebook(course, slug: str) -> nbformat.NotebookNode:
    """The chapter's exercise notebook with every autograded answer replaced by the model
    solution from its source, as a learner who solved the chapter would have it."""
    exercise = nbformat.read(course.exercise_notebook(slug), as_version=4)
    source = ChapterNotebook.read(course.source_notebook(slug))
    solutions = {nbgrader(c)["grade_id"]: c.source for c in source.cells if is_autograded_answer(c)}
    for cell in exercise.cells:
        if is_autograded_answer(cell):
            cell.source = solutions[nbgrader(cell)["grade_id"]]
    return exercise
