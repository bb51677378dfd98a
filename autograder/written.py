"""Written answers: the manually graded cells of a chapter notebook, and which are left empty."""

from __future__ import annotations

import nbformat


def written_answers(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """grade_id -> text of every manually graded answer cell, in notebook order."""
    answers = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and meta.get("solution"):
            answers[meta["grade_id"]] = cell.source
    return answers


def left_empty(answer: str | None, placeholder: str) -> bool:
    """True when a written answer is missing, blank, or still the release's ``placeholder``
    (nbgrader's "YOUR ANSWER HERE")."""
    text = (answer or "").strip()
    return not text or text == placeholder.strip()
