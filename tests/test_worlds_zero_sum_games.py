"""Specification of alignment_lab.worlds.zero_sum_games: rock-paper-scissors, the ranking game,
the disc game, Colonel Blotto and the count of cyclic triangles."""

from math import comb

import numpy as np
import pytest

from alignment_lab.worlds.zero_sum_games import (
    blotto_game,
    blotto_strategies,
    cyclic_triangles,
    disc_game,
    ranking_game,
    rock_paper_scissors,
    sample_disc,
)


def is_antisymmetric(payoff):
    return np.allclose(payoff, -payoff.T)


def test_paper_beats_rock_scissors_beat_paper_and_rock_beats_scissors():
    rock, paper, scissors = 0, 1, 2
    game = rock_paper_scissors()
    assert is_antisymmetric(game)
    assert game[paper, rock] == game[scissors, paper] == game[rock, scissors] == 1


def test_the_ranking_game_pays_the_difference_of_ratings():
    game = ranking_game(np.array([2.0, -1.0, 0.5]))
    assert is_antisymmetric(game)
    assert game[0, 1] == 3.0 and game[2, 0] == -1.5


def test_the_ranking_game_rejects_a_matrix_or_infinite_ratings():
    with pytest.raises(ValueError, match="ratings"):
        ranking_game(np.ones((2, 2)))
    with pytest.raises(ValueError, match="ratings"):
        ranking_game(np.array([1.0, np.inf]))


def test_points_sampled_from_the_disc_lie_in_it_and_fill_it_evenly():
    points = sample_disc(20_000, np.random.default_rng(0))
    radius = np.linalg.norm(points, axis=1)
    assert points.shape == (20_000, 2) and radius.max() <= 1
    assert abs(np.mean(radius < np.sqrt(0.5)) - 0.5) < 0.02  # half the area, half the points
    with pytest.raises(ValueError, match="n_points"):
        sample_disc(0, np.random.default_rng(0))


def test_in_the_disc_game_a_point_beats_the_points_a_quarter_turn_anticlockwise():
    points = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    game = disc_game(points)
    assert is_antisymmetric(game)
    assert game[0, 1] == game[1, 2] == game[2, 3] == game[3, 0] == 1  # a cycle of four
    assert game[0, 2] == 0  # opposite points tie


def test_the_disc_games_ranking_rewards_the_first_coordinate():
    points = np.array([[0.5, 0.0], [-0.5, 0.0]])
    assert disc_game(points, transitive_weight=2.0)[0, 1] == pytest.approx(2.0)
    with pytest.raises(ValueError, match="shape"):
        disc_game(np.ones((3, 3)))


def test_blotto_lists_every_split_of_the_soldiers_once():
    strategies = blotto_strategies(5, 3)
    assert strategies.shape == (comb(5 + 2, 2), 3)
    assert np.all(strategies.sum(axis=1) == 5) and np.all(strategies >= 0)
    assert len({tuple(s) for s in strategies}) == len(strategies)
    with pytest.raises(ValueError, match="n_fields"):
        blotto_strategies(5, 1)


def test_blotto_is_won_by_the_side_that_wins_more_battlefields():
    strategies = np.array([[3, 1, 1], [2, 2, 1], [5, 0, 0], [1, 1, 3]])
    game = blotto_game(strategies)
    assert is_antisymmetric(game)
    assert game[1, 0] == 0  # one field each, one tied
    assert game[1, 2] == 1  # wins two fields, loses one
    assert game[0, 3] == 0 and game[3, 2] == 1


def test_rock_paper_scissors_is_one_cyclic_triangle_and_a_ranking_has_none():
    assert cyclic_triangles(rock_paper_scissors()) == 1.0
    assert cyclic_triangles(ranking_game(np.arange(6.0))) == 0.0
    assert cyclic_triangles(np.zeros((2, 2))) == 0.0


def test_a_cyclic_triangle_is_counted_once_among_all_triples():
    # 0 beats 1 beats 2 beats 0; 3 loses to everyone: one cyclic triple of four
    game = np.zeros((4, 4))
    for winner, loser in [(0, 1), (1, 2), (2, 0), (0, 3), (1, 3), (2, 3)]:
        game[winner, loser], game[loser, winner] = 1, -1
    assert cyclic_triangles(game) == pytest.approx(1 / 4)
