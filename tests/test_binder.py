"""Binder builds the course from the repository's own files, in step with the pinned environment.

repo2docker (what mybinder.org runs) reads only ``binder/`` when that folder exists. These fast
checks hold ``binder/`` to the root ``requirements.txt`` (no second pin list), the course's
Python version and the course package; tests/test_binder_lab.py builds an environment from the
same files and opens a chapter in JupyterLab in a real browser.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from browser_helpers import binder_url
from chapter_notebook import ChapterNotebook

REPO = Path(__file__).resolve().parents[1]
BINDER = REPO / "binder"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def requirement_lines(path: Path) -> list[str]:
    """The lines pip reads: comments and blank lines dropped."""
    lines = (line.split(" #", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def test_binder_config_lives_only_in_the_binder_folder():
    assert BINDER.is_dir(), "binder/ holds the Binder configuration; it is missing"
    assert not (REPO / ".binder").exists(), "repo2docker refuses both binder/ and .binder/"
    overriding = [
        name
        for name in ("environment.yml", "Pipfile", "Pipfile.lock", "Dockerfile", "default.nix")
        if (BINDER / name).exists()
    ]
    assert not overriding, (
        f"binder/{overriding[0]} would replace the pip environment built from requirements.txt"
    )


def test_binder_installs_the_root_pins_plus_only_the_cpu_torch_index():
    lines = requirement_lines(BINDER / "requirements.txt")
    assert lines == [f"--extra-index-url {CPU_INDEX}", "-r ../requirements.txt"], (
        "binder/requirements.txt must be exactly the CPU torch index and `-r ../requirements.txt`"
        f" (the pins live in the root file only), got {lines}"
    )
    included = (BINDER / "../requirements.txt").resolve()
    assert included == REPO / "requirements.txt", f"-r ../requirements.txt resolves to {included}"
    pins = requirement_lines(REPO / "requirements.txt")
    assert "torch==2.13.0" in pins, "the CPU index only helps if torch is pinned to one release"
    assert any(p.lower().startswith("jupyterlab==") for p in pins), (
        "Binder opens the exercise in JupyterLab: pin jupyterlab in requirements.txt"
    )


def test_binder_runs_the_python_the_environment_was_pinned_with():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    here = f"python-{sys.version_info.major}.{sys.version_info.minor}"
    assert runtime == here, (
        f"binder/runtime.txt says {runtime!r}, but requirements.txt is tested on {here}"
    )
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == f">={sys.version_info.major}.{sys.version_info.minor}", (
        f"pyproject.toml requires-python {requires!r} disagrees with binder/runtime.txt {runtime!r}"
    )


def test_binder_post_build_installs_the_course_package_from_pyproject():
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK), "binder/postBuild must be executable"
    text = post_build.read_text()
    assert text.startswith("#!/bin/bash\n"), "repo2docker runs postBuild as a script: #!/bin/bash"
    commands = [line.strip() for line in text.splitlines() if not line.startswith("#")]
    commands = [c for c in commands if c]
    assert commands[0].startswith("set -e"), (
        "postBuild must start with `set -e`: repo2docker does not stop on a failing command"
    )
    install = [c for c in commands if "pip install" in c]
    assert install == ["python -m pip install --no-cache-dir --no-deps -e ."], (
        "postBuild installs the course package (pyproject.toml) editable, without dependencies, "
        f"so the autograder finds the course next to itself; got {install}"
    )
    packages = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert {"alignment_lab", "autograder"} <= set(packages["packages"])


def test_every_chapter_header_launches_its_exercise_in_jupyterlab_on_binder(course, slug):
    expected = binder_url(slug)
    # The exercise is what Binder opens; the source notebook is what the book page shows.
    for notebook in (course.exercise_notebook(slug), course.source_notebook(slug)):
        header = ChapterNotebook.read(notebook).cells[0].source
        links = re.findall(r"https://mybinder\.org/v2/[^)\s\"']+", header)
        assert links == [expected], (
            f"the header of {notebook.relative_to(course.root)} must link exactly {expected}, "
            f"found {links}"
        )
    urlpath = parse_qs(urlsplit(expected).query)["urlpath"][0]
    target = course.root / urlpath.removeprefix("lab/tree/")
    assert target == course.exercise_notebook(slug) and target.is_file(), (
        f"the Binder link opens {urlpath}, which is not the chapter's exercise notebook"
    )
