"""A learner's self-check results, kept in their user data directory for ``progress``.

``python -m autograder check`` records each result as one small JSON file per chapter,
``<user data dir>/alignment-exercises/self-checks/<slug>.json`` (on Linux ``~/.local/share/...``,
on macOS ``~/Library/Application Support/...``), or in the folder named by the environment
variable ``ALIGNMENT_EXERCISES_DATA``: outside the repository and outside the learner's notebook
folder, so nothing they work on changes and a notebook copied anywhere still counts. A later
check of the same chapter replaces the record.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

from .check import CheckReport
from .course import WRITING

APP_NAME = "alignment-exercises"
DATA_DIR_VARIABLE = "ALIGNMENT_EXERCISES_DATA"

EFFECT_SHOWN = "effect shown"
EFFECT_NOT_SHOWN = "effect not shown"
EXPERIMENT_STOPPED = "stopped: error"
NO_EFFECT_CHECK = "no effect check"
WRITTEN_ONLY = "written only"  # a writing chapter: no experiment at all


@dataclass(frozen=True)
class CheckRecord:
    """What one self-check of a chapter found. ``checked_at`` is timezone-aware (UTC)."""

    slug: str
    checked_at: datetime
    notebook: str
    auto_earned: float
    auto_possible: float
    written_total: int
    written_left_empty: int
    experiment: str

    @classmethod
    def of(cls, report: CheckReport, notebook: Path, checked_at: datetime) -> CheckRecord:
        if report.kind == WRITING:
            experiment = WRITTEN_ONLY
        elif report.effect_shown is None:
            experiment = NO_EFFECT_CHECK
        elif report.effect_shown:
            experiment = EFFECT_SHOWN
        elif report.experiment is not None and report.experiment.effect_not_shown:
            experiment = EFFECT_NOT_SHOWN
        else:  # a cell of the experiment raised, whether or not failing tests explain it
            experiment = EXPERIMENT_STOPPED
        return cls(
            slug=report.slug,
            checked_at=checked_at,
            notebook=str(Path(notebook).resolve()),
            auto_earned=report.auto_earned,
            auto_possible=report.auto_possible,
            written_total=sum(not c.autograded for c in report.cells),
            written_left_empty=len(report.written_left_empty),
            experiment=experiment,
        )

    def to_json(self) -> str:
        fields = asdict(self) | {"checked_at": self.checked_at.isoformat()}
        return json.dumps(fields, indent=1)

    @classmethod
    def from_json(cls, text: str) -> CheckRecord:
        fields = json.loads(text)
        fields["checked_at"] = datetime.fromisoformat(fields["checked_at"])
        return cls(**fields)


def log_dir() -> Path:
    """Where the records live (not created until the first check)."""
    chosen = os.environ.get(DATA_DIR_VARIABLE)
    return Path(chosen) if chosen else platformdirs.user_data_path(APP_NAME) / "self-checks"


def record_check(report: CheckReport, notebook: Path, checked_at: datetime | None = None) -> Path:
    """Keep ``report`` as its chapter's latest self-check; return the record's path.

    Written to a temporary file and renamed, so a check interrupted half-way leaves the previous
    record whole. Raises ``OSError`` when the data directory cannot be written.
    """
    record = CheckRecord.of(report, notebook, checked_at or datetime.now(UTC))
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{report.slug}.json"
    with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".tmp", delete=False) as tmp:
        tmp.write(record.to_json())
    os.replace(tmp.name, path)
    return path


@dataclass(frozen=True)
class Log:
    """The latest record of each checked chapter, and the files that could not be read."""

    latest: dict[str, CheckRecord]
    unreadable: dict[Path, str]


def read_log() -> Log:
    """Every chapter's latest self-check, by slug. A damaged file is reported, not fatal."""
    latest, unreadable = {}, {}
    for path in sorted(log_dir().glob("*.json")):
        try:
            record = CheckRecord.from_json(path.read_text())
        except (OSError, ValueError, TypeError, KeyError) as exc:
            unreadable[path] = f"{type(exc).__name__}: {exc}"
            continue
        latest[record.slug] = record
    return Log(latest, unreadable)
