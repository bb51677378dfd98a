"""Logged episodes in small tabular decision processes, for learning from a fixed dataset.

A :class:`Task` is a finite Markov decision process with one start state, terminal states and
a reward on each transition ``(s, a, s')`` (plus, optionally, Gaussian noise on every reward).
Three tasks are built here: :func:`grid_task` (walk to a goal on a small grid), :func:`lucky_gamble`
(a sure reward against a gamble that sometimes pays more) and :func:`noisy_chain` (a walk along a
line with noisy rewards, whose true advantages are known exactly).

Around them: exact evaluation of any policy in a task (:func:`policy_values`,
:func:`policy_q_values`) and its optimal action values (:func:`optimal_q_values`), which pass the
task to :mod:`alignment_lab.planning`; epsilon-greedy behaviour policies, sampling a dataset of
episodes (:func:`sample_episodes`), a policy fitted to weighted state-action counts
(:func:`fit_policy`, which is behaviour cloning when every weight is 1), and tabular offline
Q-learning on the data alone (:func:`offline_q_learning`). Turn action values into a policy with
:func:`alignment_lab.planning.greedy_policy`.

Conventions: returns are discounted sums of rewards, ``G_t = r_t + discount * G_{t+1}``;
a terminal state ends the episode and is worth 0; a policy is an array ``[n_states, n_actions]``
of action probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from alignment_lab import planning
from alignment_lab.arguments import positive_int
from alignment_lab.worlds.gridworld import MOVES, Gridworld

__all__ = [
    "Dataset",
    "Task",
    "epsilon_greedy",
    "fit_policy",
    "grid_task",
    "lucky_gamble",
    "mean_by_state",
    "noisy_chain",
    "offline_q_learning",
    "optimal_q_values",
    "policy_q_values",
    "policy_values",
    "sample_episodes",
]


@dataclass(frozen=True)
class Task:
    """A finite decision process with one start state.

    Attributes:
        transitions: array ``[n_states, n_actions, n_states]``, each ``[s, a, :]`` a distribution.
        rewards: array ``[n_states, n_actions, n_states]``, the mean reward of each transition.
        terminal: bool array ``[n_states]``; a terminal state ends the episode (value 0).
        start: the state every episode starts in.
        discount: gamma in [0, 1].
        reward_noise: standard deviation of Gaussian noise added to every sampled reward.
        state_names, action_names: labels for tables and plots.
        grid: the :class:`Gridworld` the states come from, if any (for pictures).
    """

    transitions: np.ndarray
    rewards: np.ndarray
    terminal: np.ndarray
    start: int
    discount: float
    reward_noise: float = 0.0
    state_names: tuple[str, ...] = ()
    action_names: tuple[str, ...] = ()
    grid: Gridworld | None = None

    def __post_init__(self) -> None:
        p = planning.check_transitions(self.transitions)
        if np.shape(self.rewards) != p.shape:
            raise ValueError(
                f"rewards must have the shape of transitions {p.shape}, "
                f"got {np.shape(self.rewards)}."
            )
        if np.shape(self.terminal) != (p.shape[0],):
            raise ValueError(f"terminal needs one flag per state ({p.shape[0]}).")
        if not 0 <= self.start < p.shape[0]:
            raise ValueError(f"start must be a state in 0..{p.shape[0] - 1}, got {self.start}.")
        if not 0.0 <= self.discount <= 1.0:
            raise ValueError(f"discount must be in [0, 1], got {self.discount}.")
        if self.reward_noise < 0:
            raise ValueError(f"reward_noise must be >= 0, got {self.reward_noise}.")

    @property
    def n_states(self) -> int:
        return self.transitions.shape[0]

    @property
    def n_actions(self) -> int:
        return self.transitions.shape[1]

    def expected_rewards(self) -> np.ndarray:
        """Array ``[n_states, n_actions]``: the mean reward of taking ``a`` in ``s``."""
        return np.einsum("sat,sat->sa", self.transitions, self.rewards)


@dataclass(frozen=True)
class Dataset:
    """Logged transitions, episode after episode, in the order they happened.

    Every array has one entry per transition ``[n_transitions]``. ``dones[i]`` is True when
    transition ``i`` entered a terminal state; an episode cut off by the horizon ends without
    it. ``returns_to_go[i]`` is the discounted sum of the rewards from transition ``i`` to the
    end of its episode; ``episode_returns[i]`` is the return of its whole episode, from the start.
    ``source[i]`` names the behaviour policy that produced it.
    """

    states: np.ndarray
    actions: np.ndarray
    rewards: np.ndarray
    next_states: np.ndarray
    dones: np.ndarray
    episodes: np.ndarray
    returns_to_go: np.ndarray
    episode_returns: np.ndarray
    source: np.ndarray

    def __len__(self) -> int:
        return len(self.states)

    @staticmethod
    def concatenate(parts: list[Dataset]) -> Dataset:
        """The transitions of ``parts`` one after the other, episode numbers kept distinct."""
        if not parts:
            raise ValueError("nothing to concatenate: pass at least one Dataset.")
        fields = {}
        offset, episodes = 0, []
        for part in parts:
            episodes.append(part.episodes + offset)
            offset += int(part.episodes.max()) + 1 if len(part) else 0
        for name in Dataset.__dataclass_fields__:
            if name == "episodes":
                fields[name] = np.concatenate(episodes)
            else:
                fields[name] = np.concatenate([getattr(p, name) for p in parts])
        return Dataset(**fields)


def _check_policy(task: Task, policy: np.ndarray) -> np.ndarray:
    policy = np.asarray(policy, dtype=float)
    if policy.shape != (task.n_states, task.n_actions):
        raise ValueError(
            f"a policy has shape [n_states, n_actions] = ({task.n_states}, {task.n_actions}), "
            f"got {policy.shape}."
        )
    if (policy < 0).any() or not np.allclose(policy.sum(axis=1), 1.0):
        raise ValueError("each row of a policy must be a probability distribution over actions.")
    return policy


def policy_values(task: Task, policy: np.ndarray) -> np.ndarray:
    """Exact expected return of following ``policy`` (``[n_states, n_actions]``) from each
    state, array ``[n_states]``; terminal states are worth 0. With ``discount = 1`` the policy
    must reach a terminal state (``ValueError`` otherwise). See
    :func:`alignment_lab.planning.policy_values`."""
    return planning.policy_values(
        task.transitions, task.expected_rewards(), task.discount, policy, task.terminal
    )


def policy_q_values(task: Task, policy: np.ndarray) -> np.ndarray:
    """Exact ``Q_pi[s, a]`` (array ``[n_states, n_actions]``): reward of ``a`` in ``s``, then
    ``policy``. Zero in terminal states."""
    values = policy_values(task, policy)
    q = task.expected_rewards() + task.discount * task.transitions @ values
    q[np.asarray(task.terminal, dtype=bool)] = 0.0
    return q


def optimal_q_values(task: Task) -> np.ndarray:
    """Optimal ``Q*[s, a]`` (array ``[n_states, n_actions]``, zero in terminal states), by
    :func:`alignment_lab.planning.value_iteration`."""
    _, q_values = planning.value_iteration(
        task.transitions, task.expected_rewards(), task.discount, task.terminal
    )
    return q_values


def epsilon_greedy(task: Task, epsilon: float) -> np.ndarray:
    """Optimal actions with probability ``1 - epsilon``, a uniformly random one otherwise."""
    if not 0.0 <= epsilon <= 1.0:
        raise ValueError(f"epsilon must be in [0, 1], got {epsilon}.")
    uniform = np.full((task.n_states, task.n_actions), 1.0 / task.n_actions)
    return (1 - epsilon) * planning.greedy_policy(optimal_q_values(task)) + epsilon * uniform


def sample_episodes(
    task: Task,
    policy: np.ndarray,
    n_episodes: int,
    horizon: int,
    rng: np.random.Generator,
    source: str = "",
) -> Dataset:
    """Run ``policy`` from the start state for ``n_episodes`` episodes of at most ``horizon``
    steps each, and log every transition (see :class:`Dataset`)."""
    policy = _check_policy(task, policy)
    n_episodes = positive_int("n_episodes", n_episodes)
    horizon = positive_int("horizon", horizon)
    terminal = np.asarray(task.terminal, dtype=bool)
    rows = []
    for episode in range(n_episodes):
        state, steps = task.start, []
        for _ in range(horizon):
            action = rng.choice(task.n_actions, p=policy[state])
            nxt = rng.choice(task.n_states, p=task.transitions[state, action])
            reward = task.rewards[state, action, nxt]
            if task.reward_noise:
                reward += task.reward_noise * rng.standard_normal()
            steps.append((state, action, reward, nxt, terminal[nxt]))
            state = nxt
            if terminal[nxt]:
                break
        to_go, running = [], 0.0
        for step in reversed(steps):
            running = step[2] + task.discount * running
            to_go.append(running)
        to_go.reverse()
        rows += [(*step, episode, g, to_go[0]) for step, g in zip(steps, to_go, strict=True)]
    columns = list(zip(*rows, strict=True))
    kinds = [int, int, float, int, bool, int, float, float]
    arrays = [np.array(c, dtype=k) for c, k in zip(columns, kinds, strict=True)]
    return Dataset(*arrays, source=np.full(len(rows), source, dtype=object))


def mean_by_state(states: np.ndarray, values: np.ndarray, n_states: int) -> np.ndarray:
    """The mean of ``values`` over the entries of each state, array ``[n_states]`` (0 for a
    state with no entry): e.g. the value of the behaviour policy from returns-to-go."""
    states = np.asarray(states, dtype=int)
    totals = np.bincount(states, weights=np.asarray(values, dtype=float), minlength=n_states)
    counts = np.bincount(states, minlength=n_states)
    return np.divide(totals, counts, out=np.zeros(n_states), where=counts > 0)


def fit_policy(
    states: np.ndarray, actions: np.ndarray, weights: np.ndarray, n_states: int, n_actions: int
) -> np.ndarray:
    """The tabular policy of weighted maximum likelihood: in each state, the actions' shares of
    the weight given to them there. States with no weight get the uniform policy.

    Args:
        states, actions: int arrays ``[n]``, the logged state-action pairs.
        weights: array ``[n]`` of non-negative weights (all 1: behaviour cloning; 0 or 1:
            filtered behaviour cloning).
        n_states, n_actions: the size of the table.

    Returns:
        Array ``[n_states, n_actions]``, each row summing to 1.
    """
    weights = np.asarray(weights, dtype=float)
    if np.shape(states) != weights.shape or np.shape(actions) != weights.shape:
        raise ValueError("states, actions and weights need one entry per transition each.")
    if (weights < 0).any() or not np.isfinite(weights).all():
        raise ValueError("weights must be finite and >= 0.")
    table = np.zeros((n_states, n_actions))
    np.add.at(table, (np.asarray(states, dtype=int), np.asarray(actions, dtype=int)), weights)
    totals = table.sum(axis=1, keepdims=True)
    return np.divide(table + (totals == 0), np.where(totals > 0, totals, n_actions))


def offline_q_learning(
    data: Dataset, n_states: int, n_actions: int, discount: float, sweeps: int = 200
) -> np.ndarray:
    """Tabular Q-learning on the logged transitions alone, array ``[n_states, n_actions]``.

    Each sweep replaces ``Q[s, a]`` by the mean over the logged ``(s, a)`` transitions of
    ``r + discount * max_a' Q[s', a']``, the maximum over the actions logged in ``s'`` (0 after
    a terminal state or in a state with none logged). Pairs never logged stay ``-inf``, so the
    greedy policy never picks an action it has no data about.
    """
    sweeps = positive_int("sweeps", sweeps)
    seen = np.zeros((n_states, n_actions), dtype=bool)
    seen[data.states, data.actions] = True
    counts = np.zeros((n_states, n_actions))
    np.add.at(counts, (data.states, data.actions), 1.0)
    q = np.where(seen, 0.0, -np.inf)
    for _ in range(sweeps):
        best_next = np.where(seen.any(axis=1), q.max(axis=1), 0.0)
        targets = data.rewards + discount * np.where(data.dones, 0.0, best_next[data.next_states])
        total = np.zeros((n_states, n_actions))
        np.add.at(total, (data.states, data.actions), targets)
        q = np.where(seen, total / np.maximum(counts, 1), -np.inf)
    return q


def grid_task(discount: float = 0.9) -> Task:
    """A 5 x 5 grid: start at the bottom left, the goal at the top right (+10 on arrival, the
    episode ends), a pit in the middle of the direct route (-10, the episode ends), walls, and
    -1 for every other step. Actions are up, down, left, right (no staying put)."""
    pit, goal = (2, 2), (0, 4)
    grid = Gridworld(5, 5, walls={(1, 1), (3, 3), (1, 3)}, absorbing={pit, goal})
    stay = list(MOVES).index("stay")
    transitions = np.delete(grid.transitions, stay, axis=1)
    n, m = transitions.shape[:2]
    rewards = np.full((n, m, n), -1.0)
    rewards[:, :, grid.state(*goal)] = 10.0
    rewards[:, :, grid.state(*pit)] = -10.0
    terminal = np.zeros(n, dtype=bool)
    terminal[[grid.state(*goal), grid.state(*pit)]] = True
    return Task(
        transitions,
        rewards,
        terminal,
        start=grid.state(4, 0),
        discount=discount,
        state_names=tuple(f"({r}, {c})" for r, c in grid.cells),
        action_names=("up", "down", "left", "right"),
        grid=grid,
    )


def lucky_gamble(safe: float = 1.0, jackpot: float = 4.0, p_win: float = 0.2) -> Task:
    """One decision: a sure ``safe`` reward, or a gamble paying ``jackpot`` with probability
    ``p_win`` and 0 otherwise. States: start, then one terminal state per outcome."""
    if not 0.0 < p_win < 1.0:
        raise ValueError(f"p_win must be strictly between 0 and 1, got {p_win}.")
    start, safe_end, won, lost = range(4)
    transitions = np.zeros((4, 2, 4))
    transitions[:, :, start] = 1.0  # terminal states: never left (unused)
    transitions[start] = 0.0
    transitions[start, 0, safe_end] = 1.0
    transitions[start, 1, [won, lost]] = p_win, 1 - p_win
    rewards = np.zeros((4, 2, 4))
    rewards[start, 0, safe_end] = safe
    rewards[start, 1, won] = jackpot
    return Task(
        transitions,
        rewards,
        terminal=np.array([False, True, True, True]),
        start=start,
        discount=1.0,
        state_names=("start", "took the sure thing", "won", "lost"),
        action_names=("safe", "gamble"),
    )


def noisy_chain(
    n_states: int = 6,
    p_right: float = 0.7,
    step_reward: float = -0.1,
    end_reward: float = 1.0,
    reward_noise: float = 1.0,
    discount: float = 0.95,
) -> tuple[Task, np.ndarray]:
    """A line of ``n_states`` cells walked from the left end; moving right off the right end
    pays ``end_reward`` and ends the episode, a move left from the left end stays put. Every
    step pays ``step_reward`` plus Gaussian noise of standard deviation ``reward_noise``.

    Returns:
        ``(task, policy)``: the task (``n_states + 1`` states, the last one terminal; actions
        left and right) and the policy that moves right with probability ``p_right``.
    """
    n = positive_int("n_states", n_states)
    if not 0.0 < p_right < 1.0:
        raise ValueError(f"p_right must be strictly between 0 and 1, got {p_right}.")
    end = n
    transitions = np.zeros((n + 1, 2, n + 1))
    for s in range(n):
        transitions[s, 0, max(s - 1, 0)] = 1.0
        transitions[s, 1, s + 1] = 1.0
    transitions[end, :, end] = 1.0
    rewards = np.full((n + 1, 2, n + 1), step_reward)
    rewards[:, :, end] += end_reward
    rewards[end] = 0.0
    terminal = np.zeros(n + 1, dtype=bool)
    terminal[end] = True
    task = Task(
        transitions,
        rewards,
        terminal,
        start=0,
        discount=discount,
        reward_noise=reward_noise,
        state_names=(*[f"cell {s}" for s in range(n)], "end"),
        action_names=("left", "right"),
    )
    policy = np.tile([1 - p_right, p_right], (n + 1, 1))
    return task, policy
