"""nbgrader's execution step, replaced: the outputs of a notebook executed elsewhere are copied in.

Cohort grading runs each sanitized notebook in a sandbox on a worker, then scores it with
nbgrader's own ``autograde``, whose steps are nbgrader's default list
(``Autograde.autograde_preprocessors``) with its ``Execute`` swapped for :class:`InjectExecuted`
(:func:`scoring_steps`). Every other step, and so every score, stays nbgrader's.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Integer, Unicode
from traitlets.utils.importstring import import_item

from .defaults import MAX_OUTPUT_CHARS

__all__ = ["InjectExecuted", "nbgrader_autograde_steps", "scoring_steps"]


class InjectExecuted(NbGraderPreprocessor):
    """Copy in the outputs of ``<executed_dir>/<student>/<notebook>.ipynb``, cutting long ones.

    Refuses (raises) if the executed notebook's cells are not the sanitized notebook's cells,
    so outputs can never be attached to other code.
    """

    executed_dir = Unicode("", help="folder holding <student>/<notebook>.ipynb").tag(config=True)
    max_output_chars = Integer(
        MAX_OUTPUT_CHARS, help="longer text outputs are cut; nbgrader's LimitOutput counts lines"
    ).tag(config=True)

    def _cut(self, output):
        for key, value in [("text", output.get("text"))] + list(output.get("data", {}).items()):
            if isinstance(value, str) and len(value) > self.max_output_chars:
                kept = value[: self.max_output_chars]
                marker = f"\n[... {len(value) - len(kept):,} more characters cut by the grader]"
                if key == "text":
                    output["text"] = kept + marker
                else:
                    output["data"][key] = kept + marker
        return output

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        path = Path(self.executed_dir) / info["student"] / f"{info['notebook']}.ipynb"
        executed = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        if [c.source for c in executed.cells] != [c.source for c in nb.cells]:
            raise ValueError(f"{path} was not executed from this sanitized notebook")
        for cell, ran in zip(nb.cells, executed.cells, strict=True):
            if cell.cell_type == "code":
                cell.outputs = [self._cut(output) for output in ran.outputs]
                cell.execution_count = ran.execution_count
        return nb, resources


def nbgrader_autograde_steps() -> list[type]:
    """nbgrader's default ``Autograde.autograde_preprocessors``, as classes, in its order."""
    steps = Autograde.class_traits()["autograde_preprocessors"].default()
    return [import_item(step) if isinstance(step, str) else step for step in steps]


def scoring_steps(steps: Sequence[type] | None = None) -> list[type]:
    """The autograde steps of the scoring phase: ``steps`` (default: nbgrader's own, from
    :func:`nbgrader_autograde_steps`) in their order, with ``Execute`` replaced by
    :class:`InjectExecuted`.

    Raises:
        RuntimeError: if ``Execute`` is not in ``steps`` exactly once. Scoring would then run no
            notebook at all, or one twice: an nbgrader that executes another way needs this
            replacement rethought, not a grade of outputs that were never produced.
    """
    steps = list(nbgrader_autograde_steps() if steps is None else steps)
    executes = [step for step in steps if isinstance(step, type) and issubclass(step, Execute)]
    if len(executes) != 1:
        names = ", ".join(getattr(step, "__name__", str(step)) for step in steps)
        raise RuntimeError(
            f"nbgrader's autograde steps hold {len(executes)} Execute steps, expected one: "
            f"{names}. This nbgrader version executes notebooks in a way the cohort grader "
            "does not know; install the nbgrader pinned in requirements.txt."
        )
    return [InjectExecuted if step is executes[0] else step for step in steps]
