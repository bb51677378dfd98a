"""Specification of alignment_lab.worlds.assistance_game: the game and the true human in it."""

import math

import numpy as np
import pytest
from scipy.stats import norm

from alignment_lab.worlds.assistance_game import (
    AssistanceGame,
    Human,
    allow_probability,
    normal_grid,
    outcome_value,
    sample_choices,
    sample_menus,
    snack_game,
)


def two_option_game(utilities) -> AssistanceGame:
    """One goal, two options with the given utilities ``[2]``."""
    return AssistanceGame(
        option_names=("a", "b"), goal_names=("only",), utilities=np.array([utilities])
    )


def pick_rate(game, human, n_rounds=20_000, seed=0) -> float:
    """Share of rounds in which the human picks option 0 from the menu (0, 1)."""
    menus = np.tile([[0, 1]], (n_rounds, 1))
    choices = sample_choices(game, 0, human, menus, np.random.default_rng(seed))
    return float(np.mean(choices == 0))


def test_snack_game_has_four_goals_five_snacks_and_utilities_centred_per_goal():
    game = snack_game()
    assert (game.n_goals, game.n_options) == (4, 5)
    assert game.utilities.shape == (4, 5)
    assert np.allclose(game.utilities.mean(axis=1), 0.0)
    assert game.feature_names == ("health", "taste")


def test_every_goal_has_a_snack_it_wants_and_one_it_would_rather_not_be_served():
    utilities = snack_game().utilities
    assert np.all(utilities.max(axis=1) > 0.1)
    assert np.all(utilities.min(axis=1) < -0.1)


def test_the_health_first_goal_ranks_salad_first_and_taste_first_ranks_cake_first():
    game = snack_game()
    assert game.option_names[int(np.argmax(game.utilities[0]))] == "salad"
    assert game.option_names[int(np.argmax(game.utilities[-1]))] == "cake"


def test_feature_returns_a_copy_of_the_named_column():
    game = snack_game()
    taste = game.feature("taste")
    assert taste.tolist() == [-0.6, 0.2, 0.5, 0.9, 1.0]
    taste[:] = 0
    assert game.feature("taste")[0] == -0.6, "feature must not hand out the game's own array"
    with pytest.raises(KeyError, match=r"no feature called 'sweetness'.*health"):
        game.feature("sweetness")


@pytest.mark.parametrize(
    ("utilities", "message"),
    [
        (np.zeros((2, 2)), r"shape \[n_goals, n_options\] = \(1, 2\), got \(2, 2\)"),
        (np.array([[0.0, np.nan]]), "finite"),
    ],
)
def test_a_game_refuses_utilities_of_the_wrong_shape_or_not_finite(utilities, message):
    with pytest.raises(ValueError, match=message):
        AssistanceGame(option_names=("a", "b"), goal_names=("g",), utilities=utilities)


def test_a_game_refuses_features_that_do_not_match_the_options_or_names():
    with pytest.raises(ValueError, match="one feature name per feature column"):
        AssistanceGame(
            option_names=("a", "b"),
            goal_names=("g",),
            utilities=np.zeros((1, 2)),
            features=np.zeros((2, 3)),
            feature_names=("x",),
        )


def test_menus_hold_distinct_sorted_options_of_the_requested_size():
    menus = sample_menus(5, 3, 200, np.random.default_rng(0))
    assert menus.shape == (200, 3)
    assert np.all(np.diff(menus, axis=1) > 0), "each menu is sorted and has no repeats"
    assert menus.min() >= 0 and menus.max() <= 4


def test_every_pair_of_options_is_offered_about_equally_often():
    menus = sample_menus(5, 2, 10_000, np.random.default_rng(1))
    _, counts = np.unique(menus, axis=0, return_counts=True)
    assert len(counts) == 10
    assert counts.min() > 850 and counts.max() < 1150, counts  # 1000 +- 5 standard deviations


def test_menus_are_reproducible_from_the_generator_seed():
    first = sample_menus(5, 2, 50, np.random.default_rng(7))
    again = sample_menus(5, 2, 50, np.random.default_rng(7))
    assert np.array_equal(first, again)


def test_sample_menus_refuses_a_menu_larger_than_the_options_or_a_seed_instead_of_a_generator():
    with pytest.raises(ValueError, match="menu_size must be between 2 and n_options = 5"):
        sample_menus(5, 6, 10, np.random.default_rng(0))
    with pytest.raises(TypeError, match="np.random.default_rng"):
        sample_menus(5, 2, 10, 0)


def test_a_rational_human_always_picks_her_best_option():
    game = snack_game()
    rng = np.random.default_rng(0)
    menus = sample_menus(game.n_options, 2, 500, rng)
    for goal in range(game.n_goals):
        choices = sample_choices(game, goal, Human(math.inf), menus, rng)
        best = menus[np.arange(len(menus)), np.argmax(game.utilities[goal][menus], axis=1)]
        assert np.array_equal(choices, best)


def test_a_rational_human_breaks_ties_uniformly():
    assert pick_rate(two_option_game([0.5, 0.5]), Human(math.inf)) == pytest.approx(0.5, abs=0.02)


def test_a_random_human_picks_uniformly_whatever_the_utilities():
    assert pick_rate(two_option_game([3.0, 0.0]), Human(0.0)) == pytest.approx(0.5, abs=0.02)


def test_a_noisy_human_picks_the_better_option_with_the_boltzmann_probability():
    beta, gap = 2.0, 0.3
    expected = 1 / (1 + math.exp(-beta * gap))  # 0.646
    rate = pick_rate(two_option_game([gap, 0.0]), Human(beta))
    assert rate == pytest.approx(expected, abs=0.015)  # ~4.5 standard errors at 20,000 rounds


def test_a_noisy_human_does_not_overflow_with_huge_utilities():
    rate = pick_rate(two_option_game([1000.0, 999.0]), Human(1.0), n_rounds=5000)
    assert rate == pytest.approx(1 / (1 + math.exp(-1.0)), abs=0.03)


def test_bias_shifts_her_choices_from_menus():
    game = snack_game()
    salad, cake = game.option_names.index("salad"), game.option_names.index("cake")
    menus = np.tile([[salad, cake]], (10, 1))
    rng = np.random.default_rng(0)
    unbiased = sample_choices(game, 0, Human(math.inf), menus, rng)
    tempted = Human(math.inf, bias=3.0 * game.feature("taste"))
    biased = sample_choices(game, 0, tempted, menus, rng)
    assert np.all(unbiased == salad) and np.all(biased == cake)


def test_bias_does_not_change_her_answer_when_the_robot_asks():
    tempted = Human(math.inf, bias=np.array([0.0, 5.0]))
    assert outcome_value("defer", -1.0, tempted) == 0.0, "she vetoes a snack her goal dislikes"


def test_choices_are_option_indices_reproducible_from_the_generator_seed():
    game = snack_game()
    menus = sample_menus(game.n_options, 3, 100, np.random.default_rng(3))
    first = sample_choices(game, 2, Human(2.0), menus, np.random.default_rng(4))
    again = sample_choices(game, 2, Human(2.0), menus, np.random.default_rng(4))
    assert np.array_equal(first, again)
    assert all(c in m for c, m in zip(first, menus, strict=True))


@pytest.mark.parametrize("beta", [-1.0, math.nan])
def test_a_human_refuses_a_negative_or_nan_rationality(beta):
    with pytest.raises(ValueError, match="beta must be >= 0"):
        Human(beta)


def test_a_human_refuses_a_bias_with_one_value_per_option_missing():
    human = Human(1.0, bias=np.zeros(3))
    with pytest.raises(ValueError, match="bias has 3 entries but there are 5 options"):
        human.choice_utilities(snack_game().utilities)


@pytest.mark.parametrize(
    ("goal", "menus", "message"),
    [
        (4, np.array([[0, 1]]), r"goal must be an index in \[0, 4\)"),
        (0, np.array([[0, 5]]), r"option indices in \[0, 5\)"),
        (0, np.array([0.0, 1.0]), "integer array"),
    ],
)
def test_sample_choices_refuses_a_bad_goal_or_bad_menus(goal, menus, message):
    with pytest.raises(ValueError, match=message):
        sample_choices(snack_game(), goal, Human(1.0), menus, np.random.default_rng(0))


def test_allow_probability_is_a_step_for_a_rational_human_and_a_sigmoid_otherwise():
    assert allow_probability(np.array([-1.0, 0.0, 1.0]), math.inf).tolist() == [0.0, 0.0, 1.0]
    assert float(allow_probability(1.0, math.log(3))) == pytest.approx(0.75)
    assert float(allow_probability(0.7, 0.0)) == 0.5
    with np.errstate(over="raise", invalid="raise"):  # no overflow for extreme arguments
        extreme = allow_probability(np.array([-5.0, 5.0]), 1e4)
    assert extreme.tolist() == pytest.approx([0.0, 1.0])


def test_outcome_value_of_acting_asking_and_switching_off():
    noisy = Human(math.log(3))
    assert outcome_value("act", -0.4, noisy) == -0.4
    assert outcome_value("off", 0.9, noisy) == 0.0
    assert outcome_value("defer", 1.0, noisy, ask_cost=0.05) == pytest.approx(0.75 - 0.05)
    assert outcome_value("defer", 1.0, Human(math.inf)) == 1.0
    with pytest.raises(ValueError, match=r"decision must be one of \('act', 'defer', 'off'\)"):
        outcome_value("wait", 1.0, noisy)


@pytest.mark.parametrize(("mu", "sigma"), [(0.0, 1.0), (0.7, 0.3), (-1.2, 2.0)])
def test_normal_grid_has_the_gaussian_mean_spread_and_off_switch_value(mu, sigma):
    utilities, probabilities = normal_grid(mu, sigma)
    assert utilities.shape == probabilities.shape == (401,)
    assert probabilities.sum() == pytest.approx(1.0)
    assert probabilities @ utilities == pytest.approx(mu, abs=1e-9)
    assert np.sqrt(probabilities @ (utilities - mu) ** 2) == pytest.approx(sigma, rel=1e-4)
    exact = mu * norm.cdf(mu / sigma) + sigma * norm.pdf(mu / sigma)
    assert probabilities @ np.maximum(utilities, 0) == pytest.approx(exact, abs=1e-4)


def test_normal_grid_with_zero_spread_is_a_single_certain_utility():
    utilities, probabilities = normal_grid(0.3, 0.0)
    assert utilities.tolist() == [0.3] and probabilities.tolist() == [1.0]


def test_normal_grid_refuses_a_negative_spread():
    with pytest.raises(ValueError, match="sigma >= 0"):
        normal_grid(0.0, -1.0)
