"""Specification of alignment_lab.planning."""

import numpy as np
import pytest

from alignment_lab.planning import expected_reward, greedy_policy, policy_values, value_iteration
from alignment_lab.worlds.gridworld import MOVES, Gridworld

UP, DOWN, LEFT, RIGHT, STAY = range(len(MOVES))


def corridor():
    """Four cells in a row, the last absorbing; reward 1 for every step spent in it."""
    world = Gridworld(1, 4, absorbing={(0, 3)})
    return world.transitions, np.array([0.0, 0.0, 0.0, 1.0])[:, None]


def test_value_iteration_matches_the_closed_form_of_walking_to_a_reward():
    transitions, reward = corridor()
    values, q_values = value_iteration(transitions, reward, discount=0.9)
    np.testing.assert_allclose(values, 0.9 ** np.arange(3, -1, -1) / 0.1, atol=1e-8)
    assert q_values.shape == (4, 5) and q_values[0].argmax() == RIGHT


def test_terminal_states_are_worth_nothing_and_allow_a_discount_of_one():
    # Step right along the corridor for -1 per step until the last cell ends the episode.
    transitions, _ = corridor()
    cost = np.full((4, 5), -1.0)
    terminal = np.array([False, False, False, True])
    values, q_values = value_iteration(transitions, cost, 1.0, terminal=terminal)
    np.testing.assert_allclose(values, [-3, -2, -1, 0])
    assert (q_values[3] == 0).all()
    right = np.zeros((4, 5))
    right[:, RIGHT] = 1.0
    np.testing.assert_allclose(policy_values(transitions, cost, 1.0, right, terminal), values)
    stay = np.zeros((4, 5))
    stay[:, STAY] = 1.0
    with pytest.raises(ValueError, match="never ends some episodes"):
        policy_values(transitions, cost, 1.0, stay, terminal)


def test_a_batch_of_rewards_is_planned_at_once_in_deterministic_and_stochastic_worlds():
    rng = np.random.default_rng(0)
    world = Gridworld(3, 3, walls={(1, 1)})
    rewards = rng.uniform(size=(4, world.n_states, 1))
    batch, q_batch = value_iteration(world.transitions, rewards, 0.8)
    one = [value_iteration(world.transitions, r, 0.8)[0] for r in rewards]
    np.testing.assert_allclose(batch, one)
    slippery = 0.999999 * world.transitions + 0.000001 / world.n_states
    np.testing.assert_allclose(value_iteration(slippery, rewards, 0.8)[0], batch, atol=1e-4)
    # The greedy policy of the optimal values is worth the optimal values.
    policy = greedy_policy(q_batch, tie_tolerance=1e-9)
    np.testing.assert_allclose(
        policy_values(world.transitions, rewards, 0.8, policy), batch, atol=1e-8
    )


def test_transition_rewards_are_averaged_over_where_an_action_leads():
    transitions = np.array([[[0.5, 0.5]], [[0.0, 1.0]]])  # [2 states, 1 action, 2 states]
    reward = np.array([[[2.0, 4.0]], [[0.0, 1.0]]])
    np.testing.assert_allclose(expected_reward(transitions, reward), [[3.0], [1.0]])
    with pytest.raises(ValueError, match="transitions' shape"):
        expected_reward(transitions, reward[..., 0])


def test_greedy_policy_splits_ties_evenly_and_never_takes_impossible_actions():
    q = np.array([[1.0, 1.0, 0.0], [-np.inf, 2.0, -np.inf], [-np.inf, -np.inf, -np.inf]])
    np.testing.assert_allclose(
        greedy_policy(q), [[0.5, 0.5, 0.0], [0.0, 1.0, 0.0], [1 / 3, 1 / 3, 1 / 3]]
    )
    near = np.array([[1.0, 1.0 - 1e-12, 0.0]])
    assert greedy_policy(near)[0, 1] == 0.0
    assert greedy_policy(near, tie_tolerance=1e-9)[0, 1] == 0.5


def test_bad_inputs_are_named():
    transitions, reward = corridor()
    with pytest.raises(ValueError, match=r"discount must be in \[0, 1\)"):
        value_iteration(transitions, reward, 1.0)
    with pytest.raises(ValueError, match=r"reward must have shape \[\.\.\., n_states, n_actions"):
        value_iteration(transitions, np.zeros(4), 0.5)
    with pytest.raises(ValueError, match="probability distribution"):
        value_iteration(2 * transitions, reward, 0.5)
    with pytest.raises(ValueError, match="terminal must be 4 bools"):
        value_iteration(transitions, reward, 0.5, terminal=np.zeros(4))
    with pytest.raises(RuntimeError, match="did not converge"):
        value_iteration(transitions, reward, 0.99, max_iterations=3)
    with pytest.raises(ValueError, match="policy must end with"):
        policy_values(transitions, reward, 0.5, np.ones((4, 2)) / 2)


def test_the_values_of_a_stochastic_policy_satisfy_its_own_bellman_equation():
    rng = np.random.default_rng(1)
    transitions = rng.dirichlet(np.ones(4), size=(4, 3))  # [4 states, 3 actions, 4 states]
    reward = rng.normal(size=(2, 4, 3))  # a batch of two reward functions
    policy = rng.dirichlet(np.ones(3), size=4)
    values = policy_values(transitions, reward, 0.7, policy)
    next_values = np.einsum("sat,bt->bsa", transitions, values)
    backup = (policy * (reward + 0.7 * next_values)).sum(axis=-1)
    np.testing.assert_allclose(values, backup, atol=1e-12)
