"""The book's chapters in ``_toc.yml`` order, numbered as the book numbers them.

The book gives one number per chapter of a ``numbered`` part, running on from one numbered part
to the next (Jupyter Book's multitoc numbering); part introductions sit in unnumbered parts and
take none. A part without a caption belongs to the captioned part before it: the course puts
each part's introduction in a captioned, unnumbered part and its chapters in the numbered one
that follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from .course import Course

TOC_FILE = "_toc.yml"
CHAPTER_FILE = re.compile(r"solutions/(?P<slug>[^/]+)/(?P=slug)")


@dataclass(frozen=True)
class BookChapter:
    """A numbered entry of ``_toc.yml``: its number in the book, its file, the part it is in."""

    number: int
    file: str
    part: str

    @property
    def slug(self) -> str | None:
        """The chapter's slug when the entry is a chapter notebook, else None."""
        match = CHAPTER_FILE.fullmatch(self.file)
        return match["slug"] if match else None


def book_chapters(course: Course) -> list[BookChapter]:
    """The numbered entries of the course's ``_toc.yml``, in book order.

    Raises ``ValueError`` when the file is missing or is not a ``jb-book`` table of contents
    with ``parts``.
    """
    path = Path(course.root) / TOC_FILE
    if not path.is_file():
        raise ValueError(f"{course.root} has no {TOC_FILE}: the book's chapters are listed there.")
    toc = yaml.safe_load(path.read_text())
    if not isinstance(toc, dict) or toc.get("format") != "jb-book" or "parts" not in toc:
        raise ValueError(
            f"{path} is not a Jupyter Book `jb-book` table of contents with `parts`; the course "
            "reads its chapters from one."
        )
    chapters, caption = [], ""
    for part in toc["parts"]:
        caption = part.get("caption", caption)
        if part.get("numbered"):
            for entry in part.get("chapters", []):
                chapters.append(BookChapter(len(chapters) + 1, entry["file"], caption))
    return chapters


def chapter_title(course: Course, slug: str) -> str:
    """A chapter's title: the level-1 heading that opens its source notebook."""
    notebook = nbformat.read(course.source_notebook(slug), as_version=4)
    return notebook.cells[0].source.splitlines()[0].removeprefix("# ").strip()
