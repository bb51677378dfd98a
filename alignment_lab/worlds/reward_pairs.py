"""Pairs of reward functions on a tabular decision process, and what it costs to optimize the
wrong one of a pair (value learning's impossibility, and reward distances).

Rewards here are functions of a transition: ``reward[..., s, a, s']`` is received when action
``a`` in state ``s`` leads to state ``s'`` (leading axes are a batch). A state reward ``r[s]``
(received in every step spent in ``s``, the convention of
:mod:`alignment_lab.worlds.gridworld`) becomes one with :func:`lift_state_reward`. Values are
discounted sums from now on, ``V(s) = E[reward(s, a, s') + discount * V(s')]``; plan with
:mod:`alignment_lab.planning`, after averaging a transition reward over where each action leads
(:func:`alignment_lab.planning.expected_reward`).

- :func:`potential_shaping` adds ``discount * potential(s') - potential(s)``, which changes no
  optimal policy (Ng, Harada and Russell 1999);
- :func:`regret` is the share of the achievable value lost by optimizing a proxy reward when
  another reward is the true one;
- :func:`demonstration_counts` counts the state-action pairs of demonstrations of a policy;
- :func:`random_reward_pairs` draws true rewards and noisy proxies of them, each proxy disguised
  by a random positive rescaling, potential shaping and shift.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alignment_lab.arguments import positive_int
from alignment_lab.planning import (
    check_transitions,
    expected_reward,
    greedy_policy,
    policy_values,
    value_iteration,
)

__all__ = [
    "RewardPairs",
    "demonstration_counts",
    "lift_state_reward",
    "potential_shaping",
    "random_reward_pairs",
    "regret",
]

# Optimal actions whose values differ by less than this share of the values' scale are ties.
TIE_TOLERANCE = 1e-9


def lift_state_reward(state_reward: np.ndarray, n_actions: int) -> np.ndarray:
    """A state reward ``r[..., s]`` (received in every step spent in ``s``, the gridworld
    convention) as a transition reward ``[..., s, a, s'] = r[..., s]``."""
    state_reward = np.asarray(state_reward, dtype=float)
    n_actions = positive_int("n_actions", n_actions)
    if state_reward.ndim == 0:
        raise ValueError("state_reward needs one entry per state, got a single number.")
    n_states = state_reward.shape[-1]
    shape = (*state_reward.shape, n_actions, n_states)
    return np.broadcast_to(state_reward[..., :, None, None], shape).copy()


def potential_shaping(reward: np.ndarray, potential: np.ndarray, discount: float) -> np.ndarray:
    """``reward[..., s, a, s'] + discount * potential[..., s'] - potential[..., s]``.

    Args:
        reward: array ``[..., n_states, n_actions, n_states]``.
        potential: array ``[..., n_states]`` (broadcast against the reward's leading axes).
        discount: gamma, in [0, 1).
    """
    reward = np.asarray(reward, dtype=float)
    potential = np.asarray(potential, dtype=float)
    if not 0.0 <= discount < 1.0:
        raise ValueError(f"discount must be in [0, 1), got {discount}.")
    if reward.ndim < 3 or potential.ndim == 0 or potential.shape[-1] != reward.shape[-1]:
        raise ValueError(
            f"potential needs one entry per state ({reward.shape[-1] if reward.ndim else '?'}) "
            f"and reward the shape [..., S, A, S]; got {potential.shape} and {reward.shape}."
        )
    return reward + discount * potential[..., None, None, :] - potential[..., :, None, None]


def regret(
    transitions: np.ndarray, true_reward: np.ndarray, proxy_reward: np.ndarray, discount: float
) -> np.ndarray:
    """How much of the achievable value an optimizer of the proxy loses under the true reward.

    The proxy's optimal policy (ties, within :data:`TIE_TOLERANCE` of the values' scale, split
    evenly) is evaluated under the true reward, from a uniformly random start state, and its
    shortfall from the optimal value is divided by the optimal policy's advantage over the
    uniformly random policy: 0 for a proxy that changes nothing, 1 for one no better than acting
    at random, above 1 for one worse than that.

    Args:
        transitions: ``[n_states, n_actions, n_states]``.
        true_reward, proxy_reward: ``[..., n_states, n_actions, n_states]``, same leading axes.
        discount: gamma, in [0, 1).

    Returns:
        Array of the leading axes' shape (0-d for one pair).
    """
    transitions = check_transitions(transitions)
    true_reward = expected_reward(transitions, true_reward)
    proxy_reward = expected_reward(transitions, proxy_reward)

    def optimal_policy(reward: np.ndarray) -> np.ndarray:
        _, q_values = value_iteration(transitions, reward, discount)
        return greedy_policy(q_values, tie_tolerance=TIE_TOLERANCE)

    def mean_value(policy: np.ndarray) -> np.ndarray:
        return policy_values(transitions, true_reward, discount, policy).mean(axis=-1)

    best = mean_value(optimal_policy(true_reward))
    achieved = mean_value(optimal_policy(proxy_reward))
    uniform = np.full(transitions.shape[:2], 1.0 / transitions.shape[1])
    random = mean_value(uniform)
    gap = best - random
    if np.any(gap <= 1e-12):
        raise ValueError(
            "a true reward gives every policy the same value (optimal = random), so regret is "
            "undefined; use true rewards that prefer some states."
        )
    return (best - achieved) / gap


@dataclass(frozen=True)
class RewardPairs:
    """Random (true, proxy) reward pairs, ``[n_pairs, n_states, n_actions, n_states]`` each.

    Attributes:
        true: the true rewards (lifted state rewards, standard normal per state).
        proxy: ``scale * (true + noise * error) + shaping + shift``, per pair.
        noise: ``[n_pairs]``, the standard deviation of the error added per state.
        scale: ``[n_pairs]``, the positive rescaling.
        potential: ``[n_pairs, n_states]``, the shaping potentials.
    """

    true: np.ndarray
    proxy: np.ndarray
    noise: np.ndarray
    scale: np.ndarray
    potential: np.ndarray


def random_reward_pairs(
    n_pairs: int,
    n_states: int,
    n_actions: int,
    discount: float,
    rng: np.random.Generator,
    disguise: float = 1.0,
    noise_range: tuple[float, float] = (0.05, 3.0),
) -> RewardPairs:
    """Draw true state rewards and noisy proxies of them, each proxy disguised.

    Each true reward is standard normal per state (lifted to transitions). Its proxy adds
    independent normal errors of a standard deviation drawn log-uniformly from ``noise_range``,
    then, scaled by ``disguise`` (0: no disguise), multiplies by a positive factor drawn
    log-uniformly from ``[10 ** -disguise, 10 ** disguise]``, adds potential shaping with a
    normal potential of standard deviation ``3 * disguise``, and a normal shift of standard
    deviation ``disguise``. The disguise changes no optimal policy.
    """
    n_pairs = positive_int("n_pairs", n_pairs)
    n_states = positive_int("n_states", n_states)
    n_actions = positive_int("n_actions", n_actions)
    low, high = noise_range
    if not 0 < low <= high:
        raise ValueError(
            f"noise_range must be (low, high) with 0 < low <= high, got {noise_range}."
        )
    if disguise < 0:
        raise ValueError(f"disguise must be >= 0, got {disguise}.")
    true_state = rng.standard_normal((n_pairs, n_states))
    noise = np.exp(rng.uniform(np.log(low), np.log(high), n_pairs))
    proxy_state = true_state + noise[:, None] * rng.standard_normal((n_pairs, n_states))
    scale = 10.0 ** rng.uniform(-disguise, disguise, n_pairs)
    potential = 3.0 * disguise * rng.standard_normal((n_pairs, n_states))
    shift = disguise * rng.standard_normal(n_pairs)
    proxy = (
        potential_shaping(
            scale[:, None, None, None] * lift_state_reward(proxy_state, n_actions),
            potential,
            discount,
        )
        + shift[:, None, None, None]
    )
    return RewardPairs(
        true=lift_state_reward(true_state, n_actions),
        proxy=proxy,
        noise=noise,
        scale=scale,
        potential=potential,
    )


def demonstration_counts(
    transitions: np.ndarray,
    policy: np.ndarray,
    n_episodes: int,
    horizon: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """How often each action was taken in each state by ``n_episodes`` demonstrations.

    Each episode starts in a uniformly random state and follows ``policy`` for ``horizon``
    steps. The log-likelihood of the demonstrations under any policy ``p`` is then
    ``(counts * log p).sum()``: it depends on the demonstrations only through these counts.

    Args:
        transitions: ``[n_states, n_actions, n_states]``.
        policy: ``[n_states, n_actions]``, each row a distribution over actions.
        n_episodes, horizon: positive ints.
        rng: the random generator to draw from.

    Returns:
        Int array ``[n_states, n_actions]`` summing to ``n_episodes * horizon``.
    """
    transitions = check_transitions(transitions)
    n_episodes = positive_int("n_episodes", n_episodes)
    horizon = positive_int("horizon", horizon)
    policy = np.asarray(policy, dtype=float)
    n_states, n_actions = transitions.shape[:2]
    if policy.shape != (n_states, n_actions) or not np.allclose(policy.sum(axis=1), 1.0):
        raise ValueError(
            f"policy must have shape {(n_states, n_actions)} with rows summing to 1, "
            f"got shape {policy.shape}."
        )
    counts = np.zeros((n_states, n_actions), dtype=np.int64)
    states = rng.integers(n_states, size=n_episodes)
    action_cdf = np.cumsum(policy, axis=1)
    next_cdf = np.cumsum(transitions, axis=2)
    for _ in range(horizon):
        actions = (rng.random(n_episodes)[:, None] > action_cdf[states]).sum(axis=1)
        actions = np.minimum(actions, n_actions - 1)
        np.add.at(counts, (states, actions), 1)
        states = (rng.random(n_episodes)[:, None] > next_cdf[states, actions]).sum(axis=1)
        states = np.minimum(states, n_states - 1)
    return counts
