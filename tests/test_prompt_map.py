"""The map of Ngo's prompts (``book/prompt-map.md``) agrees with the chapters' headers.

Each chapter's header names the Ngo projects it takes up ("Ngo project 11", "Ngo projects 1, 2
and 18", "projects 14 (...), 16 (...) and 22 (...)", "19/20") and, for a group of his
exercises, the group ("Ngo's reward-learning exercises"). The map has one row per project, all
26, and one per group of exercises; each row's last cell names the chapters that take it up:
a ``{doc}`` link to the chapter page, or, for a chapter not in ``_toc.yml`` yet, its title in
italics followed by "(in preparation)". A row that no chapter takes up says "Not covered" and
why; links in such a row are references, not claims.

The checks, in both directions: every project (or group) a header names is on the map with that
chapter, and every chapter the map names for a project names that project in its header. A link
must open an existing notebook, under its title; a chapter in ``_toc.yml`` must be linked, not
listed as planned. Every check is a function of the map's text and the chapters' headers, so the
tests at the end prove each one fails on a doctored copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import nbformat

from autograder.book import CHAPTER_FILE, book_chapters
from autograder.course import Course

REPO = Path(__file__).resolve().parents[1]
COURSE = Course(REPO)
MAP = REPO / "book" / "prompt-map.md"
PROJECTS_HEADING = "## The 26 conceptual research projects"
EXERCISES_HEADING = "## The alignment research exercises"
PROJECT_COUNT = 26
NOT_COVERED = "Not covered"
DOC_LINK = re.compile(r"\{doc\}`(?P<title>[^<`]+?) <\.\./(?P<target>[^>`]+)>`")
PLANNED = re.compile(r"\*(?P<title>[^*]+)\* \(in preparation\)")

# "project 13", "projects 14 (...), 16 (...) and 22 (...)", "projects 25 (...) and 19/20 (...)"
PROJECTS_START = re.compile(r"\bprojects?\s+(?=\d)", re.I)
NUMBER = re.compile(r"\d+")
PARENTHESIS = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)")
SEPARATOR = re.compile(r"\s*(?:,\s*and|,|and|/)\s*(?=\d)")
# "Ngo's reward-learning exercises", "Ngo's exercise on implicit search"
EXERCISE_GROUP = re.compile(
    r"Ngo's (?:(?P<group>[\w-]+(?: [\w-]+)??) exercises?\b"
    r"|exercises? on (?P<topic>[\w-]+(?: [\w-]+)?))"
)


@dataclass(frozen=True)
class ChapterHeader:
    """What a chapter's header claims, and where the chapter stands."""

    slug: str
    title: str
    projects: frozenset[int]
    exercise_groups: frozenset[str]
    in_book: bool  # listed in _toc.yml


def projects_named(header: str) -> set[int]:
    """The project numbers a header names, from each "project(s) N, M and K" list in it."""
    found = set()
    for start in PROJECTS_START.finditer(header):
        position = start.end()
        while number := NUMBER.match(header, position):
            found.add(int(number[0]))
            position = number.end()
            if parenthesis := PARENTHESIS.match(header, position):
                position = parenthesis.end()
            separator = SEPARATOR.match(header, position)
            if separator is None:
                break
            position = separator.end()
    return found


def normalized(words: str) -> str:
    return re.sub(r"[\s-]+", " ", words.strip().lower())


def chapter_headers(course: Course = COURSE) -> list[ChapterHeader]:
    """Every chapter with a notebook: its title and what the part of its header above
    "**Difficulty" names."""
    in_book = {c.slug for c in book_chapters(course) if c.slug}
    headers = []
    for slug in course.slugs():
        first = nbformat.read(course.source_notebook(slug), as_version=4).cells[0].source
        title = first.splitlines()[0].removeprefix("# ").strip()
        claims = first.split("**Difficulty", 1)[0]
        groups = {normalized(m["group"] or m["topic"]) for m in EXERCISE_GROUP.finditer(claims)}
        headers.append(
            ChapterHeader(slug, title, frozenset(projects_named(claims)), frozenset(groups),
                          slug in in_book)
        )  # fmt: skip
    return headers


@dataclass(frozen=True)
class MapRow:
    line: int
    key: str  # the project number, or the group of exercises
    taken_up_by: str

    @property
    def covered(self) -> bool:
        return not self.taken_up_by.startswith(NOT_COVERED)

    def links(self) -> list[tuple[str, str]]:
        """(title, target) of each {doc} link in the last cell."""
        return [(m["title"].strip(), m["target"]) for m in DOC_LINK.finditer(self.taken_up_by)]

    def planned(self) -> list[str]:
        return [m["title"].strip() for m in PLANNED.finditer(self.taken_up_by)]


def map_rows(text: str, heading: str) -> list[MapRow]:
    """The body rows of the table in the section ``heading`` of the map."""
    lines = text.splitlines()
    assert heading in lines, f"book/prompt-map.md has no `{heading}` section"
    rows, start = [], lines.index(heading) + 1
    for number, line in enumerate(lines[start:], start=start + 1):
        if line.startswith("## "):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or set("".join(cells)) <= set("-: "):
            continue
        if cells[0] in ("Project", "Exercises"):  # the header row
            continue
        rows.append(MapRow(number, cells[0], cells[-1]))
    return rows


def row_problems(row: MapRow, headers: dict[str, ChapterHeader], claimed: set[str]) -> list[str]:
    """What is wrong with one row, given the chapters and the slugs whose headers claim it."""
    where = f"book/prompt-map.md:{row.line} ({row.key})"
    by_title = {h.title: h for h in headers.values()}
    problems = []
    linked = set()
    for title, target in row.links():
        match = CHAPTER_FILE.fullmatch(target)
        slug = match["slug"] if match else None
        if slug not in headers:
            problems.append(f"{where}: links {target}, which is not a chapter notebook")
            continue
        if title != headers[slug].title:
            problems.append(f"{where}: links {slug} as {title!r}; its title is "
                            f"{headers[slug].title!r}")  # fmt: skip
        linked.add(slug)
    planned = set()
    for title in row.planned():
        chapter = by_title.get(title)
        if chapter is None:
            continue  # a chapter with no notebook yet: nothing to check it against
        if chapter.in_book:
            problems.append(
                f"{where}: {title!r} is in _toc.yml now: link it as {{doc}}`{title} "
                f"<../solutions/{chapter.slug}/{chapter.slug}>` instead of '(in preparation)'"
            )
        planned.add(chapter.slug)
    if not row.covered:  # its links are references, not claims; no header may claim it
        linked, planned = set(), set()
    named = linked | planned
    if row.covered and not named and not row.planned():
        problems.append(f"{where}: name the chapters that take it up, or write "
                        f"'{NOT_COVERED}: <why>'")  # fmt: skip
    for slug in sorted(named - claimed):
        problems.append(
            f"{where}: the map gives it to {slug}, whose header does not name it: add it to the "
            f"header of solutions/{slug}/{slug}.ipynb, or take {slug} off this row"
        )
    for slug in sorted(claimed - named):
        chapter = headers[slug]
        how = (
            f"{{doc}}`{chapter.title} <../solutions/{slug}/{slug}>`"
            if chapter.in_book
            else f"*{chapter.title}* (in preparation)"
        )
        problems.append(
            f"{where}: the header of {slug} names it, the map does not: add {how}"
            + (f" in place of '{NOT_COVERED}'" if not row.covered else "")
        )
    return problems


def map_problems(text: str, chapters: list[ChapterHeader]) -> list[str]:
    """Every disagreement between the map's text and the chapters' headers."""
    headers = {h.slug: h for h in chapters}
    problems = []
    projects = map_rows(text, PROJECTS_HEADING)
    keys = [row.key for row in projects]
    wanted = [str(n) for n in range(1, PROJECT_COUNT + 1)]
    if keys != wanted:
        problems.append(
            f"book/prompt-map.md: the projects table must list projects 1 to {PROJECT_COUNT} once "
            f"each, in order; it lists {keys}"
        )
    for row in projects:
        claimed = {h.slug for h in chapters if row.key.isdigit() and int(row.key) in h.projects}
        problems += row_problems(row, headers, claimed)
    unknown = {n for h in chapters for n in h.projects} - set(range(1, PROJECT_COUNT + 1))
    if unknown:
        problems.append(f"chapter headers name projects {sorted(unknown)}, which do not exist")

    groups = map_rows(text, EXERCISES_HEADING)
    for row in groups:
        claimed = {h.slug for h in chapters if normalized(row.key) in h.exercise_groups}
        problems += row_problems(row, headers, claimed)
    listed = {normalized(row.key) for row in groups}
    for h in chapters:
        for group in sorted(h.exercise_groups - listed):
            problems.append(
                f"the header of {h.slug} names Ngo's {group} exercises, which have no row in "
                f"book/prompt-map.md's `{EXERCISES_HEADING}` table: add one"
            )
    return problems


# --- The real map -------------------------------------------------------------------------


def test_the_map_agrees_with_every_chapters_header():
    problems = map_problems(MAP.read_text(), chapter_headers())
    assert not problems, "\n".join(problems)


def test_the_headers_name_projects_as_the_chapters_write_them():
    """Catches a parser that reads less than the headers say."""
    named = {h.slug: set(h.projects) for h in chapter_headers()}
    assert named["memorization"] == {13}
    assert named["imitation-vs-offline-rl"] == {14, 16, 22}
    assert named["scaling-and-emergence"] == {19, 20, 25}
    assert named["reward-models"] == {17, 24}
    groups = {h.slug: h.exercise_groups for h in chapter_headers()}
    assert groups["reward-models"] == {"reward learning"}
    header = "Ngo's exercise on implicit search — how a search differs"
    assert {m["topic"] for m in EXERCISE_GROUP.finditer(header)} == {"implicit search"}


def test_projects_named_reads_lists_parentheses_and_slashes():
    header = (
        "**Answers:** Ngo projects 4 (a story, told (briefly)), 6 and 19/20 (what, if any) "
        "([Some conceptual alignment research projects](https://x), Ngo 2022); see project 9."
    )
    assert projects_named(header) == {4, 6, 19, 20, 9}
    assert projects_named("[Some conceptual alignment research projects](https://x)") == set()


# --- Doctored copies: each check can fail ---------------------------------------------------

WRITING_LINK = "{doc}`Writing projects <../solutions/writing-projects/writing-projects>`"


def doctored(old: str, new: str) -> list[str]:
    """The problems a copy of the map with ``old`` replaced by ``new`` has and the map has not
    (so that these tests prove the checks, whatever state the real map is in)."""
    text, chapters = MAP.read_text(), chapter_headers()
    assert old in text, f"the doctored test expects {old!r} in the map"
    before = set(map_problems(text, chapters))
    return [p for p in map_problems(text.replace(old, new, 1), chapters) if p not in before]


def test_a_project_the_header_names_but_the_map_leaves_out_is_caught():
    row = next(r for r in map_rows(MAP.read_text(), PROJECTS_HEADING) if r.key == "23")
    problems = doctored(row.taken_up_by, "Not covered: left out on purpose, for this test.")
    assert any("the header of writing-projects names it, the map does not" in p for p in problems)


def test_a_chapter_the_map_names_but_whose_header_does_not_is_caught():
    row = next(r for r in map_rows(MAP.read_text(), PROJECTS_HEADING) if r.key == "9")
    problems = doctored(row.taken_up_by, f"{row.taken_up_by}; {WRITING_LINK}")
    assert any("gives it to writing-projects, whose header does not name it" in p for p in problems)


def test_a_header_that_names_a_project_the_map_does_not_give_it_is_caught():
    chapters = [
        replace(h, projects=h.projects | {3}) if h.slug == "power-seeking" else h
        for h in chapter_headers()
    ]
    problems = map_problems(MAP.read_text(), chapters)
    assert any("(3): the header of power-seeking names it" in p for p in problems), problems


def test_a_link_to_a_missing_notebook_and_a_missing_project_are_caught():
    problems = doctored("../solutions/superposition/superposition", "../solutions/nope/nope")
    assert any("links solutions/nope/nope, which is not a chapter notebook" in p for p in problems)
    problems = doctored("| 26 | ", "| 27 | ")
    assert any("must list projects 1 to 26" in p for p in problems), problems


def test_a_chapter_in_the_book_listed_as_planned_is_caught():
    link = "{doc}`Gradient starvation <../solutions/gradient-starvation/gradient-starvation>`"
    problems = doctored(link, "*Gradient starvation* (in preparation)")
    assert any("'Gradient starvation' is in _toc.yml now" in p for p in problems), problems


def test_a_group_of_exercises_a_header_names_needs_its_row():
    problems = doctored("| Reward learning |", "| Reward modelling |")
    assert any("names Ngo's reward learning exercises, which have no row" in p for p in problems)
