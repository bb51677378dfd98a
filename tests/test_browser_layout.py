"""Chapter pages read without horizontal scrolling: in a 1280 x 900 window, no code cell's input
or output and no table is wider than the book's column.

Measured in headless Chromium on the built book (tests/test_browser_book.py's fixtures): every
element of a code cell, every table and the boxes around a table must not be wider inside than
they are on the page (``scrollWidth`` against ``clientWidth``), and the page itself must not
scroll sideways. Collapsed solutions are opened first: closed, they have no width to measure.
At 1280 px the code column holds 77 characters of code (75 in a collapsed solution), so chapter
code is broken at 74.
"""

from __future__ import annotations

import pytest
from browser_helpers import screenshot_dir, watch
from test_browser_book import browser as browser  # noqa: F401  (its fixtures, reused)
from test_browser_book import chapter_url, open_page
from test_browser_book import site as site  # noqa: F401
from test_course_book import html as html  # noqa: F401  (the book build, reused)

from autograder.course import WRITING

pytestmark = pytest.mark.slow

WINDOW = {"width": 1280, "height": 900}

# Every element that scrolls sideways (or spills over) although it should not, innermost first,
# with the first line of text that reaches past its right edge.
OVERFLOWS = """() => {
    const article = document.querySelector('article') || document.body;
    const watched = new Set(article.querySelectorAll('.cell, .cell *, table, table *'));
    for (const table of article.querySelectorAll('table')) {
        for (let box = table.parentElement; box && box !== article; box = box.parentElement) {
            watched.add(box);
        }
    }
    const wide = [...watched].filter(
        e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1);
    const innermost = wide.filter(e => !wide.some(other => other !== e && e.contains(other)));
    const cells = [...article.querySelectorAll('.cell')];

    function firstLinePastTheEdge(element) {
        const style = getComputedStyle(element);
        const edge = element.getBoundingClientRect().left + element.clientLeft
            + element.clientWidth - parseFloat(style.paddingRight);
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        while (walker.nextNode()) {
            const node = walker.currentNode;
            let start = 0;
            for (const segment of node.textContent.split('\\n')) {
                const end = start + segment.length;
                range.setStart(node, start);
                range.setEnd(node, end);
                const past = [...range.getClientRects()].some(r => r.right > edge + 1);
                if (segment.trim() && past) {
                    const tableCell = node.parentElement.closest('td, th');
                    if (tableCell && element.contains(tableCell)) {
                        return 'table cell: ' + tableCell.textContent.trim();
                    }
                    range.setStart(element, 0);
                    range.setEnd(node, start);
                    const before = range.toString().split('\\n').pop();
                    range.setStart(node, start);
                    range.setEnd(element, element.childNodes.length);
                    return before + range.toString().split('\\n')[0];
                }
                start = end + 1;
            }
        }
        return (element.innerText || '').trim().split('\\n')[0];
    }

    function where(element) {
        const cell = element.closest('.cell');
        if (!cell) return 'a table in the prose';
        const part = element.closest('.cell_output') ? 'output' : 'input';
        const code = (cell.querySelector('.cell_input pre')?.textContent || '').trim();
        return `the ${part} of code cell ${cells.indexOf(cell) + 1} `
            + `(which starts "${code.split('\\n')[0]}")`;
    }

    const found = innermost.map(e => ({
        element: e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join(''),
        where: where(e),
        content: e.scrollWidth,
        shown: e.clientWidth,
        line: firstLinePastTheEdge(e),
    }));
    const page = document.scrollingElement;
    if (page.scrollWidth > page.clientWidth + 1) {
        found.push({element: 'the page', where: 'the window', content: page.scrollWidth,
                    shown: page.clientWidth, line: ''});
    }
    return {
        found: found,
        code_inputs: article.querySelectorAll('.cell_input pre').length,
        tables: article.querySelectorAll('table').length,
    };
}"""


def describe(overflow: dict) -> str:
    return (
        f"{overflow['element']} in {overflow['where']} is {overflow['content']} px wide inside, "
        f"{overflow['shown']} px on the page; first line past the edge: {overflow['line']!r}"
    )


@pytest.fixture
def page(browser, site):
    """A 1280 x 900 browser page of its own, offline like every browser test."""
    context = browser.new_context(viewport=WINDOW)
    page = context.new_page()
    watch(page, site)
    yield page
    context.close()


def open_chapter(page, site: str, slug: str) -> None:
    """The chapter page with every collapsed block (solutions, hints) open, fonts loaded."""
    open_page(page, chapter_url(site, slug))
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.evaluate("() => document.fonts.ready.then(() => true)")


def overflows(page) -> dict:
    return page.evaluate(OVERFLOWS)


def test_no_code_cell_or_table_of_a_chapter_page_needs_horizontal_scrolling(
    page, site, course, slug
):
    """Catches a code line, a printed line or a table too wide for the book's column."""
    open_chapter(page, site, slug)
    page.screenshot(path=screenshot_dir(f"layout-{slug}") / "opened.png", full_page=True)
    result = overflows(page)
    if course.chapter_kind(slug) == WRITING:  # no code on the page; its rubrics are tables
        assert result["tables"] > 0, f"{slug}.html: no rubric table found: nothing was measured"
    else:
        assert result["code_inputs"] > 0, (
            f"{slug}.html: no code cell found ('.cell_input pre'): the check would prove "
            "nothing; has the theme renamed its classes?"
        )
    problems = [describe(o) for o in result["found"]]
    assert not problems, (
        f"{slug}.html needs horizontal scrolling at {WINDOW['width']} px:\n"
        + "\n".join(problems[:10])
        + "\nBreak code lines at 74 characters, print shorter lines, show results with "
        "alignment_lab.reporting.show_table, and split a table that is still too wide."
    )


def test_the_check_finds_a_code_line_and_a_table_too_wide_for_the_column(page, site, course):
    """Catches a check that passes because it measures nothing (renamed classes, closed
    solutions, a selector that matches no scrolling element)."""
    slug = course.slugs()[0]
    open_chapter(page, site, slug)
    long_line = "too_wide = [" + ", ".join(str(i) for i in range(40)) + "]"
    page.evaluate(
        """line => {
            const solution = document.querySelector('.cell.tag_hide-input .cell_input pre');
            solution.append('\\n' + line);
            const output = document.querySelector('.cell_output');
            const table = document.createElement('table');
            table.innerHTML = '<tr>' + '<td style="white-space: nowrap">0.123456789</td>'
                .repeat(12) + '</tr>';
            output.append(table);
        }""",
        long_line,
    )
    found = overflows(page)["found"]
    lines = [o["line"] for o in found]
    assert long_line in lines, f"the line added to a solution was not reported: {found}"
    assert "table cell: 0.123456789" in lines, f"the table added was not reported: {found}"
    assert any("code cell" in o["where"] and o["element"].startswith("pre") for o in found)
