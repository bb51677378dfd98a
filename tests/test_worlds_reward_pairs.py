"""Specification of alignment_lab.worlds.reward_pairs: shaping, regret, demonstrations and
random reward pairs on a tabular decision process."""

import numpy as np
import pytest

from alignment_lab.planning import expected_reward, greedy_policy, value_iteration
from alignment_lab.worlds.gridworld import Gridworld
from alignment_lab.worlds.reward_pairs import (
    TIE_TOLERANCE,
    demonstration_counts,
    lift_state_reward,
    potential_shaping,
    random_reward_pairs,
    regret,
)

GRID = Gridworld(3, 4, walls={(1, 1)})
GAMMA = 0.9


def optimal_q_values(reward):
    """Optimal action values ``[..., S, A]`` of transition rewards ``[..., S, A, S]`` on GRID."""
    return value_iteration(GRID.transitions, expected_reward(GRID.transitions, reward), GAMMA)[1]


def test_a_lifted_state_reward_is_received_in_the_state_it_is_spent_in():
    lifted = lift_state_reward(np.array([1.0, -2.0, 3.0]), n_actions=2)
    assert lifted.shape == (3, 2, 3)
    assert np.all(lifted[1] == -2.0) and np.all(lifted[2] == 3.0)
    batch = lift_state_reward(np.ones((4, 3)), n_actions=2)
    assert batch.shape == (4, 3, 2, 3)


def test_a_lifted_state_reward_plans_like_the_state_reward_itself():
    reward = np.random.default_rng(0).standard_normal(GRID.n_states)
    _, expected = value_iteration(GRID.transitions, reward[:, None], GAMMA)
    lifted = lift_state_reward(reward, GRID.n_actions)
    assert np.allclose(optimal_q_values(lifted), expected, atol=1e-8)


def test_shaping_shifts_every_q_value_by_minus_the_potential_and_keeps_the_optimal_policy():
    rng = np.random.default_rng(1)
    reward = lift_state_reward(rng.standard_normal(GRID.n_states), GRID.n_actions)
    potential = 5 * rng.standard_normal(GRID.n_states)
    shaped = potential_shaping(reward, potential, GAMMA)
    q, q_shaped = optimal_q_values(reward), optimal_q_values(shaped)
    assert np.allclose(q_shaped, q - potential[:, None], atol=1e-7)
    assert np.array_equal(
        greedy_policy(q, TIE_TOLERANCE) > 0, greedy_policy(q_shaped, TIE_TOLERANCE) > 0
    )


def test_regret_is_0_for_the_true_reward_1_for_a_flat_one_and_above_1_for_its_negation():
    reward = lift_state_reward(np.random.default_rng(3).standard_normal(GRID.n_states), 5)
    assert abs(float(regret(GRID.transitions, reward, reward, GAMMA))) < 1e-9
    flat = np.zeros_like(reward)
    assert abs(float(regret(GRID.transitions, reward, flat, GAMMA)) - 1.0) < 1e-9
    assert float(regret(GRID.transitions, reward, -reward, GAMMA)) > 1.0
    batch = regret(GRID.transitions, np.stack([reward, reward]), np.stack([reward, flat]), GAMMA)
    assert batch.shape == (2,) and np.allclose(batch, [0.0, 1.0], atol=1e-9)


def test_regret_of_a_reward_that_prefers_nothing_is_an_error():
    flat = np.zeros((GRID.n_states, GRID.n_actions, GRID.n_states))
    with pytest.raises(ValueError, match="same value"):
        regret(GRID.transitions, flat, flat, GAMMA)


def test_demonstration_counts_follow_the_policy():
    policy = np.zeros((GRID.n_states, GRID.n_actions))
    policy[:, 1] = 0.75
    policy[:, 3] = 0.25
    counts = demonstration_counts(GRID.transitions, policy, 400, 10, np.random.default_rng(4))
    assert counts.shape == policy.shape and counts.sum() == 4000
    assert counts[:, [0, 2, 4]].sum() == 0
    assert abs(counts[:, 1].sum() / 4000 - 0.75) < 0.03


def test_random_reward_pairs_disguise_the_proxy_without_changing_its_optimal_policy():
    pairs = random_reward_pairs(6, GRID.n_states, GRID.n_actions, GAMMA, np.random.default_rng(5))
    assert pairs.true.shape == pairs.proxy.shape == (6, GRID.n_states, 5, GRID.n_states)
    assert pairs.noise.shape == pairs.scale.shape == (6,) and np.all(pairs.scale > 0)
    undisguised = random_reward_pairs(
        6, GRID.n_states, GRID.n_actions, GAMMA, np.random.default_rng(5), disguise=0.0
    )
    assert np.allclose(undisguised.scale, 1.0) and np.allclose(undisguised.potential, 0.0)
    q, q_plain = optimal_q_values(pairs.proxy), optimal_q_values(undisguised.proxy)
    assert np.array_equal(q.argmax(axis=-1), q_plain.argmax(axis=-1))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: potential_shaping(np.zeros((2, 1, 2)), np.zeros(3), 0.9), "one entry per state"),
        (lambda: potential_shaping(np.zeros((2, 1, 2)), np.zeros(2), 1.0), "discount"),
        (lambda: regret(GRID.transitions, np.zeros((11, 5)), np.zeros((11, 5)), 0.9), "shape"),
        (lambda: demonstration_counts(np.ones((2, 1, 2)), None, 1, 1, None), "probability"),
        (lambda: lift_state_reward(np.float64(1.0), 2), "one entry per state"),
        (
            lambda: random_reward_pairs(2, 3, 2, 0.9, np.random.default_rng(0), disguise=-1),
            "disguise",
        ),
    ],
)
def test_bad_input_is_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
