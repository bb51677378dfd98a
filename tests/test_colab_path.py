"""The Colab path: a chapter's exercise notebook opened where the course package is missing.

Colab brings its own torch, numpy and matplotlib and nothing of this repository. Every chapter's
first code cell (tests/test_course_notebooks.py holds its text) installs the course package from
the repository when ``import alignment_lab`` fails; pyproject.toml declares what the package
needs without versions, so that pip keeps Colab's. Fast tests hold pyproject.toml to that and
check the cell is idle where the package imports. The slow test stands in for Colab on this
machine: a fresh Python that sees this environment's third-party packages but not the course
package, the chapter's exercise notebook alone in a folder with the solutions filled in, the
install cell pointed at a copy of the package sources instead of GitHub, pip without network,
and the whole notebook run in a real kernel of that Python.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import nbformat
import pytest
from browser_helpers import repository
from chapter_notebook import (
    ChapterNotebook,
    install_url,
    nbgrader,
    solved_exercise_notebook,
)
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
FIRST_PARTY = {"alignment_lab", "autograder"}
EXTRA = "autograder"  # the optional extra that holds what only the autograder needs
CHAPTER = "cirl-off-switch"  # the quickest chapter to run end to end (about 10 s on one core)
COLAB_OWN = ("torch", "numpy", "matplotlib")


# --- pyproject.toml: what the package needs, never which version ----------------------------


def declared(extra: str | None = None) -> list[Requirement]:
    project = PYPROJECT["project"]
    if extra is None:
        return [Requirement(r) for r in project.get("dependencies", [])]
    return [Requirement(r) for r in project.get("optional-dependencies", {}).get(extra, [])]


def test_pyproject_never_pins_or_caps_a_dependency():
    """Catches a pin or an upper bound that would make pip replace Colab's own packages."""
    extras = PYPROJECT["project"].get("optional-dependencies", {})
    every = declared() + [r for name in extras for r in declared(name)]
    assert declared(), "pyproject.toml declares no dependencies: Colab would lack some"
    forcing = [str(r) for r in every if r.url or any(s.operator != ">=" for s in r.specifier)]
    assert not forcing, (
        f"pyproject.toml must not pin, cap or point at a build: {forcing}. Write the bare name "
        "(or a lower bound `>=`): on Colab pip then keeps the versions already installed; the "
        "tested versions are pinned in requirements.txt"
    )


def imported_top_level(source: str) -> set[str]:
    """The top-level names of the modules Python source imports by absolute name."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def third_party(modules: set[str]) -> set[str]:
    return {m for m in modules if m not in sys.stdlib_module_names and m not in FIRST_PARTY}


def undeclared(modules: set[str], requirements: list[Requirement]) -> list[str]:
    """Each module no requirement provides, as 'module (distribution)'."""
    names = {canonicalize_name(r.name) for r in requirements}
    providers = packages_distributions()
    missing = []
    for module in sorted(modules):
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        if not dists & names:
            missing.append(f"{module} ({', '.join(sorted(dists)) or 'no installed distribution'})")
    return missing


def package_imports(package: str) -> set[str]:
    return set().union(*(imported_top_level(p.read_text()) for p in (REPO / package).rglob("*.py")))


def notebook_imports() -> set[str]:
    return {
        module
        for path in sorted((REPO / "solutions").glob("*/*.ipynb"))
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "code"
        for module in imported_top_level(cell.source)
    }


def test_everything_alignment_lab_and_the_chapters_import_is_a_dependency():
    """Catches a module Colab would be missing after installing the course package."""
    modules = third_party(package_imports("alignment_lab") | notebook_imports())
    missing = undeclared(modules, declared())
    assert not missing, (
        f"alignment_lab or a chapter imports {missing}: add the distribution to "
        "[project] dependencies in pyproject.toml, without a version"
    )


def test_everything_the_autograder_imports_is_a_dependency_or_in_its_extra():
    modules = third_party(package_imports("autograder"))
    missing = undeclared(modules, declared() + declared(EXTRA))
    assert not missing, (
        f"autograder imports {missing}: add the distribution to [project.optional-dependencies]"
        f" {EXTRA} in pyproject.toml, without a version"
    )


def test_every_declared_dependency_is_pinned_in_requirements():
    """Catches a dependency the pinned environment (make, CI, Binder) would not install: they
    install the package with --no-deps after requirements.txt."""
    pinned = {
        canonicalize_name(line.split("==")[0])
        for line in (REPO / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    unpinned = [
        r.name for r in declared() + declared(EXTRA) if canonicalize_name(r.name) not in pinned
    ]
    assert not unpinned, f"pin {unpinned} in requirements.txt (make and Binder install only it)"


def test_the_package_build_ships_every_subpackage():
    """Catches a subpackage (alignment_lab.worlds) left out of a non-editable install, which
    is what Colab gets; an editable install hides the gap."""
    from setuptools import find_packages

    find = PYPROJECT["tool"]["setuptools"].get("packages", {})
    assert isinstance(find, dict) and "find" in find, (
        "use [tool.setuptools.packages.find] in pyproject.toml: a list of packages ships "
        "without their subpackages"
    )
    shipped = set(find_packages(where=REPO, **find["find"]))
    wanted = {
        ".".join(p.parent.relative_to(REPO).parts)
        for package in FIRST_PARTY
        for p in (REPO / package).rglob("__init__.py")
    }
    assert shipped == wanted, (
        f"pyproject.toml's package find ships {sorted(shipped)}, the course has {sorted(wanted)}"
    )


# --- The install cell where the package is already there --------------------------------------


def test_the_install_cell_does_nothing_where_the_course_package_imports(course, slug):
    """Here (as on Binder, in Codespaces, locally, when grading) alignment_lab imports: the cell
    must not reach pip, whose only way in is get_ipython()."""
    cells = ChapterNotebook.read(course.exercise_notebook(slug)).cells
    cell = next(c for c in cells if c.cell_type == "code")

    def pip_must_not_run():
        raise AssertionError("the install cell reached pip although alignment_lab imports")

    namespace = {"get_ipython": pip_must_not_run}
    exec(compile(cell.source, "<install cell>", "exec"), namespace)
    assert set(namespace) - {"__builtins__", "get_ipython"} == {"alignment_lab"}


# --- A stand-in for Colab ---------------------------------------------------------------------


def clean_env() -> dict[str, str]:
    """This process's environment without anything that would show the repository to Python."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def python_says(python: Path, code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, cwd=cwd, env=clean_env()
    )


PROBE = """\
import json
import alignment_lab, matplotlib, numpy, torch
print(json.dumps({
    "alignment_lab": alignment_lab.__file__,
    **{m.__name__: [m.__version__, m.__file__] for m in (torch, numpy, matplotlib)},
}))"""

LIBRARIES = (
    "import json, matplotlib, numpy, torch, ipykernel; print(json.dumps("
    "{m.__name__: [m.__version__, m.__file__] for m in (torch, numpy, matplotlib)}))"
)


def preinstalled(root: Path) -> Path:
    """A folder of links to every package of this environment except the course package: what
    Colab has installed before the notebook runs."""
    folder = root / "preinstalled"
    folder.mkdir()
    course = re.compile(r"^(__editable__|alignment_lab|autograder)|\.pth$")
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not course.search(entry.name):
            (folder / entry.name).symlink_to(entry)
    return folder


@pytest.fixture(scope="module")
def colab(tmp_path_factory) -> dict[str, Path]:
    """A fresh Python whose site-packages sees this environment's third-party packages (pip,
    setuptools, torch, ipykernel, ...) through a .pth line, but not the course package. A
    directory a .pth line adds is put on sys.path as is: the editable install's own .pth there
    would not run, and the links leave out its files anyway."""
    root = tmp_path_factory.mktemp("colab")
    base = Path(getattr(sys, "_base_executable", sys.executable))
    subprocess.run([str(base), "-m", "venv", "--without-pip", str(root / "venv")], check=True)
    python = root / "venv" / "bin" / "python"
    site = Path(
        python_says(
            python, "import sysconfig; print(sysconfig.get_paths()['purelib'])", root
        ).stdout.strip()
    )
    assert site.is_dir() and site.is_relative_to(root), f"fresh site-packages not found: {site}"
    (site / "preinstalled.pth").write_text(f"{preinstalled(root)}\n")
    return {"root": root, "python": python, "site": site}


def package_sources(root: Path) -> Path:
    """The course package as pip would get it from the repository (files not yet committed
    included): pyproject.toml and the packages, in a folder of their own."""
    target = root / "course-package"
    target.mkdir()
    shutil.copy2(REPO / "pyproject.toml", target)
    for package in sorted(FIRST_PARTY):
        shutil.copytree(
            REPO / package, target / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return target


def solved_exercise(course, slug: str, folder: Path, package: Path) -> Path:
    """The exercise notebook, alone in ``folder``, with the model solutions filled in, its
    install cell pointed at ``package`` instead of GitHub, and a last cell that reports where
    alignment_lab and Colab's own libraries were imported from."""
    nb = solved_exercise_notebook(course, slug)
    install = next(c for c in nb.cells if c.cell_type == "code")
    url = install_url(*repository())
    assert install.source.count(url) == 1, f"the first code cell should install from {url}"
    install.source = install.source.replace(url, str(package))
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    folder.mkdir()
    path = folder / f"{slug}.ipynb"
    nbformat.write(nb, path)
    return path


def kernel_spec(root: Path, python: Path) -> Path:
    """A Jupyter data folder with one kernel, run by ``python``; pip in it has no network."""
    folder = root / "jupyter"
    spec = folder / "kernels" / "colab-standin"
    spec.mkdir(parents=True)
    spec.joinpath("kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Colab stand-in",
                "language": "python",
                "env": {
                    "PIP_NO_INDEX": "1",
                    # pip reads a --no-* option's variable inverted: "0" turns isolation off, so
                    # the build uses the setuptools already installed instead of downloading one.
                    "PIP_NO_BUILD_ISOLATION": "0",
                    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                    "PYTHONNOUSERSITE": "1",
                },
            }
        )
    )
    return folder


def site_entries(site: Path) -> set[str]:
    return {p.name for p in site.iterdir() if p.name != "__pycache__"}


@pytest.mark.slow
def test_a_fresh_python_without_the_course_runs_the_whole_chapter_after_the_install_cell(
    colab, course, monkeypatch
):
    root, python, site = colab["root"], colab["python"], colab["site"]
    missing = python_says(python, "import alignment_lab", cwd=root)
    assert missing.returncode != 0 and "ModuleNotFoundError" in missing.stderr, (
        "the stand-in for Colab must not see the course package before the install cell runs:"
        f"\n{missing.stdout}{missing.stderr}"
    )
    before = python_says(python, LIBRARIES, cwd=root)
    assert before.returncode == 0, f"the stand-in lacks Colab's libraries:\n{before.stderr}"
    libraries = json.loads(before.stdout)
    installed_before = site_entries(site)

    notebook = solved_exercise(course, CHAPTER, root / "notebook", package_sources(root))
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_spec(root, python)))
    monkeypatch.delenv("PYTHONPATH", raising=False)
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="colab-standin",
        timeout=600,
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{CHAPTER} failed in the stand-in for Colab:\n{str(error)[-4000:]}")

    probe = json.loads(
        "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    )
    assert Path(probe["alignment_lab"]).is_relative_to(site), (
        f"alignment_lab came from {probe['alignment_lab']}, not from what the install cell put "
        f"into the fresh site-packages {site}"
    )
    changed = {m: (libraries[m], probe[m]) for m in COLAB_OWN if libraries[m] != probe[m]}
    assert not changed, f"installing the course package replaced Colab's own: {changed}"
    added = site_entries(site) - installed_before
    assert any(a.startswith("alignment_lab") for a in added), f"nothing installed: {added}"
    others = sorted(a for a in added if not a.startswith(("alignment_lab", "autograder")))
    assert not others, f"the install cell installed more than the course package: {others}"
    check = next(c for c in nb.cells if nbgrader(c).get("grade_id") == "check_paper_effects")
    assert check.execution_count and not [o for o in check.outputs if o.output_type == "error"], (
        "the effect check did not run to the end"
    )
