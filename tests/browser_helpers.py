"""Driving Debian's headless Chromium with Playwright, and the local servers it talks to.

Never a downloaded browser (`playwright install` is not used): Playwright's Python package drives
/usr/bin/chromium, which `make` installs with apt when it is missing. Tests run offline: requests
to any other host than the local server are aborted at once and recorded, so a page that needs
the network is visible in the results and nothing waits on an unreachable CDN.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "_build" / "screenshots"

# Without these, Chromium stalls on this offline machine (component updates, first-run UI, GPU
# probing); --no-sandbox because tests may run as root.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_executable() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        pytest.fail(
            "Chromium is not installed: the browser tests drive Debian's /usr/bin/chromium. "
            "`make test` installs it (apt-get install chromium); or install it yourself."
        )
    return path


@contextlib.contextmanager
def chromium() -> Iterator:
    """A headless Chromium (Playwright ``Browser``) that is closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageLog:
    """What went wrong while a page was open: console errors, uncaught exceptions, bad responses,
    and the off-site requests that were blocked because the tests run offline."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def is_offsite(self, url: str) -> bool:
        return bool(url) and not url.startswith(self.origin) and not url.startswith("data:")

    def real_console_errors(self) -> list[str]:
        """Console errors, without the "Failed to load resource" lines of blocked requests."""
        return [
            message
            for message, location in self.console_errors
            if not (message.startswith("Failed to load resource") and self.is_offsite(location))
        ]


def watch(page, origin: str) -> PageLog:
    """Record ``page``'s errors, and abort its requests to any host but ``origin``."""
    log = PageLog(origin)

    def route(route):
        if log.is_offsite(route.request.url):
            log.blocked.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/*", route)
    page.on(
        "console",
        lambda msg: (
            log.console_errors.append((msg.text, msg.location.get("url", "")))
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda err: log.page_errors.append(str(err)))
    page.on(
        "response",
        lambda r: (
            log.bad_responses.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.url.startswith(origin)
            else None
        ),
    )
    return log


def screenshot_dir(name: str) -> Path:
    """A folder under _build/screenshots (ignored by git) for one test's screenshots."""
    folder = SCREENSHOTS / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    print(f"screenshots: {folder}")
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, proc: subprocess.Popen, timeout: float, log: Path | None = None):
    """Wait until ``url`` answers (any HTTP status); fail early if ``proc`` dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output = log.read_text()[-3000:] if log and log.exists() else ""
            pytest.fail(
                f"the server exited with code {proc.returncode} before {url} answered:\n{output}"
            )
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    """Stop a server this test started (only that process), politely then firmly."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def repository() -> tuple[str, str]:
    """("org/repo", branch) from _config.yml, the repository the book and Binder point at."""
    config = yaml.safe_load((REPO / "_config.yml").read_text())
    org_repo = config["repository"]["url"].removeprefix("https://github.com/").strip("/")
    return org_repo, config["repository"]["branch"]


def binder_url(slug: str) -> str:
    """The launch link of a chapter: JupyterLab on its exercise notebook, on mybinder.org."""
    org_repo, branch = repository()
    return (
        f"https://mybinder.org/v2/gh/{org_repo}/{branch}"
        f"?urlpath=lab/tree/exercises/{slug}/{slug}.ipynb"
    )


def same_site(url: str, origin: str) -> bool:
    return url.startswith(origin) or not urlsplit(url).netloc


def open_hints_one_at_a_time(hints, where: str) -> None:
    """Each ``<details>`` hint of the ``hints`` locator is closed, opens with a click to show a
    paragraph of text, and leaves the next hint closed. ``where`` names the page in messages."""
    for i in range(hints.count()):
        hint = hints.nth(i)
        body = hint.locator("p").first
        assert not hint.evaluate("d => d.open") and not body.is_visible(), (
            f"{where}: hint {i + 1} is open before anyone asks for it"
        )
        hint.locator("summary").click()
        assert hint.evaluate("d => d.open") and body.is_visible() and body.inner_text().strip(), (
            f"{where}: clicking hint {i + 1} did not show its text as a paragraph"
        )
        if i + 1 < hints.count():
            assert not hints.nth(i + 1).evaluate("d => d.open"), (
                f"{where}: opening hint {i + 1} also opened hint {i + 2}"
            )
