"""The book really builds, warnings as errors, executing every solution notebook; each chapter
page shows its figures, collapses its solutions, hides its tests and links its exercise."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from chapter_notebook import ChapterNotebook, is_test

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
