"""The introduction's map of the course and the README's chapter table agree with the book.

The book numbers its chapters by their place in ``_toc.yml``: one number per chapter of a
``numbered`` part, running on from one numbered part to the next (Jupyter Book's multitoc
numbering); the part introductions sit in unnumbered parts and take none. autograder/book.py
reads it that way; tests/test_course_book.py checks the reading against the built pages.

A chapter exists when ``solutions/<slug>/<slug>.ipynb`` does. The map in ``book/intro.md`` lists
the whole plan: each existing chapter as *Ready*, with the book's number, linking its page, under
the heading of its part; each planned one as *In preparation*, with no number the book gives to
a chapter. ``README.md``'s chapter table lists exactly the existing chapters, in book order.
Every failure says which line to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.book import CHAPTER_FILE, BookChapter, book_chapters, chapter_title
from autograder.course import Course

REPO = Path(__file__).resolve().parents[1]
COURSE = Course(REPO)
MAP_HEADING = "## Map of the course"
README_HEADING = "## Chapters"
READY, PLANNED = "Ready", "In preparation"
DOC_LINK = re.compile(r"\{doc\}`(?P<title>[^<`]+?) <\.\./(?P<target>[^>`]+)>`")


def book_chapter(slug: str) -> BookChapter:
    found = [c for c in book_chapters(COURSE) if c.slug == slug]
    assert found, (
        f"solutions/{slug}/{slug}.ipynb exists but no numbered part of _toc.yml lists it: add "
        f"`- file: solutions/{slug}/{slug}` to the numbered part of its part of the course"
    )
    return found[0]


def section(path: Path, heading: str) -> list[tuple[int, str]]:
    """The lines (numbered from 1) of the level-2 section ``heading`` of a Markdown file."""
    lines = path.read_text().splitlines()
    assert heading in lines, f"{path.name} has no `{heading}` section"
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return [(i + 1, lines[i]) for i in range(start, end)]


def table_rows(lines: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    """The body rows of the Markdown tables among ``lines``, each as its stripped cells."""
    rows = []
    for number, line in lines:
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == "#" or set("".join(cells)) <= set("-: "):  # header or separator
            continue
        rows.append((number, cells))
    return rows


@dataclass(frozen=True)
class MapRow:
    """One row of the introduction's map: ``| # | Chapter | Ngo prompt | Status |``."""

    line: int
    part: str
    number: str
    chapter: str
    prompt: str
    status: str

    @property
    def slug(self) -> str | None:
        """The chapter the row links, when it links a chapter page."""
        link = DOC_LINK.fullmatch(self.chapter)
        match = CHAPTER_FILE.fullmatch(link["target"]) if link else None
        return match["slug"] if match else None

    @property
    def title(self) -> str:
        link = DOC_LINK.fullmatch(self.chapter)
        return link["title"].strip() if link else self.chapter


def map_rows() -> list[MapRow]:
    """The rows of the map in ``book/intro.md``, each with the ``###`` part heading above it."""
    lines = section(REPO / "book" / "intro.md", MAP_HEADING)
    rows, part = [], ""
    for number, line in lines:
        if line.startswith("### "):
            part = line.removeprefix("### ").strip()
        elif line.startswith("|"):
            for _, cells in table_rows([(number, line)]):
                assert len(cells) == 4, (
                    f"book/intro.md:{number}: a map row has four cells (# | Chapter | Ngo prompt "
                    f"| Status), this one has {len(cells)}"
                )
                rows.append(MapRow(number, part, *cells))
    assert rows, f"book/intro.md: the `{MAP_HEADING}` section has no table rows"
    return rows


def map_line(chapter: BookChapter, prompt: str) -> str:
    slug = chapter.slug
    link = f"{{doc}}`{chapter_title(COURSE, slug)} <../solutions/{slug}/{slug}>`"
    return f"| {chapter.number} | {link} | {prompt} | {READY} |"


def test_the_map_shows_each_chapter_as_ready_with_the_books_number_and_a_link(slug):
    """Catches a written chapter still "In preparation", or under the plan's number."""
    chapter, rows = book_chapter(slug), map_rows()
    title = chapter_title(COURSE, slug)
    linked = [r for r in rows if r.slug == slug]
    if not linked:
        unlinked = [r for r in rows if r.title.lower() == title.lower()]
        prompt = unlinked[0].prompt if unlinked else "<the Ngo prompt>"
        where = f"line {unlinked[0].line}" if unlinked else f"a row under `### {chapter.part}`"
        pytest.fail(
            f"book/intro.md: the map does not link chapter {chapter.number}, {title!r}; make "
            f"{where}\n{map_line(chapter, prompt)}"
        )
    assert len(linked) == 1, f"book/intro.md: lines {[r.line for r in linked]} all link {slug}"
    row = linked[0]
    assert (row.number, row.title, row.status) == (str(chapter.number), title, READY), (
        f"book/intro.md:{row.line}: the book numbers {slug} {chapter.number} and titles it "
        f"{title!r}; write the row as\n{map_line(chapter, row.prompt)}"
    )
    assert row.part == chapter.part, (
        f"book/intro.md:{row.line}: {title!r} sits under `### {row.part}` on the map but in "
        f"`{chapter.part}` in _toc.yml: move the row, or the chapter in _toc.yml"
    )


def test_planned_chapters_on_the_map_claim_no_number_the_book_gives():
    """Catches the plan's numbers left on planned chapters after the book renumbers."""
    numbers = {str(c.number): c.file for c in book_chapters(COURSE)}
    for row in map_rows():
        if row.slug is not None:
            continue
        assert row.status == PLANNED, (
            f"book/intro.md:{row.line}: {row.title!r} is marked {row.status!r} but links no "
            f"chapter page: link solutions/<slug>/<slug> if it is written, else mark it {PLANNED!r}"
        )
        assert row.number not in numbers, (
            f"book/intro.md:{row.line}: the planned chapter {row.title!r} claims number "
            f"{row.number}, which the book gives to {numbers[row.number]}; leave its # cell empty"
        )


def test_the_map_gives_each_number_once_and_in_book_order():
    """Catches two rows sharing a number, or ready chapters listed out of the book's order."""
    numbered = [row for row in map_rows() if row.number]
    written = [row.number for row in numbered]
    assert len(written) == len(set(written)), f"book/intro.md: a number is used twice: {written}"
    ready = [row.number for row in numbered if row.slug is not None]
    in_book_order = [str(c.number) for c in book_chapters(COURSE) if c.slug is not None]
    assert ready == in_book_order, (
        f"book/intro.md: the map lists the written chapters as {ready}; list them in the book's "
        f"order, {in_book_order}"
    )


def test_the_readme_lists_exactly_the_books_chapters_in_order(course):
    """Catches a chapter missing from README.md's table, or listed under another number."""
    rows = table_rows(section(REPO / "README.md", README_HEADING))
    written = [(cells[0], cells[1], cells[-1]) for _, cells in rows]
    chapters = [c for c in book_chapters(COURSE) if c.slug in course.slugs()]
    expected = [
        (
            str(c.number),
            chapter_title(COURSE, c.slug),
            f"[`exercises/{c.slug}`](exercises/{c.slug}/{c.slug}.ipynb)",
        )
        for c in chapters
    ]
    lines = "\n".join(f"| {n} | {title} | <Ngo prompt> | {link} |" for n, title, link in expected)
    assert written == expected, (
        f"README.md: the `{README_HEADING}` table must list the book's chapters, one row each in "
        f"book order (# | chapter | Ngo prompt | notebook):\n{lines}"
    )
    for chapter in chapters:
        notebook = REPO / "exercises" / chapter.slug / f"{chapter.slug}.ipynb"
        assert notebook.is_file(), f"README.md links {notebook.relative_to(REPO)}: run make release"
