"""The book really builds, warnings as errors, executing every solution notebook; each chapter
page shows its figures, collapses its solutions, hides its tests, links its exercise and carries
the number the introduction's map gives it; MathJax is served from the book's own files."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from chapter_notebook import ChapterNotebook, is_test, is_written_answer
from test_book_map import book_chapter

from autograder.course import WRITING

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def html(course) -> Path:
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    proc = subprocess.run(
        [str(jupyter_book), "build", str(course.root), "-W", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=course.root,
    )
    assert proc.returncode == 0, (
        f"the book failed to build:\n{proc.stdout[-6000:]}{proc.stderr[-3000:]}"
    )
    return course.root / "_build" / "html"


def hidden_test_lines(course, slug) -> list[str]:
    lines = []
    for cell in ChapterNotebook.read(course.source_notebook(slug)).cells:
        if is_test(cell) and "### BEGIN HIDDEN TESTS" in cell.source:
            block = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            lines += [line.strip() for line in block.splitlines() if len(line.strip()) > 20]
    return lines


def test_the_book_has_its_landing_page(html):
    assert (html / "index.html").is_file()
    assert (html / "book" / "intro.html").is_file()


def test_chapter_page_shows_figures_and_collapsed_solutions(course, slug, html):
    page = (html / "solutions" / slug / f"{slug}.html").read_text()
    if course.chapter_kind(slug) == WRITING:  # no experiment: no figures, no solution code
        source = ChapterNotebook.read(course.source_notebook(slug))
        missing = [h for h in source.headings() if h not in page]
        assert not missing, f"{slug}: sections missing from the page: {missing}"
        answers = sum(is_written_answer(c) for c in source.cells)
        assert page.count('class="dropdown admonition"') == answers, (
            f"{slug}: each of its {answers} model answers must sit behind a toggle"
        )
        assert "Traceback" not in page, "a cell printed an error on the chapter page"
        return
    figures = re.findall(r'<img[^>]+src="[^"]*_images/[^"]+\.png"', page)
    assert len(figures) >= 2, f"expected the experiment's figures on the page, found {len(figures)}"
    assert "tag_hide-input" in page, "solution cells must be collapsed behind a toggle"
    assert "Traceback" not in page, "a cell printed an error on the chapter page"


def test_chapter_page_hides_grading_tests(course, slug, html):
    page = (html / "solutions" / slug / f"{slug}.html").read_text()
    assert "BEGIN HIDDEN TESTS" not in page
    leaked = [line for line in hidden_test_lines(course, slug) if line in page]
    assert not leaked, f"hidden tests visible on the page: {leaked[:3]}"


def test_chapter_page_links_its_exercise_on_binder(course, slug, html):
    page = (html / "solutions" / slug / f"{slug}.html").read_text()
    config = yaml.safe_load((course.root / "_config.yml").read_text())
    org_repo = config["repository"]["url"].removeprefix("https://github.com/")
    assert f"mybinder.org/v2/gh/{org_repo}/" in page
    assert f"urlpath=lab/tree/exercises/{slug}/{slug}.ipynb" in page


def test_chapter_page_carries_the_number_its_place_in_the_toc_gives_it(slug, html):
    """Catches tests/test_book_map.py numbering chapters otherwise than Jupyter Book does."""
    page = (html / "solutions" / slug / f"{slug}.html").read_text()
    shown = re.search(r'<h1><span class="section-number">(\d+)\. </span>', page)
    expected = book_chapter(slug).number
    assert shown, f"{slug}: the page title shows no chapter number; expected {expected}"
    assert int(shown[1]) == expected, (
        f"{slug}: the book numbers the chapter {shown[1]}, tests/test_book_map.py expects "
        f"{expected}: bring autograder/book.py's book_chapters() in line with Jupyter Book"
    )


MATHJAX_SCRIPT = re.compile(r'<script[^>]+src="([^"]*mathjax[^"]*)"', re.I)


def test_the_book_serves_mathjax_from_its_own_files(html):
    """Catches MathJax loaded from a CDN (no equations offline) or a script the build left out."""
    pages = sorted(html.rglob("*.html"))
    with_maths = [p for p in pages if 'class="math' in p.read_text()]
    assert with_maths, "no page of the book has maths: the check below would prove nothing"
    for page in pages:
        text = page.read_text()
        sources = MATHJAX_SCRIPT.findall(text)
        name = page.relative_to(html)
        if page in with_maths:
            assert sources, f"{name} has maths but loads no MathJax"
        for src in sources:
            assert "//" not in src, (
                f"{name} loads MathJax from {src}: serve it from the book "
                "(sphinx-mathjax-offline in _config.yml's sphinx.extra_extensions)"
            )
            assert (page.parent / src.split("?")[0]).is_file(), (
                f"{name} loads {src}, which the build did not copy into _build/html"
            )
