"""A small assistance game: a human with a hidden goal chooses from menus, and a robot watches.

The robot does not know which of ``n_goals`` candidate goals the human has. It sees her pick one
option from each menu it is shown, and later must decide, for an action it could take on her
behalf, whether to act, to ask her first (defer: she may veto it) or to do nothing (switch off).

This module is the environment and the *true* human; the robot's model of the human, its
posterior and its decision rule are written by the learner in the chapter notebook.

- :class:`AssistanceGame` -- options, candidate goals and the utility of each option under each
  goal, relative to the robot doing nothing (utility 0);
- :func:`snack_game` -- the chapter's game: five snacks, four goals from "health first" to
  "taste first";
- :class:`Human` -- how a human chooses: Boltzmann-rational with rationality ``beta``, plus an
  optional systematic bias added to her utilities when she picks from a menu;
- :func:`sample_menus`, :func:`sample_choices` -- what the robot gets to watch;
- :func:`allow_probability`, :func:`outcome_value` -- what a decision is worth to the human;
- :func:`normal_grid` -- a discrete belief standing in for a Gaussian belief N(mu, sigma^2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "DECISIONS",
    "AssistanceGame",
    "Human",
    "allow_probability",
    "normal_grid",
    "outcome_value",
    "sample_choices",
    "sample_menus",
    "snack_game",
]

DECISIONS = ("act", "defer", "off")
"""The robot's three moves in the off-switch game: act now, ask the human first, do nothing."""


@dataclass(frozen=True)
class AssistanceGame:
    """Options, candidate goals, and the utility of each option under each goal.

    Attributes:
        option_names: one name per option, e.g. ``("salad", "soup", ...)``.
        goal_names: one name per candidate goal.
        utilities: array ``[n_goals, n_options]``; ``utilities[g, k]`` is how good option ``k``
            is for a human whose goal is ``g``, relative to the robot doing nothing (0).
        features: optional array ``[n_options, n_features]`` describing the options.
        feature_names: one name per feature column (empty if ``features`` is None).
    """

    option_names: tuple[str, ...]
    goal_names: tuple[str, ...]
    utilities: np.ndarray
    features: np.ndarray | None = None
    feature_names: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        utilities = np.asarray(self.utilities, dtype=float)
        expected = (len(self.goal_names), len(self.option_names))
        if utilities.shape != expected:
            raise ValueError(
                f"utilities must have shape [n_goals, n_options] = {expected}, got "
                f"{utilities.shape}; give one row per goal name and one column per option name."
            )
        if not np.all(np.isfinite(utilities)):
            raise ValueError("utilities must all be finite numbers; found NaN or infinity.")
        if len(self.option_names) < 2 or len(self.goal_names) < 1:
            raise ValueError("an assistance game needs at least two options and one goal.")
        object.__setattr__(self, "utilities", utilities)
        if self.features is not None:
            features = np.asarray(self.features, dtype=float)
            if features.ndim != 2 or features.shape[0] != len(self.option_names):
                raise ValueError(
                    f"features must have shape [n_options, n_features] with n_options = "
                    f"{len(self.option_names)}, got {features.shape}."
                )
            if len(self.feature_names) != features.shape[1]:
                raise ValueError(
                    f"give one feature name per feature column: {features.shape[1]} columns, "
                    f"{len(self.feature_names)} names."
                )
            object.__setattr__(self, "features", features)

    @property
    def n_goals(self) -> int:
        return len(self.goal_names)

    @property
    def n_options(self) -> int:
        return len(self.option_names)

    def feature(self, name: str) -> np.ndarray:
        """The column of ``features`` called ``name``: array ``[n_options]``."""
        if self.features is None or name not in self.feature_names:
            raise KeyError(f"no feature called {name!r}; this game has {list(self.feature_names)}.")
        return self.features[:, self.feature_names.index(name)].copy()


def snack_game() -> AssistanceGame:
    """The chapter's game: five snacks described by (health, taste), four candidate goals.

    Goal ``g`` weighs the two features by ``(cos a_g, sin a_g)`` with ``a_g`` = 0, 30, 60 and 90
    degrees, from "health first" to "taste first". Each goal's utilities are centred on its
    mean over the snacks, so doing nothing (utility 0) is as good as an average snack: every goal
    has snacks it would rather not be given.
    """
    option_names = ("salad", "soup", "sandwich", "pizza", "cake")
    features = np.array(
        [
            [1.0, -0.6],  # salad
            [0.6, 0.2],  # soup
            [0.1, 0.5],  # sandwich
            [-0.5, 0.9],  # pizza
            [-1.0, 1.0],  # cake
        ]
    )
    angles = np.deg2rad([0.0, 30.0, 60.0, 90.0])
    weights = np.stack([np.cos(angles), np.sin(angles)], axis=1)  # [n_goals, 2]
    raw = weights @ features.T
    return AssistanceGame(
        option_names=option_names,
        goal_names=("health first", "mostly health", "mostly taste", "taste first"),
        utilities=raw - raw.mean(axis=1, keepdims=True),
        features=features,
        feature_names=("health", "taste"),
    )


@dataclass(frozen=True)
class Human:
    """How a human chooses from a menu, given the utilities of her goal.

    She picks option ``k`` of a menu with probability proportional to
    ``exp(beta * (utility[k] + bias[k]))`` (Boltzmann rationality). ``beta = inf`` always picks
    a best option (ties uniformly), ``beta = 0`` picks uniformly at random.

    The bias acts only on her choices from menus (say, temptation in the moment). Asked directly
    whether the robot may go ahead with one action, she judges it by her goal alone, with the
    same rationality ``beta`` (see :func:`allow_probability`).

    Attributes:
        beta: rationality, ``>= 0``, in inverse utility units; ``math.inf`` for a rational human.
        bias: optional array ``[n_options]`` added to her utilities when she chooses from a menu.
        label: a short name for tables and legends.
    """

    beta: float
    bias: np.ndarray | None = None
    label: str = "human"

    def __post_init__(self) -> None:
        if isinstance(self.beta, bool) or not isinstance(self.beta, (int, float, np.number)):
            raise TypeError(f"beta must be a number, got {type(self.beta).__name__}.")
        if math.isnan(self.beta) or self.beta < 0:
            raise ValueError(
                f"beta must be >= 0 (0: random choices, math.inf: always the best), "
                f"got {self.beta}."
            )
        if self.bias is not None:
            bias = np.asarray(self.bias, dtype=float)
            if bias.ndim != 1 or not np.all(np.isfinite(bias)):
                raise ValueError(f"bias must be a finite 1-D array [n_options], got {bias!r}.")
            object.__setattr__(self, "bias", bias)

    def choice_utilities(self, utilities: np.ndarray) -> np.ndarray:
        """The utilities her menu choices follow: ``utilities`` (``[..., n_options]``) + bias."""
        utilities = np.asarray(utilities, dtype=float)
        if self.bias is None:
            return utilities
        if self.bias.shape[-1] != utilities.shape[-1]:
            raise ValueError(
                f"bias has {self.bias.shape[-1]} entries but there are {utilities.shape[-1]} "
                "options; give one bias value per option."
            )
        return utilities + self.bias


def _check_rng(rng: np.random.Generator) -> None:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy Generator, got {type(rng).__name__}; "
            "pass np.random.default_rng(seed)."
        )


def sample_menus(
    n_options: int, menu_size: int, n_rounds: int, rng: np.random.Generator
) -> np.ndarray:
    """Menus the human chooses from: each a uniformly random set of distinct options.

    Returns:
        Integer array ``[n_rounds, menu_size]`` of option indices, each row sorted and without
        repeats.
    """
    _check_rng(rng)
    if not 2 <= menu_size <= n_options:
        raise ValueError(
            f"menu_size must be between 2 and n_options = {n_options}, got {menu_size}."
        )
    if n_rounds < 0:
        raise ValueError(f"n_rounds must be >= 0, got {n_rounds}.")
    # argsort of uniform noise gives a uniformly random permutation per row.
    order = np.argsort(rng.random((n_rounds, n_options)), axis=1)
    return np.sort(order[:, :menu_size], axis=1)


def _choice_probabilities(utilities: np.ndarray, beta: float) -> np.ndarray:
    """Boltzmann choice probabilities over the last axis (stable; beta = inf: best options)."""
    utilities = np.asarray(utilities, dtype=float)
    best = utilities.max(axis=-1, keepdims=True)
    if math.isinf(beta):
        weights = (utilities == best).astype(float)
    else:
        weights = np.exp(beta * (utilities - best))  # the largest term is exp(0) = 1
    return weights / weights.sum(axis=-1, keepdims=True)


def sample_choices(
    game: AssistanceGame,
    goal: int,
    human: Human,
    menus: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """The option the human picks from each menu, given her goal.

    Args:
        game: the assistance game.
        goal: index of her goal, ``0 <= goal < game.n_goals``.
        human: how she chooses (rationality and bias).
        menus: integer array ``[n_rounds, menu_size]`` of option indices.
        rng: numpy Generator; the only source of randomness.

    Returns:
        Integer array ``[n_rounds]``: the chosen option index (not the position in the menu).
    """
    _check_rng(rng)
    if not 0 <= goal < game.n_goals:
        raise ValueError(f"goal must be an index in [0, {game.n_goals}), got {goal}.")
    menus = np.asarray(menus)
    if menus.ndim != 2 or not np.issubdtype(menus.dtype, np.integer):
        raise ValueError(f"menus must be an integer array [n_rounds, menu_size], got {menus!r}.")
    if menus.size and (menus.min() < 0 or menus.max() >= game.n_options):
        raise ValueError(f"menus must hold option indices in [0, {game.n_options}).")
    utilities = human.choice_utilities(game.utilities[goal])[menus]  # [n_rounds, menu_size]
    probabilities = _choice_probabilities(utilities, human.beta)
    # Inverse-CDF sampling, one uniform number per round.
    cumulative = np.cumsum(probabilities, axis=1)
    position = (rng.random((len(menus), 1)) > cumulative).sum(axis=1)
    position = np.minimum(position, menus.shape[1] - 1)  # guards against rounding at 1.0
    return menus[np.arange(len(menus)), position]


def allow_probability(utility: np.ndarray | float, beta: float) -> np.ndarray:
    """Probability that the human lets the robot go ahead with an action of this utility.

    She compares going ahead (``utility``) with stopping the robot (0), Boltzmann-rationally:
    ``sigmoid(beta * utility)``; ``beta = inf`` allows exactly the actions with positive utility.

    Returns:
        Array of the shape of ``utility`` with values in [0, 1].
    """
    utility = np.asarray(utility, dtype=float)
    if math.isnan(beta) or beta < 0:
        raise ValueError(f"beta must be >= 0, got {beta}.")
    if math.isinf(beta):
        return (utility > 0).astype(float)
    # sigmoid(x) = exp(-log(1 + exp(-x))), computed without overflow for any sign of x.
    return np.exp(-np.logaddexp(0.0, -beta * utility))


def outcome_value(decision: str, utility: float, human: Human, ask_cost: float = 0.0) -> float:
    """What the robot's decision about one action is worth to the human, in expectation.

    Args:
        decision: ``"act"`` (do it), ``"defer"`` (ask first; she allows it with
            :func:`allow_probability` and the cost of asking is paid either way) or ``"off"``
            (do nothing).
        utility: the action's true utility for her (her goal, no bias).
        human: the real human, whose rationality decides her answer when asked.
        ask_cost: the cost to her of being asked, >= 0, in utility units.

    Returns:
        Her expected utility as a float.
    """
    if decision == "act":
        return float(utility)
    if decision == "off":
        return 0.0
    if decision == "defer":
        return float(utility * allow_probability(utility, human.beta) - ask_cost)
    raise ValueError(f"decision must be one of {DECISIONS}, got {decision!r}.")


def normal_grid(
    mu: float, sigma: float, n_points: int = 401, width: float = 6.0
) -> tuple[np.ndarray, np.ndarray]:
    """A discrete belief over utilities that stands in for the Gaussian N(mu, sigma^2).

    Evenly spaced utilities over ``mu +- width * sigma`` with probabilities proportional to the
    Gaussian density, normalised to sum to 1. Expectations of smooth or step functions of the
    utility agree with the Gaussian ones to about 1e-4 for the defaults.

    Returns:
        ``(utilities, probabilities)``, two arrays ``[n_points]``. For ``sigma = 0``: the single
        point ``mu`` with probability 1.
    """
    if not math.isfinite(mu) or not math.isfinite(sigma) or sigma < 0:
        raise ValueError(f"need a finite mu and a finite sigma >= 0, got mu={mu}, sigma={sigma}.")
    if n_points < 3 or width <= 0:
        raise ValueError(f"need n_points >= 3 and width > 0, got {n_points} and {width}.")
    if sigma == 0:
        return np.array([float(mu)]), np.array([1.0])
    z = np.linspace(-width, width, n_points)
    probabilities = np.exp(-0.5 * z**2)
    return mu + sigma * z, probabilities / probabilities.sum()
