"""Specification of alignment_lab.worlds.offline_rl."""

import numpy as np
import pytest

from alignment_lab.planning import greedy_policy
from alignment_lab.worlds.offline_rl import (
    Dataset,
    Task,
    epsilon_greedy,
    fit_policy,
    grid_task,
    lucky_gamble,
    mean_by_state,
    noisy_chain,
    offline_q_learning,
    optimal_q_values,
    policy_q_values,
    policy_values,
    sample_episodes,
)


def test_the_grid_has_a_best_route_around_the_pit_and_its_value_is_exact():
    task = grid_task()
    best = greedy_policy(optimal_q_values(task))
    # 8 steps around the pit: seven cost 1, the last pays 10, discounted by 0.9 per step.
    expected = -sum(0.9**k for k in range(7)) + 10 * 0.9**7
    assert policy_values(task, best)[task.start] == pytest.approx(expected)
    random_walk = np.full((task.n_states, task.n_actions), 0.25)
    assert policy_values(task, random_walk)[task.start] < expected - 5


def test_the_lucky_gamble_is_worth_its_expectation_and_q_learning_finds_the_safe_arm():
    task = lucky_gamble(safe=1.0, jackpot=3.0, p_win=0.2)
    q = policy_q_values(task, np.full((4, 2), 0.5))
    assert q[task.start] == pytest.approx([1.0, 0.6])
    data = sample_episodes(task, np.full((4, 2), 0.5), 2000, 1, np.random.default_rng(0))
    assert set(np.unique(data.returns_to_go)) == {0.0, 1.0, 3.0}
    learned = offline_q_learning(data, 4, 2, task.discount)
    assert learned[task.start, 0] == 1.0 and abs(learned[task.start, 1] - 0.6) < 0.1
    assert greedy_policy(learned)[task.start].tolist() == [1.0, 0.0]


def test_episodes_log_returns_to_go_and_end_at_terminal_states_or_the_horizon():
    task = grid_task()
    rng = np.random.default_rng(1)
    data = sample_episodes(task, epsilon_greedy(task, 1.0), 20, 12, rng, source="random")
    for episode in np.unique(data.episodes):
        steps = np.flatnonzero(data.episodes == episode)
        assert data.states[steps[0]] == task.start
        assert np.array_equal(data.states[steps[1:]], data.next_states[steps[:-1]])
        assert len(steps) == 12 or data.dones[steps[-1]]
        assert not data.dones[steps[:-1]].any()
        to_go = np.zeros(len(steps))
        running = 0.0
        for i in reversed(range(len(steps))):
            running = data.rewards[steps[i]] + 0.9 * running
            to_go[i] = running
        np.testing.assert_allclose(data.returns_to_go[steps], to_go)
        np.testing.assert_allclose(data.episode_returns[steps], to_go[0])
    both = Dataset.concatenate([data, data])
    assert len(both) == 2 * len(data) and len(np.unique(both.episodes)) == 40


def test_fit_policy_shares_the_weight_and_is_uniform_where_there_is_none():
    policy = fit_policy(
        np.array([0, 0, 0, 1]), np.array([0, 1, 1, 0]), np.array([1.0, 1.0, 2.0, 0.0]), 3, 2
    )
    np.testing.assert_allclose(policy, [[0.25, 0.75], [0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ValueError, match="finite and >= 0"):
        fit_policy(np.array([0]), np.array([0]), np.array([-1.0]), 1, 2)


def test_mean_by_state_averages_and_gives_zero_to_unseen_states():
    np.testing.assert_allclose(
        mean_by_state(np.array([0, 0, 2]), np.array([1.0, 3.0, 5.0]), 4), [2.0, 0.0, 5.0, 0.0]
    )


def test_the_noisy_chain_walks_right_and_its_advantages_average_to_zero():
    task, policy = noisy_chain(n_states=4, p_right=0.7)
    values = policy_values(task, policy)
    advantages = policy_q_values(task, policy) - values[:, None]
    np.testing.assert_allclose((policy * advantages).sum(axis=1), 0.0, atol=1e-12)
    assert (advantages[:-1, 1] > 0).all()  # moving right is better than the policy's average


def test_bad_tasks_and_policies_are_named():
    task = grid_task()
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="shape \\[n_states, n_actions\\]"):
        sample_episodes(task, np.ones((2, 2)), 1, 1, rng)
    with pytest.raises(ValueError, match="probability distribution"):
        sample_episodes(task, np.ones((task.n_states, task.n_actions)), 1, 1, rng)
    with pytest.raises(ValueError, match="probability distribution"):
        Task(2 * task.transitions, task.rewards, task.terminal, task.start, task.discount)
    with pytest.raises(ValueError, match="p_win"):
        lucky_gamble(p_win=1.0)
    with pytest.raises(ValueError, match="epsilon"):
        epsilon_greedy(task, 1.5)
    with pytest.raises(ValueError, match="discount"):
        Task(task.transitions, task.rewards, task.terminal, task.start, discount=1.5)
