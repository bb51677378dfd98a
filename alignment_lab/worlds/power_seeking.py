"""Small deterministic decision processes where one move keeps options open and another does not
(the power-seeking chapter), and the reward distributions the chapter samples from.

A process here is given by its table ``next_state[s, a]``: where action ``a`` leads from state
``s``. A state with fewer moves than the widest one repeats its last move, as a gridworld move
into a wall repeats "stay"; a state whose every move leads back to itself is *terminal* (the
episode has ended there, and its reward keeps coming, as in an absorbing cell of
:mod:`alignment_lab.worlds.gridworld`). Its transition array, for :mod:`alignment_lab.planning`,
is ``np.eye(n_states)[next_state]``, and a state reward ``r[..., s]`` is passed as
``r[..., None]``; leave ``terminal`` out there, since the planner's terminal states are worth 0.

- :func:`fork` -- a start state with two ways on: a road to a hub with several terminal
  "cities", or a shop with several "treats" that all lead to one dead end;
- :func:`grid_from_picture` -- a :class:`~alignment_lab.worlds.gridworld.Gridworld` drawn as
  text, ``#`` for walls and ``X`` for cells that end the episode;
- :func:`sample_rewards` -- reward functions drawn i.i.d. per state from a named distribution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from alignment_lab.arguments import positive_int
from alignment_lab.worlds.gridworld import Gridworld

__all__ = [
    "REWARD_DISTRIBUTIONS",
    "DeterministicMDP",
    "fork",
    "grid_from_picture",
    "sample_rewards",
]


@dataclass(frozen=True)
class DeterministicMDP:
    """A finite decision process with deterministic moves.

    Attributes:
        names: one name per state, in state order.
        next_state: int array ``[n_states, n_actions]``; ``next_state[s, a]`` is the state that
            action ``a`` leads to from ``s``.
    """

    names: tuple[str, ...]
    next_state: np.ndarray

    def __post_init__(self) -> None:
        table = np.asarray(self.next_state)
        if table.ndim != 2 or table.shape[0] != len(self.names) or table.shape[1] < 1:
            raise ValueError(
                f"next_state must have shape [n_states, n_actions] with one row per name "
                f"({len(self.names)}), got shape {table.shape}."
            )
        if not np.issubdtype(table.dtype, np.integer) or table.min() < 0:
            raise ValueError("next_state must hold state numbers: non-negative ints.")
        if table.max() >= len(self.names):
            raise ValueError(
                f"next_state points at state {table.max()}, but there are only "
                f"{len(self.names)} states (0..{len(self.names) - 1})."
            )
        if len(set(self.names)) != len(self.names):
            raise ValueError("state names must be distinct.")
        table = table.astype(np.int64)
        table.setflags(write=False)
        object.__setattr__(self, "names", tuple(self.names))
        object.__setattr__(self, "next_state", table)

    @property
    def n_states(self) -> int:
        return len(self.names)

    @property
    def n_actions(self) -> int:
        return self.next_state.shape[1]

    def state(self, name: str) -> int:
        """The number of the state called ``name``."""
        if name not in self.names:
            raise ValueError(f"no state called {name!r}; the states are {list(self.names)}.")
        return self.names.index(name)

    @property
    def terminal(self) -> np.ndarray:
        """Bool array ``[n_states]``: states whose every move leads back to themselves."""
        return (self.next_state == np.arange(self.n_states)[:, None]).all(axis=1)

    def actions_to(self, state: int, target: int) -> np.ndarray:
        """The actions (an int array, possibly empty) that lead from ``state`` to ``target``."""
        return np.flatnonzero(self.next_state[state] == target)

    def reachable_terminals(self, state: int) -> set[int]:
        """The terminal states that some sequence of moves leads to from ``state``."""
        seen, frontier = {state}, [state]
        while frontier:
            current = frontier.pop()
            for target in self.next_state[current]:
                if int(target) not in seen:
                    seen.add(int(target))
                    frontier.append(int(target))
        return {s for s in seen if self.terminal[s]}


def fork(n_cities: int = 3, road_length: int = 3, n_treats: int = 4) -> DeterministicMDP:
    """A start state with two ways on, one keeping more terminal options than the other.

    ``start`` -> ``road 1`` -> ... -> ``road <road_length>`` -> ``hub`` -> one of ``n_cities``
    terminal cities; or ``start`` -> ``shop`` -> one of ``n_treats`` treats -> the terminal
    ``dead end``. The road reaches ``n_cities`` terminal states, the shop one, but the shop's
    choice comes sooner. Action 0 of ``start`` takes the road; every other action goes to the
    shop.

    Args:
        n_cities: terminal states behind the hub, >= 1.
        road_length: states between ``start`` and ``hub``, >= 0.
        n_treats: states between ``shop`` and ``dead end``, >= 1.
    """
    n_cities = positive_int("n_cities", n_cities)
    n_treats = positive_int("n_treats", n_treats)
    if isinstance(road_length, bool) or not isinstance(road_length, (int, np.integer)):
        raise ValueError(f"road_length must be an int >= 0, got {road_length!r}.")
    if road_length < 0:
        raise ValueError(f"road_length must be >= 0, got {road_length}.")
    roads = [f"road {i + 1}" for i in range(road_length)]
    cities = [f"city {i + 1}" for i in range(n_cities)]
    treats = [f"treat {i + 1}" for i in range(n_treats)]
    moves = {"start": [(roads or ["hub"])[0], "shop"]}
    for i, road in enumerate(roads):
        moves[road] = [roads[i + 1] if i + 1 < road_length else "hub"]
    moves["hub"] = cities
    moves.update({city: [city] for city in cities})
    moves["shop"] = treats
    moves.update({treat: ["dead end"] for treat in treats})
    moves["dead end"] = ["dead end"]
    names = tuple(moves)
    width = max(len(targets) for targets in moves.values())
    table = np.empty((len(names), width), dtype=np.int64)
    for state, targets in enumerate(moves.values()):
        row = [names.index(t) for t in targets]
        table[state] = row + [row[-1]] * (width - len(row))
    return DeterministicMDP(names, table)


def grid_from_picture(rows: Sequence[str]) -> Gridworld:
    """A :class:`Gridworld` drawn as text: one string per row, one character per cell,
    ``.`` open, ``#`` a wall, ``X`` a cell that ends the episode (absorbing)."""
    if not rows or any(len(row) != len(rows[0]) for row in rows) or not rows[0]:
        raise ValueError("draw the grid as non-empty rows of equal length, e.g. ['..#', 'X..'].")
    unknown = sorted(set("".join(rows)) - set(".#X"))
    if unknown:
        raise ValueError(f"unknown cell characters {unknown}; use '.', '#' and 'X'.")
    cells = {
        kind: {(r, c) for r, row in enumerate(rows) for c, ch in enumerate(row) if ch == kind}
        for kind in "#X"
    }
    return Gridworld(len(rows), len(rows[0]), walls=cells["#"], absorbing=cells["X"])


REWARD_DISTRIBUTIONS: dict[str, str] = {
    "uniform": "uniform on [0, 1]",
    "exponential": "exponential with mean 1 (a long right tail)",
    "bernoulli": "1 with probability 0.2, else 0 (sparse: many ties)",
}
"""The distributions :func:`sample_rewards` knows, name -> description."""


def sample_rewards(
    distribution: str, n_rewards: int, n_states: int, rng: np.random.Generator
) -> np.ndarray:
    """``n_rewards`` reward functions, each state's reward drawn independently.

    Args:
        distribution: a key of :data:`REWARD_DISTRIBUTIONS`.
        n_rewards: how many reward functions.
        n_states: states per reward function.
        rng: NumPy random generator.

    Returns:
        Array ``[n_rewards, n_states]`` of floats.
    """
    n_rewards = positive_int("n_rewards", n_rewards)
    n_states = positive_int("n_states", n_states)
    shape = (n_rewards, n_states)
    if distribution == "uniform":
        return rng.uniform(size=shape)
    if distribution == "exponential":
        return rng.exponential(size=shape)
    if distribution == "bernoulli":
        return (rng.uniform(size=shape) < 0.2).astype(float)
    raise ValueError(
        f"unknown reward distribution {distribution!r}; choose one of "
        f"{sorted(REWARD_DISTRIBUTIONS)}."
    )
