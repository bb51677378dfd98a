"""Specification of alignment_lab.worlds.coin_grid."""

import numpy as np
import pytest

from alignment_lab.worlds.coin_grid import STAY, CoinGrid
from alignment_lab.worlds.gridworld import MOVES

UP, DOWN, LEFT, RIGHT = (list(MOVES).index(m) for m in ("up", "down", "left", "right"))


def test_the_expert_moves_along_shortest_paths_and_stays_on_the_coin():
    world = CoinGrid(size=5, corner=(0, 4))
    rng = np.random.default_rng(0)
    agents = np.array([[2, 2], [2, 2], [4, 0], [1, 1]])
    coins = np.array([[0, 2], [2, 4], [4, 0], [3, 3]])
    actions = world.expert_actions(agents, coins, rng)
    assert actions[0] == UP and actions[1] == RIGHT and actions[2] == STAY
    assert actions[3] in (DOWN, RIGHT)
    # ties between shortest moves are broken at random, both ways
    many = world.expert_actions(np.repeat([[1, 1]], 200, 0), np.repeat([[3, 3]], 200, 0), rng)
    assert set(many.tolist()) == {DOWN, RIGHT}


def test_training_coins_sit_in_the_corner_except_with_probability_p():
    world = CoinGrid()
    rng = np.random.default_rng(1)
    assert (world.sample_coins(50, 0.0, rng) == (0, 6)).all()
    anywhere = world.sample_coins(4000, 1.0, rng)
    assert not (anywhere == (0, 6)).all(axis=1).any()
    assert len({tuple(c) for c in anywhere}) == 48
    share = (world.sample_coins(4000, 0.2, rng) != (0, 6)).any(axis=1).mean()
    assert 0.17 < share < 0.23
    starts = world.sample_starts(anywhere, rng)
    assert not (starts == anywhere).all(axis=1).any()


def test_demonstrations_walk_from_each_start_to_its_coin_and_stop():
    world = CoinGrid(size=4, corner=(0, 3))
    demo = world.demonstrations(30, 0.5, np.random.default_rng(2))
    starts, coins = demo.agents[:30], demo.coins[:30]
    distance = np.abs(starts - coins).sum(axis=1)
    assert len(demo.actions) == (distance + 1).sum()  # the moves, then one stay each
    assert (demo.actions == STAY).sum() == 30
    stays = demo.actions == STAY
    assert (demo.agents[stays] == demo.coins[stays]).all()


def test_rollouts_stop_on_stay_and_are_cut_off_after_max_steps():
    world = CoinGrid(size=3, corner=(0, 2))
    starts, coins = np.array([[2, 0], [1, 1]]), np.array([[0, 0], [2, 2]])

    def up_until_the_top(agents, coins):
        return np.where(agents[:, 0] == 0, STAY, UP)

    done = world.rollout(up_until_the_top, starts, coins, max_steps=5)
    assert done.stopped.tolist() == [True, True]
    assert done.paths[0].tolist() == [[2, 0], [1, 0], [0, 0]]
    assert done.paths[1].tolist() == [[1, 1], [0, 1]]

    def always_right(agents, coins):
        return np.full(len(agents), RIGHT)

    pushed = world.rollout(always_right, starts, coins, max_steps=4)
    assert not pushed.stopped.any()
    assert pushed.paths[0].tolist() == [[2, 0], [2, 1], [2, 2], [2, 2], [2, 2]]


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="corner must be one of the grid's corners"):
        CoinGrid(size=7, corner=(3, 3))
    with pytest.raises(ValueError, match="size must be at least 2"):
        CoinGrid(size=1, corner=(0, 0))
    world = CoinGrid()
    with pytest.raises(ValueError, match="p is a probability"):
        world.sample_coins(3, 1.5, np.random.default_rng(0))
    with pytest.raises(ValueError, match="positions must be"):
        world.rollout(lambda a, c: np.zeros(len(a), int), [[7, 0]], [[0, 0]], max_steps=3)
    with pytest.raises(ValueError, match="max_steps must be a positive int"):
        world.rollout(lambda a, c: np.zeros(len(a), int), [[1, 0]], [[0, 0]], max_steps=0)
