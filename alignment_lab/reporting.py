"""Plain-text tables of per-seed results, readable in a notebook and in a terminal."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["format_table", "print_table"]


def format_table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Rows of values under their column headers, each value right-aligned to its column.

    A column is as wide as the longer of its header and its widest value.

    Raises:
        ValueError: if a row has a different number of values than there are columns.
    """
    cells = [[str(v) for v in row] for row in rows]
    for i, row in enumerate(cells):
        if len(row) != len(columns):
            raise ValueError(
                f"row {i} has {len(row)} values but there are {len(columns)} columns "
                f"({list(columns)}); give one value per column."
            )
    widths = [max([len(c)] + [len(row[j]) for row in cells]) for j, c in enumerate(columns)]
    lines = ["  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True))]
    lines += ["  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def print_table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print :func:`format_table`."""
    print(format_table(columns, rows))
