"""Specification of alignment_lab.worlds.gridworld."""

import numpy as np
import pytest

from alignment_lab.worlds.gridworld import MOVES, Gridworld, value_iteration

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


def test_value_iteration_matches_the_closed_form_of_walking_to_a_reward():
    # A corridor of 4 cells; reward 1 in the absorbing last cell: V(s) = g^(3-s) / (1-g).
    world = Gridworld(1, 4, absorbing={(0, 3)})
    reward = np.array([0.0, 0.0, 0.0, 1.0])
    values, q_values = value_iteration(world.transitions, reward, discount=0.9)
    np.testing.assert_allclose(values, 0.9 ** np.arange(3, -1, -1) / 0.1, atol=1e-8)
    assert q_values.shape == (4, 5) and q_values[0].argmax() == RIGHT


def test_a_batch_of_rewards_gives_the_values_of_each_and_stochastic_worlds_work():
    rng = np.random.default_rng(0)
    world = Gridworld(3, 3, walls={(1, 1)})
    rewards = rng.uniform(size=(4, world.n_states))
    batch, _ = value_iteration(world.transitions, rewards, 0.8)
    one = [value_iteration(world.transitions, r, 0.8)[0] for r in rewards]
    np.testing.assert_allclose(batch, one)
    # The same world with transitions given as probabilities (einsum path) agrees.
    slippery = 0.999999 * world.transitions + 0.000001 / world.n_states
    close, _ = value_iteration(slippery, rewards, 0.8)
    np.testing.assert_allclose(close, batch, atol=1e-4)


def test_bad_planning_inputs_are_named():
    world = Gridworld(1, 2)
    with pytest.raises(ValueError, match=r"discount must be in \[0, 1\)"):
        value_iteration(world.transitions, np.zeros(2), 1.0)
    with pytest.raises(ValueError, match="one entry per state"):
        value_iteration(world.transitions, np.zeros(3), 0.5)
    with pytest.raises(ValueError, match="probability distribution"):
        value_iteration(2 * world.transitions, np.zeros(2), 0.5)
    with pytest.raises(RuntimeError, match="did not converge"):
        value_iteration(world.transitions, np.ones(2), 0.99, max_iterations=3)
