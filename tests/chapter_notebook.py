"""Reading a chapter notebook's structure: its cells by nbgrader role, its sections."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

SKELETON = (
    "The prompt",
    "Background",
    "Predict first",
    "Build",
    "Run",
    "Reflect",
    "Going further",
)

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
