"""Specification of alignment_lab.worlds.trigger_digits: pixels numbered row by row, and an edge
bar that clean digits almost never ink."""

import pytest
import torch

from alignment_lab.data import load_unit_digits
from alignment_lab.worlds.trigger_digits import LEFT_EDGE_BAR, ink_fraction, pixel_indices


def test_pixels_are_numbered_row_by_row():
    assert pixel_indices([0], [0, 1]) == [0, 1]
    assert pixel_indices([1, 2], [7]) == [15, 23]
    assert LEFT_EDGE_BAR == (16, 24, 32, 40)


@pytest.mark.parametrize(("rows", "cols"), [([8], [0]), ([0], [-1]), ([], [0]), ([0.5], [0])])
def test_pixel_indices_reject_positions_outside_the_image(rows, cols):
    with pytest.raises(ValueError, match="rows|cols|patch"):
        pixel_indices(rows, cols)


def test_the_edge_bar_is_almost_never_inked_but_the_centre_almost_always():
    X = load_unit_digits(seed=0).X_train
    assert ink_fraction(X, LEFT_EDGE_BAR) < 0.01
    assert ink_fraction(X, pixel_indices([3, 4], [3, 4])) > 0.9
    assert ink_fraction(torch.ones(3, 64), [5]) == 1.0
    with pytest.raises(ValueError, match="non-empty"):
        ink_fraction(torch.ones(0, 64), [5])
