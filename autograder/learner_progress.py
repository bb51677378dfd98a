"""``python -m autograder progress``: a self-study learner's progress across the course.

One row per chapter of the book, in ``_toc.yml`` order, from the latest self-check of each
(:mod:`autograder.self_check_log`); "not started" for chapters never checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from .book import book_chapters, chapter_title
from .course import Course
from .self_check_log import CheckRecord, Log, log_dir

NOT_STARTED = "not started"
TITLE_WIDTH = 32  # characters; longer titles are cut so that a row fits a terminal
CHECK_COMMAND = "python -m autograder check exercises/<slug>/<slug>.ipynb"


@dataclass(frozen=True)
class ProgressRow:
    """One chapter of the book and its latest self-check (None if never checked)."""

    number: int
    slug: str
    title: str
    latest: CheckRecord | None


def progress_rows(course: Course, log: Log) -> list[ProgressRow]:
    """The book's chapters that have a notebook, in book order, each with its latest check."""
    slugs = set(course.slugs())
    return [
        ProgressRow(c.number, c.slug, chapter_title(course, c.slug), log.latest.get(c.slug))
        for c in book_chapters(course)
        if c.slug in slugs
    ]


def shortened(title: str, width: int = TITLE_WIDTH) -> str:
    """``title`` if it fits in ``width`` characters, else cut at a word and ended with "…"."""
    if len(title) <= width:
        return title
    head = title[: width - 1]
    if title[width - 1] != " ":  # the cut falls inside a word: drop that word
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:") + "…"


def format_progress(rows: list[ProgressRow], log: Log) -> str:
    """The rows as a plain-text table, then totals and where the records are kept."""
    header = ("#", "chapter", "points", "written", "experiment", "checked")
    table = [header]
    for row in rows:
        r = row.latest
        if r is None:
            table.append((str(row.number), shortened(row.title), "", "", "", NOT_STARTED))
            continue
        written = (
            f"{r.written_left_empty} of {r.written_total} empty"
            if r.written_left_empty
            else "all written"
        )
        table.append(
            (
                str(row.number),
                shortened(row.title),
                f"{r.auto_earned:g} / {r.auto_possible:g}",
                written if r.written_total else "none",
                r.experiment,
                r.checked_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            )
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))

    checked = [row.latest for row in rows if row.latest is not None]
    earned = sum(r.auto_earned for r in checked)
    possible = sum(r.auto_possible for r in checked)
    lines.append("")
    if checked:
        lines.append(
            f"Checked {len(checked)} of {len(rows)} chapters: {earned:g} / {possible:g} "
            "autograded points in those."
        )
    else:
        lines.append(f"No chapter checked yet. Check one with: {CHECK_COMMAND}")
    for path, reason in log.unreadable.items():
        lines.append(f"warning: skipped {path}, which is not a readable self-check ({reason}).")
    lines.append(f"Self-checks are recorded in {log_dir()}.")
    return "\n".join(lines)
