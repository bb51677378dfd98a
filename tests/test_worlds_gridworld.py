"""Specification of alignment_lab.worlds.gridworld."""

import numpy as np
import pytest

from alignment_lab.worlds.gridworld import MOVES, Gridworld

UP, DOWN, LEFT, RIGHT, STAY = range(len(MOVES))


def test_states_skip_walls_and_moves_stop_at_walls_edges_and_absorbing_cells():
    world = Gridworld(2, 3, walls={(0, 1)}, absorbing={(1, 2)})
    assert world.cells == ((0, 0), (0, 2), (1, 0), (1, 1), (1, 2))
    top_left, corner = world.state(0, 0), world.state(1, 2)
    assert world.next_state[top_left, RIGHT] == top_left  # into the wall
    assert world.next_state[top_left, UP] == top_left  # off the grid
    assert world.next_state[top_left, DOWN] == world.state(1, 0)
    assert (world.next_state[corner] == corner).all()
    assert world.transitions.shape == (5, 5, 5)
    assert (world.transitions.sum(axis=2) == 1).all()
    picture = world.grid_of(np.arange(5.0))
    assert np.isnan(picture[0, 1]) and picture[1, 2] == 4.0


def test_bad_grids_and_cells_are_named():
    with pytest.raises(ValueError, match="outside the 2 x 2 grid"):
        Gridworld(2, 2, walls={(2, 0)})
    with pytest.raises(ValueError, match="both walls and absorbing"):
        Gridworld(2, 2, walls={(0, 0)}, absorbing={(0, 0)})
    with pytest.raises(ValueError, match="is a wall"):
        Gridworld(2, 2, walls={(0, 0)}).state(0, 0)
    with pytest.raises(ValueError, match="height must be a positive int"):
        Gridworld(0, 2)
    with pytest.raises(ValueError, match="one number per state"):
        Gridworld(2, 2).grid_of(np.zeros(3))
