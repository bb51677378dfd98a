"""Specification of alignment_lab.worlds.power_seeking: the fork, gridworlds drawn as text and
the reward distributions."""

import numpy as np
import pytest

from alignment_lab.planning import value_iteration
from alignment_lab.worlds.gridworld import MOVES
from alignment_lab.worlds.power_seeking import (
    REWARD_DISTRIBUTIONS,
    DeterministicMDP,
    fork,
    grid_from_picture,
    sample_rewards,
)


def test_the_fork_keeps_more_terminal_options_behind_the_road_than_behind_the_shop():
    world = fork(n_cities=3, road_length=2, n_treats=4)
    start, road, shop = world.state("start"), world.state("road 1"), world.state("shop")
    assert world.n_states == 1 + 2 + 1 + 3 + 1 + 4 + 1
    assert world.n_actions == 4  # the widest state, the shop, has 4 moves
    assert world.next_state[start, 0] == road
    assert list(world.actions_to(start, shop)) == [1, 2, 3]  # short rows repeat their last move
    cities = {world.state(f"city {i}") for i in (1, 2, 3)}
    assert world.reachable_terminals(road) == cities
    assert world.reachable_terminals(shop) == {world.state("dead end")}
    assert world.terminal.sum() == 4 and not world.terminal[start]
    assert world.next_state[world.state("road 2"), 0] == world.state("hub")


def test_a_fork_without_road_goes_straight_to_the_hub():
    world = fork(n_cities=2, road_length=0, n_treats=1)
    assert world.names[world.next_state[world.state("start"), 0]] == "hub"
    assert world.n_actions == 2


def test_optimal_values_of_the_fork_follow_the_best_terminal_for_a_farsighted_agent():
    world = fork(n_cities=2, road_length=1, n_treats=1)
    reward = np.zeros(world.n_states)
    reward[world.state("city 2")] = 1.0
    transitions = np.eye(world.n_states)[world.next_state]
    values, q_values = value_iteration(transitions, reward[:, None], 0.9)
    start = world.state("start")
    assert q_values[start, 0] > q_values[start, 1]  # the road leads to the paying city
    assert values[start] == pytest.approx(0.9**3 / 0.1)


def test_bad_processes_and_forks_are_named():
    with pytest.raises(ValueError, match="one row per name"):
        DeterministicMDP(("a", "b"), np.zeros((3, 1), dtype=int))
    with pytest.raises(ValueError, match="only 2 states"):
        DeterministicMDP(("a", "b"), np.array([[0], [2]]))
    with pytest.raises(ValueError, match="distinct"):
        DeterministicMDP(("a", "a"), np.array([[0], [1]]))
    with pytest.raises(ValueError, match="non-negative ints"):
        DeterministicMDP(("a",), np.array([[0.5]]))
    with pytest.raises(ValueError, match="no state called 'x'"):
        fork().state("x")
    with pytest.raises(ValueError, match="n_cities must be a positive int"):
        fork(n_cities=0)
    with pytest.raises(ValueError, match="road_length must be >= 0"):
        fork(road_length=-1)


def test_a_picture_becomes_a_gridworld_with_walls_and_absorbing_cells():
    world = grid_from_picture(["X.#", "..."])
    assert world.n_states == 5 and world.n_actions == len(MOVES)
    off = world.state(0, 0)
    assert (world.next_state[off] == off).all()
    with pytest.raises(ValueError, match="is a wall"):
        world.state(0, 2)
    with pytest.raises(ValueError, match="equal length"):
        grid_from_picture(["..", "."])
    with pytest.raises(ValueError, match=r"unknown cell characters \['o'\]"):
        grid_from_picture(["o."])


def test_rewards_are_drawn_per_state_from_the_named_distribution():
    rng = np.random.default_rng(0)
    assert set(REWARD_DISTRIBUTIONS) == {"uniform", "exponential", "bernoulli"}
    uniform = sample_rewards("uniform", 20_000, 3, rng)
    assert uniform.shape == (20_000, 3) and 0 <= uniform.min() and uniform.max() <= 1
    assert abs(uniform.mean() - 0.5) < 0.01
    exponential = sample_rewards("exponential", 20_000, 3, rng)
    assert exponential.min() >= 0 and abs(exponential.mean() - 1.0) < 0.03
    sparse = sample_rewards("bernoulli", 20_000, 3, rng)
    assert set(np.unique(sparse)) == {0.0, 1.0} and abs(sparse.mean() - 0.2) < 0.01
    with pytest.raises(ValueError, match="unknown reward distribution 'gauss'"):
        sample_rewards("gauss", 2, 3, rng)
    with pytest.raises(ValueError, match="n_rewards must be a positive int"):
        sample_rewards("uniform", 0, 3, rng)
