"""A progress bar over a notebook's code cells while nbgrader executes it."""

from __future__ import annotations

from pathlib import Path

import nbformat
from tqdm.auto import tqdm


class CellProgress:
    """Context manager; pass ``advance`` as nbclient's ``on_cell_executed`` hook."""

    def __init__(self, notebook: Path, *, enabled: bool = True) -> None:
        try:
            cells = nbformat.read(notebook, as_version=4).cells
            self.total = sum(c.cell_type == "code" for c in cells)
        except Exception:  # an unreadable notebook is reported by the caller, not here
            self.total = None
        self.enabled = enabled
        self._bar = None

    def __enter__(self) -> CellProgress:
        if self.enabled:
            self._bar = tqdm(total=self.total, desc="running cells", unit="cell", leave=False)
        return self

    def advance(self, **_hook_arguments: object) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.close()
