"""Binder builds the course from the repository's own files, in step with the pinned environment.

repo2docker (what mybinder.org runs) reads only ``binder/`` when that folder exists. These fast
checks hold ``binder/`` to the root ``requirements.txt`` (no second pin list), the course's
Python version and the course package; tests/test_binder_lab.py builds an environment from the
same files and opens a chapter in JupyterLab in a real browser. The dev container (GitHub
Codespaces) is held to Binder's steps: its Python, its requirements, its postBuild.
"""

from __future__ import annotations

import json
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
    from setuptools import find_packages

    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = find_packages(where=REPO, **setuptools["packages"]["find"])
    assert {"alignment_lab", "autograder"} <= set(found), f"pyproject.toml ships only {found}"


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


DEVCONTAINER = REPO / ".devcontainer" / "devcontainer.json"
VSCODE_EXTENSIONS = {"ms-python.python", "ms-toolsai.jupyter"}


def devcontainer() -> dict:
    """.devcontainer/devcontainer.json, read as plain JSON (no comments, so tests can read it)."""
    assert DEVCONTAINER.is_file(), "Codespaces reads .devcontainer/devcontainer.json: it is missing"
    try:
        return json.loads(DEVCONTAINER.read_text())
    except json.JSONDecodeError as error:
        raise AssertionError(f"write {DEVCONTAINER.name} as plain JSON: {error}") from None


def test_the_dev_container_runs_binders_python():
    runtime = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    image = devcontainer().get("image", "")
    tag = re.fullmatch(
        r"mcr\.microsoft\.com/devcontainers/python:(?:\d+-)?(\d+\.\d+)(-\w+)?", image
    )
    assert tag and tag[1] == runtime, (
        f"the dev container's image must be mcr.microsoft.com/devcontainers/python with Python "
        f"{runtime} (binder/runtime.txt), e.g. ...python:1-{runtime}-bookworm; got {image!r}"
    )


def test_the_dev_container_installs_exactly_what_binder_installs():
    """Binder's two steps, in order: pip installs binder/requirements.txt, then binder/postBuild
    runs. Both from the repository root, where Codespaces runs its commands."""
    config = devcontainer()
    commands = [
        config.get(k) for k in ("onCreateCommand", "updateContentCommand", "postCreateCommand")
    ]
    command = " && ".join(c for c in commands if isinstance(c, str))
    steps = [step.strip() for step in command.split("&&")]
    install = [s for s in steps if re.search(r"pip install\b.*-r binder/requirements\.txt$", s)]
    expected = "`python -m pip install -r binder/requirements.txt` and then `binder/postBuild`"
    assert install and "binder/postBuild" in steps, (
        f"the dev container must run {expected}, as Binder does (onCreateCommand, one string); "
        f"got {steps}"
    )
    assert steps == [install[0], "binder/postBuild"], (
        f"the dev container must do what Binder does, in its order, and nothing more: "
        f"{expected}; got {steps}"
    )


def test_the_dev_container_sets_what_binder_sets_and_brings_jupyter_to_vs_code():
    config = devcontainer()
    # Binder exports environment variables only from a binder/start script.
    start = BINDER / "start"
    binder_env = {}
    if start.is_file():
        binder_env = dict(re.findall(r"^export (\w+)=(\S+)", start.read_text(), re.M))
    env = {**config.get("containerEnv", {}), **config.get("remoteEnv", {})}
    assert env == binder_env, (
        f"the dev container's environment variables {env} must be Binder's {binder_env}"
    )
    extensions = set(config.get("customizations", {}).get("vscode", {}).get("extensions", []))
    assert extensions == VSCODE_EXTENSIONS, (
        f"the dev container installs the VS Code extensions {sorted(VSCODE_EXTENSIONS)}, no "
        f"others; got {sorted(extensions)}"
    )
