"""A learner's Binder session, rebuilt on this machine and clicked through in a real browser.

One fresh virtual environment per test session, built from exactly the files Binder uses:
``binder/runtime.txt`` (the Python), ``binder/requirements.txt`` (the root pins) and
``binder/postBuild`` (the course package), on a copy of the repository as git would hand it to
Binder. One deliberate difference: this machine cannot reach download.pytorch.org, so the CPU
torch index line of binder/requirements.txt is left out here; torch==2.13.0 then comes from this
machine's own CPU wheel (pip's find-links), the same build Binder gets from that index.

JupyterLab is started from that environment and Chromium opens the chapter's Binder URL path,
opens the first exercise's hints one at a time, runs every cell and looks at what a learner sees:
the first stub's NotImplementedError, a visible test explaining a wrong answer, and, with the
solutions filled in, the whole chapter running with figures and the widget whose Run button
trains again. Screenshots go to _build/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import psutil
import pytest
from browser_helpers import (
    REPO,
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
    ChapterNotebook,
    is_autograded_answer,
    is_test,
    nbgrader,
    solved_exercise_notebook,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.slow

CHAPTER = "memorization"  # the quickest chapter to run end to end (about 45 s on one core)
CPU_INDEX_LINE = "--extra-index-url https://download.pytorch.org/whl/cpu"
BINDER_MEMORY_LIMIT_MB = 2048
# A plausible wrong answer to the chapter's first exercise: it forgets to corrupt anything.
WRONG_ANSWERS = {"corrupt_labels": "return y.clone(), torch.zeros_like(y, dtype=torch.bool)"}
STUB_BODY = "    # YOUR CODE HERE\n    raise NotImplementedError()"
RUN_TIMEOUT_S = 600


def run(cmd: list[str], *, what: str, timeout: float, **kwargs) -> subprocess.CompletedProcess:
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)
    print(f"{what}: {time.monotonic() - start:.0f} s")
    assert proc.returncode == 0, (
        f"{what} failed ({' '.join(map(str, cmd))}):\n{proc.stdout[-4000:]}{proc.stderr[-4000:]}"
    )
    return proc


def copy_as_binder_sees_it(dest: Path) -> Path:
    """The files Binder would clone: tracked and not-ignored files (uncommitted ones included,
    so a change is tested before it is committed). Without git, everything but build outputs."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout.split(b"\0")
        files = [REPO / name.decode() for name in listed if name]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".ruff_cache"}
        files = [p for p in REPO.rglob("*") if p.is_file() and not skip & set(p.parts)]
    for src in files:
        if src.is_file():
            target = dest / src.relative_to(REPO)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


@pytest.fixture(scope="session")
def binder_repo(tmp_path_factory) -> Path:
    return copy_as_binder_sees_it(tmp_path_factory.mktemp("binder") / "repo")


@pytest.fixture(scope="session")
def binder_venv(binder_repo, tmp_path_factory) -> Iterator[Path]:
    """A fresh environment built the way repo2docker builds Binder's; returns its bin/."""
    runtime = (binder_repo / "binder" / "runtime.txt").read_text().strip()
    base_python = Path(getattr(sys, "_base_executable", sys.executable))
    version = run([str(base_python), "--version"], what="base python", timeout=30).stdout
    assert version.startswith(f"Python {runtime.removeprefix('python-')}."), (
        f"binder/runtime.txt asks for {runtime}; this machine's Python is {version.strip()}"
    )
    venv = tmp_path_factory.mktemp("binder-venv") / "venv"
    run([str(base_python), "-m", "venv", str(venv)], what="python -m venv", timeout=120)

    binder = binder_repo / "binder"
    lines = (binder / "requirements.txt").read_text().splitlines()
    assert lines.count(CPU_INDEX_LINE) == 1, f"binder/requirements.txt lacks {CPU_INDEX_LINE}"
    offline = binder / "requirements-offline.txt"  # next to it, so -r ../ resolves the same way
    offline.write_text("\n".join(line for line in lines if line != CPU_INDEX_LINE) + "\n")
    print(f"installing {offline}: binder/requirements.txt without its {CPU_INDEX_LINE!r} line")
    bin_dir = venv / "bin"
    pip_env = {
        **_env(bin_dir),
        # If an index stops answering, fail within a minute, not after 5 retries of 180 s each
        # (this machine's PIP_DEFAULT_TIMEOUT).
        "PIP_DEFAULT_TIMEOUT": "20",
        "PIP_RETRIES": "2",
        "PIP_PROGRESS_BAR": "off",
        "PIP_NO_INPUT": "1",
    }
    run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-r", str(offline)],
        what="pip install -r binder/requirements.txt",
        timeout=1500,
        cwd=binder_repo,
        env=pip_env,
    )
    run(
        ["binder/postBuild"],
        what="binder/postBuild",
        timeout=600,
        cwd=binder_repo,
        env=pip_env,
    )
    yield bin_dir
    shutil.rmtree(venv, ignore_errors=True)  # 1.7 GB; pytest keeps its last three temp folders


def _env(bin_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["VIRTUAL_ENV"] = str(bin_dir.parent)
    env.update(extra)
    return env


class Lab:
    """JupyterLab from the Binder environment, serving the repository copy as Binder does."""

    def __init__(self, bin_dir: Path, root: Path, state: Path):
        self.port = free_port()
        self.token = uuid.uuid4().hex
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = state / "jupyterlab.log"
        env = _env(
            bin_dir,
            HOME=str(root),  # Binder's home is the repository
            JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),  # no layout from another test
            JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        )
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                [
                    str(bin_dir / "jupyter"),
                    "lab",
                    "--no-browser",
                    "--allow-root",
                    "--ip=127.0.0.1",
                    f"--port={self.port}",
                    f"--IdentityProvider.token={self.token}",
                    f"--ServerApp.root_dir={root}",
                ],
                cwd=root,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for_http(f"{self.base}/api/status?token={self.token}", self.proc, 120, self.log)

    def url(self, urlpath: str) -> str:
        return f"{self.base}/{urlpath}?token={self.token}"

    def kernel_peak_mb(self) -> float:
        """Largest peak resident memory (VmHWM) among this server's running kernels."""
        peaks = []
        for child in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    status = Path(f"/proc/{child.pid}/status").read_text()
                    peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024)
            except (psutil.Error, OSError):
                continue
        assert peaks, "found no running kernel of this JupyterLab to measure"
        return max(peaks)


@pytest.fixture
def lab(binder_venv, binder_repo, tmp_path):
    server = Lab(binder_venv, binder_repo, tmp_path)
    yield server
    stop(server.proc)


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def exercise_urlpath(slug: str) -> str:
    """The urlpath of the chapter's Binder badge, read from the exercise notebook's header."""
    exercise = REPO / "exercises" / slug / f"{slug}.ipynb"
    header = ChapterNotebook.read(exercise).cells[0].source
    assert binder_url(slug) in header, f"the header of {exercise.name} lacks its Binder link"
    return parse_qs(urlsplit(binder_url(slug)).query)["urlpath"][0]


# --- JupyterLab, seen from the page ---------------------------------------------------------

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
CELLS = f"{PANEL} .jp-Notebook .jp-Cell"

CELL_STATES = """cells => cells.map(cell => {
    const outputs = [...cell.querySelectorAll('.jp-OutputArea-output')];
    const text = outputs.map(o => o.textContent).join('\\n');
    return {
        code: cell.classList.contains('jp-CodeCell'),
        prompt: (cell.querySelector('.jp-InputPrompt')?.textContent || '').trim(),
        text: text,
        error: text.includes('Traceback (most recent call last)'),
        images: cell.querySelectorAll('.jp-OutputArea-output img').length,
        sliders: [...cell.querySelectorAll('.widget-slider')].map(
            s => s.querySelector('.widget-label')?.textContent || ''),
        buttons: [...cell.querySelectorAll('button.jupyter-button')].map(b => b.textContent),
        progress: cell.querySelectorAll('.widget-progress, .progress').length,
        widget_failures: /Error displaying widget|Loading widget|model not found/.test(text),
    };
})"""


def open_notebook(page, lab: Lab, urlpath: str, cell_count: int) -> None:
    page.goto(lab.url(urlpath))
    page.wait_for_selector(f"{PANEL} .jp-Notebook .jp-Cell", timeout=120_000)
    page.wait_for_selector(
        f"{PANEL} [data-jp-item-name=kernelName]:has-text('Python 3')", timeout=120_000
    )
    with_news = page.get_by_role("button", name="No", exact=True)
    if with_news.count() and with_news.first.is_visible():
        with_news.first.click()  # the "official Jupyter news?" question in the corner
    # JupyterLab attaches off-screen cells when the browser is idle ("defer" windowing mode);
    # the checks below read every cell, so wait until all of them are there.
    deadline = time.monotonic() + 60
    while (shown := page.locator(CELLS).count()) < cell_count and time.monotonic() < deadline:
        time.sleep(0.5)
    assert shown == cell_count, (
        f"JupyterLab shows {shown} cells of {urlpath}, the notebook has {cell_count}; if it now "
        "renders only the cells in view, these checks must scroll to each cell"
    )


def cell_states(page) -> list[dict]:
    return page.locator(CELLS).evaluate_all(CELL_STATES)


def wait_until_idle(page, timeout: float = RUN_TIMEOUT_S) -> list[dict]:
    """Wait until no cell is queued or running ([*]) and the kernel is idle, twice in a row."""
    deadline, calm = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        time.sleep(1)
        busy = any("*" in c["prompt"] for c in cell_states(page))
        status = page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator").first
        idle = status.get_attribute("data-status") == "idle"
        calm = calm + 1 if (idle and not busy) else 0
        if calm >= 2:
            return cell_states(page)
    pytest.fail(f"the notebook was still running after {timeout:.0f} s")


def run_all_cells(page) -> list[dict]:
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    return wait_until_idle(page)


def replace_cell_source(page, index: int, source: str) -> None:
    editor = page.locator(CELLS).nth(index).locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source)


def run_cell_and_the_next(page) -> list[dict]:
    """Shift+Enter twice: run the cell being edited, then the test cell below it."""
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    return wait_until_idle(page, timeout=120)


def shot(page, index: int, path: Path) -> None:
    cell = page.locator(CELLS).nth(index)
    cell.scroll_into_view_if_needed()
    cell.screenshot(path=path)


def readable(states: list[dict]) -> str:
    lines = [f"  cell {i} {s['prompt']} {s['text'][:300]!r}" for i, s in enumerate(states)]
    return "\n".join(line for line in lines if "[" in line)


# --- The environment ------------------------------------------------------------------------


def test_binder_files_alone_build_a_consistent_environment_with_the_course_installed(
    binder_venv, binder_repo
):
    python = str(binder_venv / "python")
    run([python, "-m", "pip", "check"], what="pip check", timeout=120)
    probe = run(
        [
            python,
            "-c",
            "import torch, alignment_lab, autograder.course as c; "
            "print(torch.__version__, torch.version.cuda, c.Course.default().root)",
        ],
        what="import the course",
        timeout=120,
        cwd="/",  # not the repository: the package must be installed, not found in the cwd
    ).stdout.split()
    assert probe[:2] == ["2.13.0+cpu", "None"], f"expected torch 2.13.0's CPU build, got {probe}"
    assert Path(probe[2]) == binder_repo, (
        f"the autograder finds the course at {probe[2]}, not in the repository {binder_repo}: "
        "postBuild must install the package editable"
    )
    extensions = run(
        [str(binder_venv / "jupyter"), "labextension", "list"],
        what="jupyter labextension list",
        timeout=120,
    )
    listing = re.sub(r"\x1b\[[\d;]*m", "", extensions.stdout + extensions.stderr)  # no colours
    assert re.search(r"@jupyter-widgets/jupyterlab-manager v[\d.]+ enabled OK", listing), (
        f"JupyterLab lacks the ipywidgets extension, so sliders would not render:\n{listing}"
    )


# --- The learner in JupyterLab --------------------------------------------------------------


def open_hints_one_at_a_time_in_lab(page, statement: int, shots: Path) -> None:
    """The exercise's statement shows its hints collapsed; each opens on its own when clicked."""
    hints = page.locator(CELLS).nth(statement).locator(".jp-RenderedMarkdown details")
    assert hints.count() >= 1, "the statement of the first exercise shows no collapsible hint"
    open_hints_one_at_a_time(hints, "JupyterLab")
    page.locator(CELLS).nth(statement).screenshot(path=shots / "0-hints-opened.png")


def test_learner_opening_the_binder_link_meets_the_first_stub_then_a_test_that_explains(
    lab, browser, course
):
    shots = screenshot_dir("binder-lab-exercise")
    exercise = ChapterNotebook.read(course.exercise_notebook(CHAPTER))
    source = ChapterNotebook.read(course.source_notebook(CHAPTER))
    first = next(i for i, c in enumerate(exercise.cells) if is_autograded_answer(c))
    test_cell = next(i for i in range(first + 1, len(exercise.cells)) if is_test(exercise.cells[i]))
    grade_id = nbgrader(exercise.cells[first])["grade_id"]
    assert STUB_BODY in exercise.cells[first].source, f"{grade_id}: the stub changed shape"

    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    log = watch(page, lab.base)
    open_notebook(page, lab, exercise_urlpath(CHAPTER), len(exercise.cells))
    open_hints_one_at_a_time_in_lab(page, first - 1, shots)
    states = run_all_cells(page)
    shot(page, test_cell, shots / "2-first-test-cell.png")
    page.screenshot(path=shots / "1-after-run-all.png")

    errors = [i for i, s in enumerate(states) if s["error"]]
    assert errors == [test_cell], (
        f"after Run All the only error should be in cell {test_cell}, the test under the first "
        f"stub ({grade_id}); errors in cells {errors}:\n{readable(states)}"
    )
    assert "NotImplementedError" in states[test_cell]["text"], (
        f"the first test should report the stub's NotImplementedError:\n"
        f"{states[test_cell]['text'][:1500]}"
    )

    wrong = exercise.cells[first].source.replace(STUB_BODY, "    " + WRONG_ANSWERS[grade_id])
    replace_cell_source(page, first, wrong)
    states = run_cell_and_the_next(page)
    shot(page, test_cell, shots / "3-wrong-answer-explained.png")
    report = states[test_cell]["text"]
    assert re.search(r"AssertionError: \S", report), (
        f"a wrong {grade_id} should fail its visible test with an explanation, got:\n"
        f"{report[:1500]}"
    )

    solution = next(c.source for c in source.cells if nbgrader(c).get("grade_id") == grade_id)
    replace_cell_source(page, first, solution)
    states = run_cell_and_the_next(page)
    shot(page, test_cell, shots / "4-solution-passes.png")
    assert not states[test_cell]["error"], (
        f"with the model solution typed in, the visible test of {grade_id} should pass:\n"
        f"{states[test_cell]['text'][:1500]}"
    )
    assert not log.real_console_errors() and not log.page_errors, (
        f"JupyterLab logged errors: {log.real_console_errors()} {log.page_errors}"
    )


def solved_copy(course, root: Path, slug: str) -> tuple[str, int]:
    """The exercise notebook with every autograded answer replaced by the model solution, as a
    learner who solved the chapter would have it. Returns its urlpath and cell count."""
    exercise = solved_exercise_notebook(course, slug)
    target = root / "solved" / slug / f"{slug}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(exercise, target)
    return f"lab/tree/solved/{slug}/{slug}.ipynb", len(exercise.cells)


def test_learner_with_solutions_runs_the_chapter_sees_figures_and_explores_with_the_widget(
    lab, browser, course, binder_repo
):
    shots = screenshot_dir("binder-lab-solved")
    urlpath, cell_count = solved_copy(course, binder_repo, CHAPTER)
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    log = watch(page, lab.base)
    open_notebook(page, lab, urlpath, cell_count)
    start = time.monotonic()
    states = run_all_cells(page)
    print(f"Run All Cells with solutions: {time.monotonic() - start:.0f} s")
    page.screenshot(path=shots / "1-after-run-all.png")

    errors = [i for i, s in enumerate(states) if s["error"]]
    assert not errors, f"cells {errors} raised with the solutions filled in:\n{readable(states)}"
    unrun = [
        i for i, s in enumerate(states) if s["code"] and not re.fullmatch(r"\[\d+\]:", s["prompt"])
    ]
    assert not unrun, f"Run All left cells {unrun} unexecuted:\n{readable(states)}"
    figures = sum(s["images"] for s in states)
    assert figures >= 2, f"expected the experiment's figures in the notebook, found {figures}"
    assert any(s["progress"] for s in states), "no progress bar rendered (tqdm.auto widgets)"
    broken = [i for i, s in enumerate(states) if s["widget_failures"]]
    assert not broken, f"widgets failed to render in cells {broken}:\n{readable(states)}"

    explore = [i for i, s in enumerate(states) if s["sliders"]]
    assert explore, "no slider rendered: the explore(...) widget is missing"
    widget = explore[-1]
    assert "Run" in states[widget]["buttons"], (
        f"the explore widget should show a Run button, shows {states[widget]['buttons']}"
    )
    shot(page, widget, shots / "2-widget.png")

    interact = page.locator(CELLS).nth(widget).locator(".widget-interact")
    output = interact.locator(".widget-output .jp-OutputArea-output")
    assert output.count() == 0, "the widget's own output area should be empty before Run"
    readout = interact.locator(".widget-readout").first
    before = readout.text_content()
    interact.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")  # one step up, as a learner moving the slider would
    assert readout.text_content() != before, f"the slider did not move from {before}"
    interact.locator("button.jupyter-button", has_text="Run").click()
    # A run started by the button is a widget message, not a cell execution: no [*] to wait on.
    try:
        interact.locator(".widget-output img").first.wait_for(timeout=300_000)
    except PlaywrightTimeout:
        pytest.fail(
            "pressing Run should train again and draw a figure under the button; the output "
            f"area shows: {interact.locator('.widget-output').text_content()[:1500]!r}"
        )
    states = cell_states(page)
    assert not states[widget]["error"], f"pressing Run raised:\n{states[widget]['text'][:1500]}"
    shot(page, widget, shots / "3-widget-after-run.png")

    peak = lab.kernel_peak_mb()
    print(f"peak kernel memory, {CHAPTER} with the widget run: {peak:.0f} MB")
    assert peak < BINDER_MEMORY_LIMIT_MB, (
        f"the {CHAPTER} kernel peaked at {peak:.0f} MB, over Binder's {BINDER_MEMORY_LIMIT_MB} MB"
    )
    assert not log.real_console_errors() and not log.page_errors, (
        f"JupyterLab logged errors: {log.real_console_errors()} {log.page_errors}"
    )
