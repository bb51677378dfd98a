"""Each student's feedback, written by nbgrader's own ``generate_feedback`` in a process of its
own, so that rendering one student's HTML never holds up scoring the next.

The renderer (``python -m autograder.feedback``: on stdin, the course and gradebook as one JSON
line, never on the command line where ``ps`` shows a password, then one ``<slug> <student>`` per
render; on stdout, one JSON line per render done) starts and warms up while the first notebook
executes; a render then costs about half a second of its own processor time and none of the
grader's. Closing it waits for every render asked for, after Ctrl-C too: the renderer ignores
the interrupt, and each render is short. What is still missing after a run that was killed, or
whose render failed, the next run finds (:func:`stale_feedback`) and renders.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import warnings
from pathlib import Path

from .course import Course

__all__ = ["FeedbackRenderer", "feedback_file", "stale_feedback"]


def feedback_file(course: Course, slug: str, student: str) -> Path:
    """Where nbgrader writes ``student``'s feedback for chapter ``slug``."""
    return course.root / "feedback" / student / slug / f"{slug}.html"


def stale_feedback(course: Course, slug: str, student: str) -> bool:
    """Whether ``student``'s scored notebook has no feedback yet, or only one older than itself
    (a re-grade interrupted before its feedback was written)."""
    graded = course.root / "autograded" / student / slug / f"{slug}.ipynb"
    feedback = feedback_file(course, slug, student)
    if not graded.is_file():
        return False
    return not feedback.is_file() or feedback.stat().st_mtime < graded.stat().st_mtime


class FeedbackRenderer:
    """Renders feedback for one chapter in a separate process, in the order asked.

    Use as a context manager. :meth:`render` asks for one student's feedback and returns at
    once; :meth:`finished` collects the renders done so far; leaving the context waits for every
    render asked for.

    Args:
        course: the course (its root holds ``autograded/`` and receives ``feedback/``).
        slug: the chapter.
        db_url: the gradebook the scores are read from.
    """

    def __init__(self, course: Course, slug: str, db_url: str) -> None:
        self.course, self.slug, self.db_url = course, slug, db_url
        self._process: subprocess.Popen | None = None
        self._results: queue.Queue[dict | None] = queue.Queue()
        self._waiting: set[str] = set()
        self._asked: set[str] = set()

    def start(self) -> None:
        """Start the renderer (it warms up at once), unless it runs already."""
        if self._process is not None:
            return
        here = str(Path(__file__).resolve().parents[1])  # this package, wherever it came from
        path = os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "autograder.feedback"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": path},
        )
        where = {"course_root": str(self.course.root), "db_url": self.db_url}
        self._process.stdin.write(json.dumps(where) + "\n")
        self._process.stdin.flush()
        threading.Thread(target=self._read, args=(self._process.stdout,), daemon=True).start()

    def _read(self, lines) -> None:
        for line in lines:
            self._results.put(json.loads(line))
        self._results.put(None)  # the renderer ended

    def render(self, student: str) -> None:
        """Ask for ``student``'s feedback (after every render asked for before)."""
        self.start()
        try:
            self._process.stdin.write(f"{self.slug} {student}\n")
            self._process.stdin.flush()
        except BrokenPipeError:  # the renderer ended; finished() reports it for this student
            pass
        self._waiting.add(student)
        self._asked.add(student)

    def asked_for(self, student: str) -> bool:
        """Whether :meth:`render` was called for ``student``."""
        return student in self._asked

    def finished(self, *, wait: bool = False) -> dict[str, str | None]:
        """student -> None when their feedback was written, else why not, for each render done
        since the last call (with ``wait``: after waiting for all of them)."""
        done: dict[str, str | None] = {}
        while self._waiting:
            try:
                result = self._results.get(block=wait)
            except queue.Empty:
                break
            if result is None:  # ended early: the next run renders what is left
                code = self._process.wait()
                for student in self._waiting:
                    done[student] = f"the feedback process stopped (exit status {code})"
                self._waiting.clear()
                break
            done[result["student"]] = result["error"]
            self._waiting.discard(result["student"])
        return done

    def close(self) -> dict[str, str | None]:
        """Wait for every render asked for; return those not yet collected, as
        :meth:`finished` does."""
        if self._process is None:
            return {}
        self._process.stdin.close()  # the renderer renders what it was given, then ends
        done = self.finished(wait=True)
        self._process.wait()
        self._process = None
        return done

    def __enter__(self) -> FeedbackRenderer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _serve() -> None:
    """The renderer: read where the course and gradebook are, warm up, then render one
    ``<slug> <student>`` per line of stdin until it ends, answering one JSON line each."""
    # Ctrl-C reaches the whole process group; a render in flight finishes, and the grader waits.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers, sys.stdout = sys.stdout, sys.stderr  # stdout carries the answers alone
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # the gradebook's session bookkeeping
    from .gradebook import course_api

    where = json.loads(sys.stdin.readline())
    api = course_api(Course(Path(where["course_root"])), where["db_url"])
    try:
        _warm_up(api)
    except Exception as err:  # only slower without it
        print(f"feedback renderer: warm-up failed ({err!r}); rendering anyway", file=sys.stderr)
    for line in sys.stdin:
        slug, student = line.split()
        answer = {"student": student, "error": _render(api, slug, student)}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()
    # Nothing is left to clean up (every gradebook connection is closed), and tearing down an
    # interpreter that loaded nbgrader takes about 0.4 s, which the grader would wait for.
    os._exit(0)


def _warm_up(api) -> None:
    """Render a small notebook through nbgrader's feedback template once: the first render in a
    process compiles templates and highlighting rules, about half a second that would otherwise
    fall on the first student's feedback."""
    import nbformat
    from nbconvert.exporters import HTMLExporter
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
    from nbgrader.api import Gradebook
    from nbgrader.converters import GenerateFeedback
    from traitlets.config import Config

    with Gradebook(api.coursedir.db_url):  # the gradebook's table mappings, configured once
        pass
    app = GenerateFeedback(coursedir=api.coursedir, parent=api)
    config = Config(app.config)
    config.HTMLExporter.template_name = "feedback"
    cell = new_code_cell(
        "def add(a, b):\n    return a + b  # a comment\n\nprint(add(1, 2))",
        outputs=[new_output("stream", name="stdout", text="3\n")],
    )
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "points": 1, "score": 1}
    nb = new_notebook(cells=[new_markdown_cell("# Feedback\n\n*Some* `markdown`."), cell])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Py"}
    scores = {"notebook": "warm-up", "score": 1, "max_score": 1, "late_penalty": 0}
    HTMLExporter(config=config).from_notebook_node(
        nbformat.from_dict(nb), resources={"nbgrader": scores}
    )


def _render(api, slug: str, student: str) -> str | None:
    """Write one student's feedback; None when written, else why not, in one line."""
    result = api.generate_feedback(slug, student, force=True)
    if result["success"]:
        return None
    from .workspace import telling_line

    log = f"{result.get('log') or ''}\n{result.get('error') or ''}"
    return telling_line(log) or "nbgrader's generate_feedback failed without a message"


if __name__ == "__main__":
    _serve()
