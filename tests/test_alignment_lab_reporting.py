"""Tables of per-seed results."""

import pytest

from alignment_lab.reporting import format_table


def test_values_are_right_aligned_under_headers_as_wide_as_the_widest_entry():
    table = format_table(["seed", "ratio"], [[0, "4.8"], [12, "10.25"]])
    assert table.splitlines() == [
        "seed  ratio",
        "   0    4.8",
        "  12  10.25",
    ]


def test_a_row_of_the_wrong_length_is_refused_with_the_columns_named():
    with pytest.raises(ValueError, match=r"row 1 has 1 values but there are 2 columns"):
        format_table(["seed", "ratio"], [[0, 1], [2]])
