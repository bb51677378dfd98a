"""Planning in a small decision process that is known exactly: optimal values, the values of a
given policy, and the greedy policy of some action values.

A process is its transition array ``transitions[s, a, s']`` (the probability that action ``a``
in state ``s`` leads to ``s'``). Rewards are given as ``reward[..., s, a]``, the expected
reward of taking ``a`` in ``s``; leading axes are a batch of reward functions, planned for all at
once. The other usual forms convert without copying much:

- a state reward ``r[..., s]`` (received in every step spent in ``s``) is ``r[..., None]``,
  which broadcasts over the actions;
- a transition reward ``R[..., s, a, s']`` is :func:`expected_reward` ``(transitions, R)``.

Values are discounted sums from now on: ``Q(s, a) = reward[s, a] + discount * E[V(s')]`` and
``V(s) = max_a Q(s, a)`` for the optimal values. States flagged ``terminal`` end the episode:
they are worth 0, whatever their rewards and moves say.
"""

from __future__ import annotations

import numpy as np

from alignment_lab.arguments import positive_int

__all__ = [
    "check_transitions",
    "expected_reward",
    "greedy_policy",
    "policy_values",
    "value_iteration",
]


def check_transitions(transitions: np.ndarray) -> np.ndarray:
    """``transitions`` as a float array, if it has shape ``[n_states, n_actions, n_states]``
    and each ``[s, a, :]`` is a probability distribution (ValueError otherwise)."""
    transitions = np.asarray(transitions, dtype=float)
    if transitions.ndim != 3 or transitions.shape[0] != transitions.shape[2]:
        raise ValueError(
            f"transitions must have shape [n_states, n_actions, n_states], got {transitions.shape}."
        )
    if (transitions < 0).any() or not np.allclose(transitions.sum(axis=2), 1.0):
        raise ValueError("each transitions[s, a, :] must be a probability distribution.")
    return transitions


def expected_reward(transitions: np.ndarray, reward: np.ndarray) -> np.ndarray:
    """The reward of each action in each state, ``[..., n_states, n_actions]``, averaged over
    where it leads: ``sum_s' transitions[s, a, s'] * reward[..., s, a, s']``."""
    transitions = check_transitions(transitions)
    reward = np.asarray(reward, dtype=float)
    if reward.shape[-3:] != transitions.shape:
        raise ValueError(
            f"a transition reward must end with the transitions' shape {transitions.shape} "
            f"([n_states, n_actions, n_states]), got shape {reward.shape}."
        )
    return np.einsum("sat,...sat->...sa", transitions, reward)


def _prepare(transitions, reward, discount, terminal):
    """Checked inputs: transitions, reward broadcast to ``[..., S, A]`` and the live states."""
    transitions = check_transitions(transitions)
    n_states, n_actions = transitions.shape[:2]
    reward = np.asarray(reward, dtype=float)
    if reward.ndim < 2 or reward.shape[-2] != n_states or reward.shape[-1] not in (1, n_actions):
        raise ValueError(
            f"reward must have shape [..., n_states, n_actions] = [..., {n_states}, "
            f"{n_actions}] (or [..., {n_states}, 1] for a state reward r[..., None]), "
            f"got {reward.shape}."
        )
    reward = np.broadcast_to(reward, (*reward.shape[:-1], n_actions))
    if terminal is None:
        live = np.ones(n_states, dtype=bool)
    else:
        terminal = np.asarray(terminal)
        if terminal.shape != (n_states,) or terminal.dtype != bool:
            raise ValueError(f"terminal must be {n_states} bools, one per state.")
        live = ~terminal
    if not (0.0 <= discount < 1.0 or (discount == 1.0 and not live.all())):
        raise ValueError(
            f"discount must be in [0, 1), or exactly 1 with terminal states; got {discount}."
        )
    return transitions, reward, live


def value_iteration(
    transitions: np.ndarray,
    reward: np.ndarray,
    discount: float,
    terminal: np.ndarray | None = None,
    tolerance: float = 1e-10,
    max_iterations: int = 100_000,
) -> tuple[np.ndarray, np.ndarray]:
    """Optimal values, by repeated Bellman backups until no value moves by more than
    ``tolerance``.

    Args:
        transitions: array ``[n_states, n_actions, n_states]``.
        reward: array ``[..., n_states, n_actions]`` (or ``[..., n_states, 1]``).
        discount: gamma, in [0, 1); 1 is allowed when there are terminal states and every
            policy reaches one.
        terminal: optional bools ``[n_states]``; terminal states are worth 0.
        tolerance: stop when no value moves by more than this in one backup.
        max_iterations: give up (RuntimeError) after this many backups.

    Returns:
        ``(values, q_values)``: arrays ``[..., n_states]`` and ``[..., n_states, n_actions]``
        (both 0 in terminal states).
    """
    transitions, reward, live = _prepare(transitions, reward, discount, terminal)
    max_iterations = positive_int("max_iterations", max_iterations)
    deterministic = np.isin(transitions, (0.0, 1.0)).all()
    next_state = transitions.argmax(axis=2)
    reward = np.where(live[:, None], reward, 0.0)

    def q_of(values: np.ndarray) -> np.ndarray:
        if deterministic:
            expected_next = values[..., next_state]
        else:
            expected_next = np.einsum("sat,...t->...sa", transitions, values)
        return np.where(live[:, None], reward + discount * expected_next, 0.0)

    values = reward.max(axis=-1)
    for _ in range(max_iterations):
        updated = q_of(values).max(axis=-1)
        if np.abs(updated - values).max() <= tolerance:
            return updated, q_of(updated)
        values = updated
    raise RuntimeError(
        f"value iteration did not converge to {tolerance} in {max_iterations} backups "
        f"(discount {discount}); raise max_iterations or tolerance."
    )


def policy_values(
    transitions: np.ndarray,
    reward: np.ndarray,
    discount: float,
    policy: np.ndarray,
    terminal: np.ndarray | None = None,
) -> np.ndarray:
    """The values ``[..., n_states]`` of following ``policy``, solved exactly as the linear
    system ``V = r_pi + discount * P_pi V`` on the live states.

    Args:
        transitions, reward, discount, terminal: as for :func:`value_iteration`.
        policy: array ``[..., n_states, n_actions]``, each row a distribution over actions
            (leading axes broadcast against the reward's).

    Raises:
        ValueError: for bad shapes, or when ``discount`` is 1 and the policy never ends some
            episodes (their return is undefined).
    """
    transitions, reward, live = _prepare(transitions, reward, discount, terminal)
    policy = np.asarray(policy, dtype=float)
    if policy.shape[-2:] != transitions.shape[:2]:
        raise ValueError(
            f"policy must end with [n_states, n_actions] = {transitions.shape[:2]}, "
            f"got {policy.shape}."
        )
    if (policy < 0).any() or not np.allclose(policy.sum(axis=-1), 1.0):
        raise ValueError("each row of a policy must be a probability distribution over actions.")
    reward_under_policy = (policy * reward).sum(axis=-1)[..., live]
    moves = np.einsum("...sa,sat->...st", policy, transitions)[..., live, :][..., live]
    system = np.eye(live.sum()) - discount * moves
    batch = np.broadcast_shapes(system.shape[:-2], reward_under_policy.shape[:-1])
    system = np.broadcast_to(system, (*batch, *system.shape[-2:]))
    right = np.broadcast_to(reward_under_policy, (*batch, live.sum()))[..., None]
    values = np.zeros((*batch, len(live)))
    try:
        values[..., live] = np.linalg.solve(system, right)[..., 0]
    except np.linalg.LinAlgError:
        raise ValueError(
            "the policy never ends some episodes and discount is 1: its return is undefined; "
            "use a discount below 1."
        ) from None
    return values


def greedy_policy(q_values: np.ndarray, tie_tolerance: float = 0.0) -> np.ndarray:
    """The policy ``[..., n_states, n_actions]`` that spreads its probability evenly over the
    best actions of each state: those within ``tie_tolerance`` (a fraction of the largest
    ``|q_values|`` of that reward function) of the highest value. ``-inf`` marks actions never
    to take; a state whose actions are all ``-inf`` gets the uniform policy."""
    q_values = np.asarray(q_values, dtype=float)
    if q_values.ndim < 2:
        raise ValueError(
            f"q_values must have shape [..., n_states, n_actions], got {q_values.shape}."
        )
    finite = np.where(np.isfinite(q_values), np.abs(q_values), 0.0)
    scale = finite.max(axis=(-2, -1), keepdims=True)
    best = q_values >= q_values.max(axis=-1, keepdims=True) - tie_tolerance * scale
    return best / best.sum(axis=-1, keepdims=True)
