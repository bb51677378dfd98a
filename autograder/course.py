"""Where the course's chapters live, and how to load its nbgrader configuration.

A chapter is one nbgrader assignment named by its slug, holding one notebook of the same name:
``solutions/<slug>/<slug>.ipynb`` is the source, ``exercises/<slug>/<slug>.ipynb`` the release.

A chapter is of one of two kinds, declared in its notebook's metadata (:func:`notebook_kind`): an
*experiment* (code exercises, autograded, and an experiment with its effect check; the default)
or *writing* (written assignments only, each graded by a person against its rubric).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

CONFIG_FILE = "nbgrader_config.py"
# A chapter notebook's name as copying leaves it: "Copy of memorization", "memorization (1)".
_COPY_NAME = re.compile(r"(?:Copy of )?(?P<slug>.+?)(?: ?\(\d+\))?")

# The chapter kinds, and where a notebook declares its kind: metadata["alignment_exercises"].
EXPERIMENT, WRITING = "experiment", "writing"
CHAPTER_KINDS = (EXPERIMENT, WRITING)
KIND_METADATA = "alignment_exercises"


def notebook_kind(notebook: nbformat.NotebookNode, name: str = "the notebook") -> str:
    """The kind of chapter ``notebook`` is: ``metadata["alignment_exercises"]["kind"]``, one of
    ``"experiment"`` and ``"writing"``; ``"experiment"`` when the notebook declares none.

    ``name`` is how an error message refers to the notebook. Raises ``ValueError`` saying what
    to write when the declaration is malformed or names another kind.
    """
    declared = notebook.metadata.get(KIND_METADATA, {})
    kinds = " or ".join(repr(k) for k in CHAPTER_KINDS)
    if not isinstance(declared, dict):
        raise ValueError(
            f"{name}: metadata[{KIND_METADATA!r}] must be a mapping such as "
            f'{{"kind": "{WRITING}"}}, not {declared!r}'
        )
    kind = declared.get("kind", EXPERIMENT)
    if kind not in CHAPTER_KINDS:
        raise ValueError(
            f'{name}: metadata[{KIND_METADATA!r}]["kind"] is {kind!r}; write {kinds}, or leave '
            f"it out for an {EXPERIMENT} chapter"
        )
    return kind


class NotAChapterNotebook(ValueError):
    """A path given as a learner's notebook is not one of the course's chapter notebooks."""


@dataclass(frozen=True)
class Course:
    """A course directory: ``nbgrader_config.py``, ``solutions/``, ``exercises/`` under ``root``."""

    root: Path

    @classmethod
    def default(cls) -> Course:
        """The course this package ships with: the repository that contains it."""
        return cls(Path(__file__).resolve().parents[1])

    def __post_init__(self) -> None:
        if not (self.root / CONFIG_FILE).is_file():
            raise FileNotFoundError(
                f"{self.root} is not a course directory: it has no {CONFIG_FILE}. "
                "Pass the repository's root folder."
            )

    @property
    def solutions_dir(self) -> Path:
        return self.root / "solutions"

    @property
    def exercises_dir(self) -> Path:
        return self.root / "exercises"

    def slugs(self) -> list[str]:
        """Every chapter with a source notebook, sorted by slug."""
        if not self.solutions_dir.is_dir():
            return []
        return sorted(
            d.name
            for d in self.solutions_dir.iterdir()
            if d.is_dir() and (d / f"{d.name}.ipynb").is_file()
        )

    def require_chapter(self, slug: str) -> str:
        """``slug``, if it names one of the course's chapters.

        Raises ``ValueError`` listing the chapters when it does not.
        """
        if slug not in self.slugs():
            known = ", ".join(self.slugs()) or "none yet"
            raise ValueError(
                f"no chapter {slug!r} under {self.solutions_dir}; give one of its chapters "
                f"({known})."
            )
        return slug

    @property
    def gradebook_url(self) -> str:
        """The default gradebook: ``gradebook.db`` in the course root, as an SQLAlchemy URL."""
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def source_notebook(self, slug: str) -> Path:
        return self.solutions_dir / slug / f"{slug}.ipynb"

    def exercise_notebook(self, slug: str) -> Path:
        return self.exercises_dir / slug / f"{slug}.ipynb"

    def chapter_kind(self, slug: str) -> str:
        """``"experiment"`` or ``"writing"``: the kind the chapter's source notebook declares."""
        path = self.source_notebook(slug)
        return notebook_kind(nbformat.read(path, as_version=4), str(path.relative_to(self.root)))

    def chapter_of(self, notebook: Path) -> str:
        """The slug of the chapter a learner's notebook belongs to, judged by its file name.

        The names copies get on their way are accepted too: Google Drive's ``Copy of <slug>``
        and a browser's second download ``<slug> (1)``.

        Raises ``NotAChapterNotebook`` with the list of valid names when it belongs to none.
        """
        slugs = self.slugs()
        if notebook.suffix != ".ipynb":
            raise NotAChapterNotebook(
                f"{notebook} is not a notebook: expected a .ipynb file such as "
                f"exercises/{slugs[0] if slugs else '<slug>'}/"
                f"{slugs[0] if slugs else '<slug>'}.ipynb."
            )
        stem = _COPY_NAME.fullmatch(notebook.stem)["slug"]
        if stem not in slugs:
            names = ", ".join(f"{s}.ipynb" for s in slugs) or "(none: solutions/ is empty)"
            raise NotAChapterNotebook(
                f"{notebook.name} is not a chapter notebook of this course. A chapter notebook "
                f"keeps the name it was released with; the chapters are: {names}."
            )
        return stem

    def nbgrader_config(self) -> Config:
        """The course's shipped nbgrader configuration, as nbgrader itself would load it."""
        return PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config()
