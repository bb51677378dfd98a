"""The repository keeps its promises: lint-clean code, CI running the README's test command."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import nbformat

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


def imported_modules(source: str, package: str = "alignment_lab") -> set[str]:
    """The modules of ``package`` that Python source imports by absolute name."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith(package + ".")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == package:
                found |= {f"{package}.{a.name}" for a in node.names}
            elif node.module.startswith(package + "."):
                found.add(node.module)
                found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


def test_every_module_of_the_course_package_is_used_by_a_chapter_or_another_module():
    package = REPO / "alignment_lab"
    modules = {
        ".".join(p.relative_to(REPO).with_suffix("").parts): p
        for p in package.rglob("*.py")
        if p.name != "__init__.py"
    }
    users = [
        cell.source
        for notebook in sorted((REPO / "solutions").glob("*/*.ipynb"))
        for cell in nbformat.read(notebook, as_version=4).cells
        if cell.cell_type == "code"
    ]
    used = set().union(*(imported_modules(source) for source in users))
    for name, path in modules.items():  # modules used by the modules the chapters use
        used |= {m for m in imported_modules(path.read_text()) if m != name}
    used |= {m for p in package.rglob("__init__.py") for m in imported_modules(p.read_text())}
    unused = sorted(set(modules) - used)
    assert not unused, (
        f"modules no chapter and no other module imports: {unused}. Remove them, or import "
        "them where they are needed (DESIGN.md: no module that nothing uses)."
    )
