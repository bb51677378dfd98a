"""The repository keeps its promises: lint-clean code, CI running the README's test command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUFF = Path(sys.executable).parent / "ruff"


def test_python_code_is_lint_clean_and_formatted():
    for args in (["check"], ["format", "--check"]):
        proc = subprocess.run(
            [str(RUFF), *args, "alignment_lab", "autograder", "tests", "benchmarks"],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        assert proc.returncode == 0, f"ruff {' '.join(args)}:\n{proc.stdout}{proc.stderr}"


def test_ci_runs_exactly_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    assert "make book" in readme and "make test" in readme
    commands = [
        line.strip()
        for line in (REPO / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert commands[-1] == "make test", f".ci/run must end by running `make test`: {commands}"


def test_torch_is_pinned_to_the_cpu_release_on_disk():
    pins = (REPO / "requirements.txt").read_text().splitlines()
    assert "torch==2.13.0" in pins, "pin torch==2.13.0 exactly: anything else pulls a CUDA build"
    unpinned = [p for p in pins if p and not p.startswith("#") and "==" not in p]
    assert not unpinned, f"every requirement is pinned exactly: {unpinned}"
