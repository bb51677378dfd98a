"""A square grid with a coin, an expert that walks to it, and batched rollouts of any policy.

The world of the goal-misgeneralization chapter. An episode places the agent and a coin on a
``size`` x ``size`` grid with no walls. The agent moves up, down, left or right one cell a step
(a move off the grid leaves it in place), and ends the episode by choosing ``stay``: the coin is
collected only if the agent *stops* on its cell, not if it walks over it. During training the coin
sits in one fixed corner, except with probability ``p``, when it is anywhere else; the expert
whose moves are cloned walks a shortest path to the coin and stops there.

Positions are ``(row, column)`` pairs of ints, row 0 at the top, in arrays of shape ``[n, 2]``.
Actions are the indices of :data:`alignment_lab.worlds.gridworld.MOVES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from alignment_lab.arguments import positive_int
from alignment_lab.planning import greedy_policy, value_iteration
from alignment_lab.worlds.gridworld import MOVES, Gridworld

__all__ = ["STAY", "CoinGrid", "Demonstrations", "Rollouts"]

STAY = list(MOVES).index("stay")
"""The action that ends an episode where the agent stands."""

Policy = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""``policy(agents [n, 2], coins [n, 2]) -> actions [n]`` (ints indexing MOVES)."""


@dataclass(frozen=True)
class Demonstrations:
    """The expert's steps, one row per step of every episode, ordered by step: the first
    ``n_episodes`` rows are every episode's start, then the second steps of those still moving.

    Attributes:
        agents: int array ``[m, 2]``, where the agent stood.
        coins: int array ``[m, 2]``, where the coin was.
        actions: int array ``[m]``, the expert's move there (STAY on the coin).
    """

    agents: np.ndarray
    coins: np.ndarray
    actions: np.ndarray


@dataclass(frozen=True)
class Rollouts:
    """Episodes played by a policy.

    Attributes:
        paths: one int array ``[steps + 1, 2]`` per episode, the cells visited, start first.
        stopped: bool array ``[n]``, whether the agent chose STAY before the step limit.
        coins: int array ``[n, 2]``, the coin of each episode.
    """

    paths: list[np.ndarray]
    stopped: np.ndarray
    coins: np.ndarray


@dataclass(frozen=True)
class CoinGrid:
    """A ``size`` x ``size`` open grid whose training coin sits in ``corner`` (row, column)."""

    size: int = 7
    corner: tuple[int, int] = (0, 6)

    def __post_init__(self) -> None:
        positive_int("size", self.size)
        if self.size < 2:
            raise ValueError("size must be at least 2 for a coin to have somewhere to go, got 1.")
        corners = {(0, 0), (0, self.size - 1), (self.size - 1, 0), (self.size - 1, self.size - 1)}
        if tuple(self.corner) not in corners:
            raise ValueError(
                f"corner must be one of the grid's corners {sorted(corners)}, got {self.corner}."
            )
        object.__setattr__(self, "corner", tuple(int(c) for c in self.corner))

    @cached_property
    def grid(self) -> Gridworld:
        return Gridworld(self.size, self.size)

    @cached_property
    def cells(self) -> np.ndarray:
        """Int array ``[size * size, 2]`` of every cell, row by row (the grid's state order)."""
        return np.array(self.grid.cells)

    @cached_property
    def _optimal(self) -> np.ndarray:
        """Bool array ``[coin state, agent state, action]``: the moves on a shortest path."""
        # reward 1 in every step spent on the coin (a state reward, one per coin state): the
        # best plan walks there and stays
        rewards = np.eye(self.grid.n_states)[..., None]
        _, q_values = value_iteration(self.grid.transitions, rewards, discount=0.9)
        # pushing against the edge ties with STAY on the coin; only STAY stops there
        stays_put = self.grid.next_state == np.arange(self.grid.n_states)[:, None]
        stays_put[:, STAY] = False
        return (greedy_policy(q_values, tie_tolerance=1e-9) > 0) & ~stays_put

    def _states(self, positions: np.ndarray) -> np.ndarray:
        positions = np.asarray(positions, dtype=int).reshape(-1, 2)
        if positions.size and (positions.min() < 0 or positions.max() >= self.size):
            raise ValueError(
                f"positions must be (row, column) with both in 0..{self.size - 1}, got values "
                f"from {positions.min()} to {positions.max()}."
            )
        return positions[:, 0] * self.size + positions[:, 1]

    def expert_actions(
        self, agents: np.ndarray, coins: np.ndarray, rng: np.random.Generator
    ) -> np.ndarray:
        """The expert's move for each (agent, coin) pair: a uniformly random one of the moves
        on a shortest path to the coin, STAY when it stands on the coin. Int array ``[n]``."""
        optimal = self._optimal[self._states(coins), self._states(agents)]
        scores = np.where(optimal, rng.random(optimal.shape), -1.0)
        return scores.argmax(axis=1)

    def sample_coins(self, n: int, p: float, rng: np.random.Generator) -> np.ndarray:
        """``n`` coins: in the corner, except with probability ``p`` uniformly on another cell.
        Int array ``[n, 2]``; ``p = 1`` never uses the corner."""
        n = positive_int("n", n)
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p is a probability, in [0, 1]; got {p}.")
        others = self.cells[[tuple(c) != self.corner for c in self.cells]]
        coins = others[rng.integers(len(others), size=n)]
        coins[rng.random(n) >= p] = self.corner
        return coins

    def sample_starts(self, coins: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A start for each coin, uniform over the cells other than the coin's. ``[n, 2]``."""
        coin_states = self._states(coins)
        n_cells = self.size * self.size
        # a uniform draw among the n_cells - 1 other cells: skip over the coin's own
        starts = rng.integers(n_cells - 1, size=len(coin_states))
        starts = starts + (starts >= coin_states)
        return self.cells[starts]

    def demonstrations(self, n_episodes: int, p: float, rng: np.random.Generator) -> Demonstrations:
        """The expert's episodes with training coins (corner except with probability ``p``):
        every step from the start to the final STAY on the coin."""
        coins = self.sample_coins(n_episodes, p, rng)
        agents = self.sample_starts(coins, rng)
        rows = []
        while len(agents):
            actions = self.expert_actions(agents, coins, rng)
            rows.append((agents, coins, actions))
            moving = actions != STAY
            agents, coins = self._step(agents[moving], actions[moving]), coins[moving]
        return Demonstrations(*(np.concatenate(parts) for parts in zip(*rows, strict=True)))

    def _step(self, agents: np.ndarray, actions: np.ndarray) -> np.ndarray:
        return self.cells[self.grid.next_state[self._states(agents), actions]]

    def rollout(
        self, policy: Policy, starts: np.ndarray, coins: np.ndarray, max_steps: int
    ) -> Rollouts:
        """Play every episode at once until the agent chooses STAY or ``max_steps`` moves.

        Args:
            policy: ``policy(agents [k, 2], coins [k, 2]) -> actions [k]``, called with the
                episodes still running.
            starts, coins: int arrays ``[n, 2]``.
            max_steps: the most moves an episode may make before it is cut off.
        """
        max_steps = positive_int("max_steps", max_steps)
        starts, coins = np.asarray(starts, dtype=int), np.asarray(coins, dtype=int)
        self._states(starts), self._states(coins)  # checks both
        n = len(starts)
        visited = [[tuple(s)] for s in starts]
        stopped = np.zeros(n, dtype=bool)
        agents = starts.copy()
        running = np.arange(n)
        # after its last allowed move an agent may still stop where it stands
        for step in range(max_steps + 1):
            if not len(running):
                break
            actions = np.asarray(policy(agents[running], coins[running]), dtype=int)
            stopped[running[actions == STAY]] = True
            running, actions = running[actions != STAY], actions[actions != STAY]
            if step == max_steps:
                break
            agents[running] = self._step(agents[running], actions)
            for i in running:
                visited[i].append(tuple(agents[i]))
        return Rollouts([np.array(v) for v in visited], stopped, coins)
