"""The built book, served locally and read in headless Chromium as a reader would.

The book is the one tests/test_course_book.py builds (its ``html`` fixture; a second, cached
build of an unchanged book takes seconds). Every chapter page loads without console errors,
shows its figures, keeps its solutions and hints collapsed until clicked, links its exercise on
Binder, is found by the site search, and shows its equations typeset by MathJax; every same-site
link resolves.

Offline by design: requests to other hosts (require.js and the ipywidgets embedder from CDNs, the
Binder badge image) are aborted and listed, and their "Failed to load resource" lines are not
counted as console errors. MathJax is not among them: the book serves its own copy. Everything
else the console reports is, except the third-party errors in KNOWN_THIRD_PARTY_ERRORS, matched
exactly, each with its cause.
"""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections import deque
from urllib.parse import urldefrag, urljoin

import pytest
from browser_helpers import (
    binder_url,
    chromium,
    free_port,
    open_hints_one_at_a_time,
    screenshot_dir,
    stop,
    wait_for_http,
    watch,
)
from chapter_notebook import (
    HINT,
    ChapterNotebook,
    exercise_statement,
    is_autograded_answer,
    is_written_answer,
)
from test_course_book import html as html  # noqa: F401  (the book build, reused)

from autograder.course import WRITING

pytestmark = pytest.mark.slow

KNOWN_THIRD_PARTY_ERRORS = {
    # Sphinx 7.4 with sphinx-thebe 0.3.1 (both held there by Jupyter Book 1) writes sphinx-thebe's
    # inline configuration script twice into every page; the second copy redeclares a `const`
    # and throws. The first copy already set the same values, and the book does not use thebe.
    "Identifier 'THEBE_JS_URL' has already been declared": "page error",
}


@pytest.fixture(scope="module")
def site(html):
    """The built HTML on a local port (python -m http.server); yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=html,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for_http(f"{base}/index.html", proc, 30)
    yield base
    stop(proc)


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def reader(browser, site):
    """A fresh browser page (no stored state) and the log of what went wrong on it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log = watch(page, site)
    yield page, log
    context.close()


def chapter_url(site: str, slug: str) -> str:
    return f"{site}/solutions/{slug}/{slug}.html"


def open_page(page, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, f"{url} answered {response}"


def errors_on(log) -> list[str]:
    errors = [*log.real_console_errors(), *log.page_errors]
    return [e for e in errors if e not in KNOWN_THIRD_PARTY_ERRORS]


def test_every_chapter_page_loads_in_the_browser_without_console_errors(reader, site, slug):
    page, log = reader
    open_page(page, chapter_url(site, slug))
    page.wait_for_timeout(500)  # let deferred scripts run and report
    page.screenshot(path=screenshot_dir(f"book-{slug}") / "page.png", full_page=True)
    print(f"blocked off-site requests (offline): {sorted(set(log.blocked))}")
    assert not errors_on(log), f"{slug}: the browser console reports {errors_on(log)}"
    assert not log.bad_responses, f"{slug}: same-site requests failed: {log.bad_responses}"


def test_chapter_page_shows_its_figures_in_the_browser(reader, site, course, slug):
    page, _ = reader
    open_page(page, chapter_url(site, slug))
    figures = page.locator(".cell_output img").evaluate_all(
        "imgs => imgs.map(i => ({src: i.getAttribute('src'), ok: i.naturalWidth > 0}))"
    )
    if course.chapter_kind(slug) == WRITING:  # written assignments: no experiment to plot
        assert not figures, f"{slug}: a writing chapter runs nothing, yet shows {figures}"
        return
    assert len(figures) >= 2, f"{slug}: expected the experiment's figures, found {len(figures)}"
    broken = [f["src"] for f in figures if not f["ok"]]
    assert not broken, f"{slug}: figures that did not load: {broken}"


def model_answers_are_collapsed_until_opened(page, course, slug: str) -> None:
    """A writing chapter's solutions are its model answers: each a dropdown, closed at first."""
    cells = ChapterNotebook.read(course.source_notebook(slug)).cells
    answers = page.locator(".dropdown.admonition")
    expected = sum(is_written_answer(c) for c in cells)
    assert answers.count() == expected, (
        f"{slug}: {expected} model answers, {answers.count()} collapsible ones on the page"
    )
    for i in range(expected):
        box = answers.nth(i)
        body = box.locator(":scope > :not(.admonition-title)").first
        assert not body.is_visible(), f"{slug}: model answer {i + 1} is shown before it is asked"
        box.locator(".admonition-title").click()
        assert body.is_visible() and "Rubric" in box.inner_text(), (
            f"{slug}: clicking model answer {i + 1} did not show it with its rubric"
        )


def test_solutions_are_collapsed_until_the_reader_opens_them(reader, site, course, slug):
    page, _ = reader
    open_page(page, chapter_url(site, slug))
    if course.chapter_kind(slug) == WRITING:
        model_answers_are_collapsed_until_opened(page, course, slug)
        return
    toggles = page.locator(".cell.tag_hide-input details")
    assert toggles.count() >= 1, f"{slug}: no collapsed solution cell (tag hide-input) found"
    for i in range(toggles.count()):
        toggle = toggles.nth(i)
        code = toggle.locator(".cell_input")
        assert not toggle.evaluate("d => d.open") and not code.is_visible(), (
            f"{slug}: solution {i + 1} is shown before the reader asks for it"
        )
        toggle.locator("summary").click()
        assert toggle.evaluate("d => d.open") and code.is_visible(), (
            f"{slug}: clicking 'Show code cell source' did not reveal solution {i + 1}"
        )
        assert code.inner_text().strip(), f"{slug}: solution {i + 1} opened empty"


# Waits for MathJax's first typesetting pass and its fonts, then reports what it made of the
# page's maths (Sphinx puts each equation in a span.math, or a div.math when displayed) and the
# page's prose with code, scripts and typeset maths taken out, where no TeX should be left.
TYPESET_MATHS = """async () => {
    if (!window.MathJax || !window.MathJax.startup) return null;
    await MathJax.startup.promise;
    await document.fonts.ready;
    const maths = [...document.querySelectorAll('main .math')];
    const tex = m => m.textContent.trim().slice(0, 80);
    const prose = document.querySelector('main').cloneNode(true);
    prose.querySelectorAll('pre, code, script, style, mjx-container').forEach(e => e.remove());
    return {
        version: MathJax.version,
        equations: maths.length,
        displayed: maths.filter(m => m.matches('div')).length,
        untypeset: maths.filter(m => !m.querySelector('mjx-container')).map(tex),
        not_displayed: maths
            .filter(m => m.matches('div') && !m.querySelector('mjx-container[display="true"]'))
            .map(tex),
        tex_errors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent),
        prose: prose.textContent,
    };
}"""

# TeX a reader would see as source: delimiters, a command, or $...$ that no parser took as maths.
RAW_TEX = re.compile(r"\$\$|\\[(\[]|\\[A-Za-z]+|\$[^$\s][^$\n]*?\$")


def test_chapter_page_typesets_its_equations_offline(reader, site, slug):
    page, log = reader
    open_page(page, chapter_url(site, slug))
    maths = page.evaluate(TYPESET_MATHS)
    offsite = [url for url in log.blocked if "mathjax" in url.lower()]
    assert maths is not None, (
        f"{slug}: MathJax did not start (off-site MathJax requests: {offsite}); the book must "
        "serve it itself (sphinx-mathjax-offline in _config.yml's sphinx.extra_extensions)"
    )
    assert not offsite, f"{slug}: MathJax asked another host for {offsite}"
    assert not log.bad_responses, f"{slug}: MathJax's files failed to load: {log.bad_responses}"
    print(f"{slug}: MathJax {maths['version']}, {maths['equations']} equations")
    assert not maths["untypeset"], f"{slug}: equations left as TeX: {maths['untypeset'][:5]}"
    assert not maths["not_displayed"], (
        f"{slug}: display equations typeset inline: {maths['not_displayed'][:5]}"
    )
    assert not maths["tex_errors"], f"{slug}: MathJax could not typeset {maths['tex_errors'][:5]}"
    raw = [m.group() for m in RAW_TEX.finditer(maths["prose"])]
    assert not raw, (
        f"{slug}: the page shows TeX source outside any equation: {raw[:5]}. Maths inside raw "
        "HTML (a <summary>, say) is not parsed: write it in words or Unicode there"
    )
    if maths["displayed"]:
        shot = screenshot_dir(f"maths-{slug}") / "first-display-equation.png"
        page.locator("main div.math").first.screenshot(path=shot)


def hint_count(course, slug: str) -> int:
    cells = ChapterNotebook.read(course.source_notebook(slug)).cells
    return sum(
        len(HINT.findall(exercise_statement(cells, i)))
        for i, c in enumerate(cells)
        if is_autograded_answer(c)
    )


def test_hints_stay_collapsed_and_open_one_at_a_time(reader, site, course, slug):
    page, _ = reader
    open_page(page, chapter_url(site, slug))
    hints = page.locator("details", has=page.locator("summary", has_text=re.compile(r"^\s*Hint")))
    expected = hint_count(course, slug)
    assert hints.count() == expected, (
        f"{slug}: the source has {expected} hints, the page shows {hints.count()} collapsible ones"
    )
    open_hints_one_at_a_time(hints, slug)
    page.screenshot(path=screenshot_dir(f"book-{slug}") / "hints-open.png", full_page=True)


def test_chapter_page_links_exactly_its_exercise_on_binder(reader, site, slug):
    page, _ = reader
    open_page(page, chapter_url(site, slug))
    links = page.locator("a[href*='mybinder.org']")
    hrefs = links.evaluate_all("links => links.map(a => a.href)")
    assert hrefs == [binder_url(slug)], (
        f"{slug}: the page's Binder links must all open exercises/{slug}/{slug}.ipynb in "
        f"JupyterLab ({binder_url(slug)}), found {hrefs}"
    )
    assert links.first.is_visible(), f"{slug}: the Binder link is not visible on the page"


def chapter_search_word(course, slug: str) -> str:
    """The longest word of the chapter's title that no other chapter's title contains."""

    def title_words(s: str) -> set[str]:
        title = ChapterNotebook.read(course.source_notebook(s)).cells[0].source.splitlines()[0]
        return {w.lower() for w in re.findall(r"[A-Za-z]{5,}", title)}

    others = set().union(*(title_words(s) for s in course.slugs() if s != slug))
    words = sorted(title_words(slug) - others, key=len, reverse=True)
    assert words, f"{slug}: its title has no word of five letters or more of its own to search"
    return words[0]


def test_site_search_finds_each_chapter_by_a_word_from_its_title(reader, site, course, slug):
    page, log = reader
    word = chapter_search_word(course, slug)
    open_page(page, f"{site}/search.html?q={word}")
    page.wait_for_selector("#search-results .search-summary", timeout=30_000)
    results = page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.href)"
    )
    page.screenshot(path=screenshot_dir(f"search-{slug}") / "results.png")
    assert chapter_url(site, slug) in results, (
        f"searching for {word!r} should list the chapter page {slug}.html, listed {results}"
    )
    assert not errors_on(log), f"the search page's console reports {errors_on(log)}"


LINKS_AND_IDS = """() => ({
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    ids: [...document.querySelectorAll('[id]')].map(e => e.id),
})"""


def test_every_same_site_link_in_the_book_resolves(reader, site):
    page, log = reader
    pages, ids, sources = {}, {}, {}
    queue = deque([f"{site}/index.html"])
    while queue:
        url = queue.popleft()
        if url in pages:
            continue
        raw = urllib.request.urlopen(url, timeout=10).read().decode()
        refresh = re.search(r'http-equiv="Refresh" content="\d+;\s*url=([^"]+)"', raw, re.I)
        if refresh:  # index.html only forwards to the root page
            found = {"links": [urljoin(url, refresh[1])], "ids": []}
        else:
            open_page(page, url)
            found = page.evaluate(LINKS_AND_IDS)
        pages[url], ids[url] = found["links"], set(found["ids"])
        for link in found["links"]:
            target, _ = urldefrag(link)
            if target.startswith(site):
                sources.setdefault(target, url)
                if target.endswith(".html") and target not in pages:
                    queue.append(target)
    assert f"{site}/solutions/" in " ".join(pages), "the crawl never reached a chapter page"

    broken = []
    for target, source in sorted(sources.items()):
        if target in pages:
            continue
        try:
            urllib.request.urlopen(target, timeout=10)
        except urllib.error.HTTPError as err:
            broken.append(f"{target} ({err.code}, linked from {source})")
    missing_anchors = [
        f"{link} (from {url})"
        for url, links in pages.items()
        for link in links
        if link.startswith(site)
        and "#" in link
        and urldefrag(link)[0] in ids
        and urldefrag(link)[1]
        and urldefrag(link)[1] not in ids[urldefrag(link)[0]]
    ]
    print(f"checked {len(sources)} same-site targets from {len(pages)} pages")
    assert not broken, f"same-site links that do not resolve: {broken}"
    assert not missing_anchors, f"links to anchors that do not exist: {missing_anchors[:10]}"
    assert not log.bad_responses, f"same-site requests failed: {log.bad_responses}"
