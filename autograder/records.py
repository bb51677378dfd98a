"""What a grading run leaves behind, and how the next run reads it: each outcome in
``grading/<slug>/outcomes.json``, the scores with their reasons in ``grades.csv``, and whether
the gradebook still holds what an outcome says was scored into it.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from .gradebook import without_password
from .outcomes import GRADED, Outcome

__all__ = ["holds_submission", "load_outcomes", "save_outcomes", "write_grades_csv"]


def load_outcomes(path: Path) -> dict[str, Outcome]:
    """student -> outcome, as :func:`save_outcomes` wrote them; empty if there is no file."""
    if not path.is_file():
        return {}
    return {row["student"]: Outcome(**row) for row in json.loads(path.read_text())}


def save_outcomes(path: Path, outcomes: dict[str, Outcome]) -> None:
    """Write every outcome, sorted by student, replacing the file atomically: an interrupt never
    leaves half a file."""
    tmp = path.with_suffix(".tmp")
    rows = [asdict(o) for o in sorted(outcomes.values(), key=lambda o: o.student)]
    tmp.write_text(json.dumps(rows, indent=1))
    tmp.replace(path)


def holds_submission(db_url: str, slug: str, done: Outcome | None, digest: str) -> bool:
    """Whether this very submission (sha256 ``digest``) was scored into this very gradebook,
    which still holds it.

    The outcome file alone cannot say: an instructor may grade the same batch into a second
    gradebook (moving from SQLite to PostgreSQL), or start a fresh one.
    """
    if done is None or not done.scored or done.submission_sha256 != digest:
        return False
    if done.gradebook != without_password(db_url):
        return False
    with Gradebook(db_url) as gb:
        try:
            gb.find_submission(slug, done.student)
        except MissingEntry:
            return False
    return True


def write_grades_csv(path: Path, outcomes: dict[str, Outcome], db_url: str, slug: str) -> None:
    """One row per student: autograded score, maximum, and the outcome with its reason."""
    with Gradebook(db_url) as gb, open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "status", "auto_score", "max_auto_score", "reason", "seconds"])
        for o in sorted(outcomes.values(), key=lambda o: o.student):
            try:
                submission = gb.find_submission(slug, o.student)
                grades = [g for nb in submission.notebooks for g in nb.grades]
                auto = sum(g.auto_score or 0 for g in grades if g.auto_score is not None)
                max_auto = sum(g.max_score for g in grades if g.cell_type == "code")
            except MissingEntry:
                auto, max_auto = "", ""
            score = auto if o.status == GRADED or auto else ""
            writer.writerow([o.student, o.status, score, max_auto, o.reason, o.seconds])
