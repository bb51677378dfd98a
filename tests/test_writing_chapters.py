"""What a writing chapter has instead of code exercises (its notebook declares
``metadata["alignment_exercises"] = {"kind": "writing"}``): at least six assignments, each a
manually graded answer cell with points, whose statement says what to read first, gives a worked
outline, the length expected and a peer-review checklist, and whose rubric's criteria add up to
the cell's points. tests/test_course_notebooks.py checks its skeleton and that it has no code
exercise, test or effect check. Fast: nothing is executed here."""

from __future__ import annotations

import copy
import re

import pytest
from chapter_notebook import (
    ASSIGNMENT_HEADING,
    ASSIGNMENT_PARTS,
    MIN_ASSIGNMENTS,
    ChapterNotebook,
    is_written_answer,
    nbgrader,
    rubric_points,
)
from conftest import COURSE, SLUGS

from autograder.book import book_chapters
from autograder.course import WRITING

WRITING_SLUGS = [s for s in SLUGS if COURSE.chapter_kind(s) == WRITING]
DOC_LINK = re.compile(r"\{doc\}`[^`<]*<(?P<target>[^>`]+)>`")


@pytest.fixture(params=WRITING_SLUGS)
def writing(request) -> ChapterNotebook:
    return ChapterNotebook.read(COURSE.source_notebook(request.param))


def assignments(chapter: ChapterNotebook) -> list[tuple[str, str, object]]:
    """(section heading, statement, answer cell) of each written answer under an
    "Assignment N: ..." heading, in notebook order; the statement is the markdown of the
    assignment's section above its answer."""
    cells, sections = chapter.cells, chapter.section_of_each_cell()
    found = []
    for i, cell in enumerate(cells):
        if is_written_answer(cell) and ASSIGNMENT_HEADING.fullmatch(sections[i] or ""):
            above = [
                c.source
                for c, section in zip(cells[:i], sections[:i], strict=True)
                if section == sections[i] and c.cell_type == "markdown"
            ]
            found.append((sections[i], "\n\n".join(above), cell))
    return found


def rubric_problems(chapter: ChapterNotebook) -> list[str]:
    """Every answer cell whose rubric is missing, declares another total than the cell's points,
    or whose criteria do not add up to them."""
    problems = []
    for _, _, cell in assignments(chapter):
        meta = nbgrader(cell)
        points = float(meta.get("points", 0))
        declared, criteria = rubric_points(cell.source)
        if declared is None or not criteria:
            problems.append(
                f"{meta['grade_id']}: no rubric: write '**Rubric ({points:g} points):**' and a "
                "table | Criterion | Points | with one row per criterion"
            )
        elif not (declared == points == sum(criteria)):
            problems.append(
                f"{meta['grade_id']}: the cell is worth {points:g} points, the rubric says "
                f"{declared:g} and its criteria add up to {sum(criteria):g} ({criteria})"
            )
    return problems


def test_the_course_has_a_writing_chapter_for_these_checks_to_check():
    """Catches the kind being lost (a typo in the metadata), which would leave this file idle."""
    assert WRITING_SLUGS, "no chapter declares metadata['alignment_exercises']['kind'] = 'writing'"


def test_a_writing_chapter_has_enough_assignments_each_graded_by_a_person(writing):
    found = assignments(writing)
    assert len(found) >= MIN_ASSIGNMENTS, (
        f"{writing.path.name}: a writing chapter sets at least {MIN_ASSIGNMENTS} assignments, "
        f"found {len(found)}"
    )
    for heading, _, cell in found:
        meta = nbgrader(cell)
        assert meta.get("grade") and meta.get("solution") and meta.get("points", 0) > 0, (
            f"{heading}: its answer cell must be manually graded (nbgrader solution and grade) "
            f"and carry points; got {meta}"
        )


def test_every_assignment_says_what_to_read_how_to_start_how_long_and_how_it_is_reviewed(writing):
    for heading, statement, _ in assignments(writing):
        missing = [part for part in ASSIGNMENT_PARTS if part not in statement]
        assert not missing, f"{heading}: the statement above the answer lacks {missing}"
        reading = statement.split("**Read first", 1)[1].split("**Worked outline", 1)[0]
        assert "](http" in reading or "{doc}`" in reading, (
            f"{heading}: Read first must link what to read (a paper, or a chapter with {{doc}})"
        )
        outline = statement.split("**Worked outline", 1)[1].split("**Length:**", 1)[0]
        steps = re.findall(r"^\d+\. ", outline, flags=re.M)
        assert len(steps) >= 3, f"{heading}: the worked outline needs numbered steps, found {steps}"
        assert re.search(r"\*\*Length:\*\*[^\n]*\d", statement), (
            f"{heading}: give the length expected in numbers (words, or pages)"
        )


def test_every_rubric_adds_up_to_its_cells_points(writing):
    problems = rubric_problems(writing)
    assert not problems, "\n".join(problems)


def test_the_rubric_check_catches_criteria_that_do_not_add_up(writing):
    """Catches a rubric check that passes because it parses nothing."""
    doctored = ChapterNotebook(writing.path, copy.deepcopy(writing.nb))
    _, _, cell = assignments(doctored)[0]
    cell.source = re.sub(r"\|\s*(\d+)\s*\|\s*$", r"| 9\1 |", cell.source, count=1, flags=re.M)
    problems = rubric_problems(doctored)
    assert len(problems) == 1 and "add up to" in problems[0], problems


def test_a_writing_chapter_links_only_chapters_that_are_in_the_book(writing):
    """Catches a {doc} link to a chapter not (yet) in _toc.yml, which breaks the book build."""
    in_book = {f"../{c.slug}/{c.slug}" for c in book_chapters(COURSE) if c.slug}
    targets = {
        m["target"] for c in writing.cells if c.cell_type == "markdown"
        for m in DOC_LINK.finditer(c.source)
    }  # fmt: skip
    assert targets, f"{writing.path.name}: no chapter is linked; Read first should name some"
    assert targets <= in_book, (
        f"{writing.path.name} links {sorted(targets - in_book)}, which _toc.yml does not list: "
        "name a chapter in preparation in plain text"
    )
