"""Tables of results: an HTML table in a notebook and in the book, aligned text in a terminal.

::

    show_table(
        ["seed", "epochs", "test accuracy", "change"],
        [[0, 27, 0.9612, -0.013], [1, 31, 0.9555, 0.021]],
        formats={"change": "+.1%"},
        float_format=".3f",
        title="True labels",
    )

Numbers are formatted here, once per column, not by hand in every row: a format is a
format-spec (``".3f"``, ``"+.2f"``, ``".0%"``) or a template with one field (``"{:.2f} s"``),
and ``float_format`` covers the non-integer numbers of the other columns. A cell may also hold
a few numbers, one per seed say, shown side by side in the column's format. Columns of numbers
are right-aligned, others left-aligned. Long headers wrap, so a table is as narrow as its values
allow; a table too wide for the page should become two tables.
"""

from __future__ import annotations

import html
import numbers
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Table", "show_table"]

# The book's theme and JupyterLab style pandas' tables by this class (borders, striped rows).
HTML_CLASS = "dataframe"
# Every cell is padded (the book's theme leaves table cells without any); headers wrap at
# spaces, numbers do not, and their digits line up.
PADDING = "padding: 0.25em 0.6em"
NUMBER_STYLE = "white-space: nowrap; font-variant-numeric: tabular-nums"


def is_number(value: object) -> bool:
    """A real number, Python's or NumPy's, but not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def is_numbers(value: object) -> bool:
    """A number, or a short list or tuple of numbers (one per seed, say)."""
    if isinstance(value, list | tuple):
        return bool(value) and all(is_number(v) for v in value)
    return is_number(value)


def format_value(value: object, spec: str | None, float_format: str | None = None) -> str:
    """``value`` as text: through ``spec`` if given (a format-spec or a ``"{...}"`` template),
    else through ``float_format`` if it is a number but not an integer, else ``str``. A list or
    tuple is formatted element by element, joined by spaces."""
    if isinstance(value, list | tuple):
        return " ".join(format_value(v, spec, float_format) for v in value)
    if spec is None and is_number(value) and not isinstance(value, numbers.Integral):
        spec = float_format
    if spec is None:
        return str(value)
    return spec.format(value) if "{" in spec else format(value, spec)


@dataclass(frozen=True)
class Table:
    """Rows of values under column headers, numbers formatted per column.

    Jupyter and the book show it as an HTML table (:meth:`_repr_html_`); ``str(table)`` is the
    same table as aligned text, and is what IPython's terminal and ``print`` show.

    Args:
        columns: the headers, each different from the others.
        rows: one sequence of values per row, one value per column.
        formats: header -> format for that column's values: a format-spec such as ``".3f"``,
            ``"+.2f"`` or ``".0%"``, or a template with one field such as ``"{:.2f} s"``.
        float_format: the format of the non-integer numbers in columns that ``formats`` does not
            name, say ``".3f"``; without it they show as ``str(value)``, like everything else.
        title: shown above the table (an HTML caption), or nothing if empty.

    Raises:
        ValueError: if headers repeat, a row has the wrong number of values, ``formats`` names
            a column that does not exist, or a value cannot be shown in its column's format.
    """

    columns: Sequence[str]
    rows: Sequence[Sequence[object]]
    formats: Mapping[str, str] = field(default_factory=dict)
    float_format: str | None = None
    title: str = ""
    cells: list[list[str]] = field(init=False, repr=False)  # the values as shown, row by row

    def __post_init__(self) -> None:
        columns, rows = list(self.columns), [list(row) for row in self.rows]
        repeated = sorted({c for c in columns if columns.count(c) > 1})
        if repeated:
            raise ValueError(
                f"column headers must differ, but {repeated} appear more than once in "
                f"{columns}; name each column for what it holds."
            )
        unknown = [name for name in self.formats if name not in columns]
        if unknown:
            raise ValueError(
                f"formats are given for {unknown}, which are not columns of this table; "
                f"the columns are {columns}."
            )
        for i, row in enumerate(rows):
            if len(row) != len(columns):
                raise ValueError(
                    f"row {i} has {len(row)} values but there are {len(columns)} columns "
                    f"({columns}); give one value per column."
                )
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "cells", [self._format_row(i, row) for i, row in enumerate(rows)])

    def _format_row(self, i: int, row: list) -> list[str]:
        cells = []
        for column, value in zip(self.columns, row, strict=True):
            spec = self.formats.get(column)
            try:
                cells.append(format_value(value, spec, self.float_format))
            except (TypeError, ValueError, IndexError, KeyError) as err:
                raise ValueError(
                    f"row {i}, column {column!r}: cannot show {value!r} "
                    f"({type(value).__name__}) in the format {spec or self.float_format!r} "
                    f"({err}); give a number, or change the column's format."
                ) from None
        return cells

    def numeric(self) -> list[bool]:
        """For each column, whether it holds numbers only (those are right-aligned)."""
        return [
            bool(self.rows) and all(is_numbers(row[j]) for row in self.rows)
            for j in range(len(self.columns))
        ]

    def _repr_html_(self) -> str:
        numeric = self.numeric()
        align = [f"text-align: {'right' if n else 'left'}; {PADDING}" for n in numeric]
        styles = [f"{a}; {NUMBER_STYLE}" if n else a for n, a in zip(numeric, align, strict=True)]
        lines = [f'<table class="{HTML_CLASS}">']
        if self.title:
            lines.append(f"<caption>{html.escape(self.title)}</caption>")
        header = "".join(
            f'<th style="{a}">{html.escape(c)}</th>'
            for c, a in zip(self.columns, align, strict=True)
        )
        lines += ["<thead>", f"<tr>{header}</tr>", "</thead>", "<tbody>"]
        for row in self.cells:
            cells = "".join(
                f'<td style="{s}">{html.escape(v)}</td>' for v, s in zip(row, styles, strict=True)
            )
            lines.append(f"<tr>{cells}</tr>")
        lines += ["</tbody>", "</table>"]
        return "\n".join(lines)

    def __str__(self) -> str:
        """Aligned text: headers wrapped at spaces to their column's widest value (never
        narrower than their longest word), a rule under them, two spaces between columns."""
        widths = [
            max([len(w) for w in column.split()] + [len(row[j]) for row in self.cells] + [1])
            for j, column in enumerate(self.columns)
        ]
        header_lines = [
            textwrap.wrap(c, w) or [""] for c, w in zip(self.columns, widths, strict=True)
        ]
        depth = max([len(h) for h in header_lines] + [1])
        header_lines = [[""] * (depth - len(h)) + h for h in header_lines]  # bottom-aligned
        numeric = self.numeric()

        def line(values: Sequence[str]) -> str:
            return "  ".join(
                v.rjust(w) if n else v.ljust(w)
                for v, w, n in zip(values, widths, numeric, strict=True)
            ).rstrip()

        lines = [self.title] if self.title else []
        lines += [line([h[k] for h in header_lines]) for k in range(depth)]
        lines.append("  ".join("-" * w for w in widths))
        lines += [line(row) for row in self.cells]
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))


def show_table(
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    formats: Mapping[str, str] | None = None,
    float_format: str | None = None,
    title: str = "",
) -> None:
    """Show a :class:`Table`: as HTML in a notebook (IPython's ``display``), as text elsewhere.

    The arguments and errors are :class:`Table`'s.
    """
    from IPython.display import display

    display(Table(columns, rows, formats or {}, float_format, title))
