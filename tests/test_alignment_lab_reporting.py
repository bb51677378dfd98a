"""Tables of results: HTML for notebooks and the book, aligned text for a terminal."""

from html.parser import HTMLParser

import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter

from alignment_lab.reporting import Table, show_table


class ParsedTable(HTMLParser):
    """The caption, the header row and the body rows of an HTML table, with each cell's style."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.caption, self.header, self.body, self.tables = "", [], [], 0
        self._section, self._cell, self._in_caption = None, None, False
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables += 1
        elif tag in ("thead", "tbody"):
            self._section = tag
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            (self.header if self._section == "thead" else self.body).append([])
        elif tag in ("th", "td"):
            self._cell = {"tag": tag, "text": "", "style": attrs.get("style", "")}

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            (self.header if self._section == "thead" else self.body)[-1].append(self._cell)
            self._cell = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data
        elif self._in_caption:
            self.caption += data


def parse(table: Table) -> ParsedTable:
    return ParsedTable(table._repr_html_())


def texts(rows) -> list[list[str]]:
    return [[cell["text"] for cell in row] for row in rows]


def test_each_column_is_formatted_once_by_its_format_spec_or_template():
    table = Table(
        ["seed", "accuracy", "change", "share", "time"],
        [[0, 0.96123, 0.5, 0.25, 1.5], [12, np.float64(0.9555), -0.125, 1.0, 12.0]],
        formats={"accuracy": ".3f", "change": "+.2f", "share": ".0%", "time": "{:.1f} s"},
    )
    # Catches: a format ignored, or applied to the neighbouring column.
    assert texts(parse(table).body) == [
        ["0", "0.961", "+0.50", "25%", "1.5 s"],
        ["12", "0.956", "-0.12", "100%", "12.0 s"],
    ]


def test_float_format_covers_the_non_integers_of_columns_without_a_format_of_their_own():
    table = Table(
        ["seed", "epoch", "accuracy", "ratio", "note"],
        [[0, np.int64(12), np.float64(0.96123), 4.75, "ok"]],
        formats={"ratio": ".1f"},
        float_format=".3f",
    )
    # Catches: integers shown as 0.000, or the default overriding a column's own format.
    assert texts(parse(table).body) == [["0", "12", "0.961", "4.8", "ok"]]


def test_a_cell_of_several_numbers_shows_each_in_the_column_format_side_by_side():
    table = Table(
        ["remedy", "accuracy per seed"], [["none", [0.5, 0.625, 1]]], {"accuracy per seed": ".2f"}
    )
    # Catches: the list printed as a Python list, or only its first number formatted.
    assert texts(parse(table).body) == [["none", "0.50 0.62 1.00"]]


def test_the_html_has_a_caption_one_header_row_and_a_row_per_row_of_values():
    table = Table(["seed", "ratio"], [[0, 4.8], [1, 5.1], [2, 4.9]], title="Epochs to fit")
    parsed = parse(table)
    # Catches: headers written as a body row, or a row lost or repeated.
    assert parsed.tables == 1 and parsed.caption == "Epochs to fit"
    assert [[c["tag"] for c in row] for row in parsed.header] == [["th", "th"]]
    assert texts(parsed.header) == [["seed", "ratio"]]
    assert texts(parsed.body) == [["0", "4.8"], ["1", "5.1"], ["2", "4.9"]]


def test_the_html_escapes_headers_values_and_title():
    table = Table(["a<b", "x & y"], [["<script>alert(1)</script>", 1]], title="<i>t</i> & co")
    markup = table._repr_html_()
    # Catches: text pasted into the markup raw, where it would become tags.
    assert "<script>" not in markup and "<i>" not in markup
    parsed = parse(table)
    assert texts(parsed.header) == [["a<b", "x & y"]]
    assert texts(parsed.body)[0][0] == "<script>alert(1)</script>"
    assert parsed.caption == "<i>t</i> & co"


def test_columns_of_numbers_are_right_aligned_and_columns_of_text_left_aligned():
    table = Table(
        ["scenario", "seed", "P(true goal)", "flag"],
        [["noisy human", 0, 0.93, True], ["biased human", np.int64(1), 0.51, False]],
        formats={"P(true goal)": ".2f"},
    )
    parsed = parse(table)
    # Catches: every column aligned one way, or the header aligned apart from its column.
    expected = ["left", "right", "right", "left"]
    for row in parsed.header + parsed.body:
        assert [c["style"].split(";")[0] for c in row] == [f"text-align: {a}" for a in expected]


def test_headers_may_wrap_in_the_html_but_numbers_do_not():
    parsed = parse(Table(["a long header", "name"], [[0.5, "x y"]]))
    # Catches: a table that cannot get narrower than its headers on one line, or a number split.
    assert all("nowrap" not in c["style"] for c in parsed.header[0])
    assert "nowrap" in parsed.body[0][0]["style"] and "nowrap" not in parsed.body[0][1]["style"]


def test_the_text_form_aligns_columns_and_wraps_long_headers_above_a_rule():
    table = Table(
        ["seed", "epochs true", "scenario"],
        [[0, 27, "rational"], [12, 131, "noisy"]],
        title="Fits",
    )
    # Catches: the text form lost (the terminal would show the object's repr), headers as wide
    # as their full text, or numbers aligned like text.
    assert str(table).splitlines() == [
        "Fits",
        "      epochs",
        "seed    true  scenario",
        "----  ------  --------",
        "   0      27  rational",
        "  12     131  noisy",
    ]


def test_jupyter_gets_both_the_html_and_the_text_form():
    table = Table(["seed", "ratio"], [[0, 4.8]])
    bundle, _ = DisplayFormatter().format(table)
    # Catches: a table Jupyter and the book would show as text, or as a bare repr.
    assert bundle["text/html"] == table._repr_html_()
    assert bundle["text/plain"] == str(table)


def test_show_table_outside_a_notebook_prints_the_text_form(capsys):
    show_table(["seed", "ratio"], [[0, 4.8]], formats={"ratio": ".2f"})
    assert capsys.readouterr().out.splitlines() == ["seed  ratio", "----  -----", "   0   4.80"]


def test_a_row_of_the_wrong_length_is_refused_with_the_columns_named():
    with pytest.raises(ValueError, match=r"row 1 has 1 values but there are 2 columns"):
        Table(["seed", "ratio"], [[0, 1], [2]])


def test_a_format_for_a_column_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match=r"formats are given for \['ration'\].*are \['seed', "):
        Table(["seed", "ratio"], [[0, 1.0]], formats={"ration": ".2f"})


def test_repeated_headers_are_refused():
    with pytest.raises(ValueError, match=r"\['\(epoch\)'\] appear more than once"):
        Table(["peak", "(epoch)", "final", "(epoch)"], [[0.9, 3, 0.8, 9]])


def test_a_value_that_does_not_fit_its_format_names_its_row_and_column():
    with pytest.raises(ValueError, match=r"row 1, column 'ratio': cannot show 'n/a' \(str\)"):
        Table(["seed", "ratio"], [[0, 1.0], [1, "n/a"]], formats={"ratio": ".2f"})
