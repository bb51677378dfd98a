"""The results tables a chapter's Run section printed, collected across a cohort.

Each student's autograded notebook holds the outputs of the experiment run on their code. The
tables (``alignment_lab.reporting.show_table``'s HTML) are reduced to text, never shown as the
student's run wrote them, and grouped: students whose code is right get identical seeded
numbers, so each distinct version of a table is kept once, with whose runs printed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nbformat
from bs4 import BeautifulSoup

# How alignment_lab.reporting.Table's HTML begins (kept in step by a test; importing
# alignment_lab here would load torch for nothing). pandas' tables begin differently.
SHOW_TABLE_START = '<table class="dataframe">'
RUN_HEADING = "Run"

MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
"""A Markdown ATX heading line: group 1 is the hashes (the level), group 2 the title."""


@dataclass(frozen=True)
class MeasuredTable:
    """A results table as printed by ``alignment_lab.reporting.show_table``, reduced to text.

    Attributes:
        caption: the table's title, or empty.
        columns: the headers.
        rows: the values as shown, one tuple per row.
        right_aligned: per column, whether it holds numbers (shown right-aligned).
    """

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right_aligned: tuple[bool, ...]


@dataclass(frozen=True)
class Measurement:
    """One distinct version of a table and the students whose runs printed it."""

    table: MeasuredTable
    students: tuple[str, ...]


@dataclass(frozen=True)
class TableSlot:
    """One table of the chapter's Run section across the cohort.

    Attributes:
        name: the table's caption, or ``"Table N"`` (its place in the run) when it has none.
        measurements: each distinct version once, the most common first.
        missing: students with an autograded notebook whose run did not print this table.
    """

    name: str
    measurements: tuple[Measurement, ...]
    missing: tuple[str, ...]


def run_section_tables(notebook: nbformat.NotebookNode) -> list[MeasuredTable]:
    """The results tables (``show_table``'s HTML outputs) printed by the code cells of the
    notebook's Run section: from its ``## Run`` heading to the next heading of level 1 or 2."""
    tables, inside = [], False
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                match = MARKDOWN_HEADING.match(line)
                if match and len(match[1]) <= 2:
                    inside = match[2] == RUN_HEADING
            continue
        if not inside or cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            shown = output.get("data", {}).get("text/html")
            shown = "".join(shown) if isinstance(shown, list) else shown
            if isinstance(shown, str) and shown.lstrip().startswith(SHOW_TABLE_START):
                tables.append(parse_table(shown))
    return tables


def parse_table(markup: str) -> MeasuredTable:
    """A ``show_table`` HTML table reduced to its text (the HTML, written by the student's
    run, is never shown as it is)."""
    table = BeautifulSoup(markup, "html.parser").find("table")
    headers = table.find_all("th")
    rows = []
    for tr in table.find_all("tr"):
        cells = tr.find_all("td")
        if cells:
            rows.append(tuple(td.get_text(" ", strip=True) for td in cells))
    return MeasuredTable(
        caption=table.caption.get_text(" ", strip=True) if table.caption else "",
        columns=tuple(th.get_text(" ", strip=True) for th in headers),
        rows=tuple(rows),
        right_aligned=tuple("text-align: right" in (th.get("style") or "") for th in headers),
    )


def measured_tables(runs: list[tuple[str, list[MeasuredTable]]]) -> tuple[TableSlot, ...]:
    """Group each student's Run tables by table (its caption, or its place in the run) and, per
    table, by identical content: each distinct version once, with the students who got it.

    ``runs`` holds (student label, that student's tables in printed order).
    """
    slots: dict[str, dict[MeasuredTable, list[str]]] = {}
    for student, tables in runs:
        for place, table in enumerate(tables, start=1):
            name = table.caption or f"Table {place}"
            slots.setdefault(name, {}).setdefault(table, []).append(student)
    result = []
    for name, versions in slots.items():
        seen = {s for students in versions.values() for s in students}
        measurements = sorted(versions.items(), key=lambda item: -len(item[1]))
        result.append(
            TableSlot(
                name,
                tuple(Measurement(table, tuple(students)) for table, students in measurements),
                tuple(student for student, _ in runs if student not in seen),
            )
        )
    return tuple(result)
