"""Tabular worlds: a grid of cells an agent walks on, and planning in any small MDP.

A world here is a finite Markov decision process given by its transition array
``transitions[s, a, s']`` (the probability of moving to state ``s'`` after action ``a`` in
state ``s``). :class:`Gridworld` builds that array for a grid with walls and cells that end the
episode; :func:`value_iteration` plans in any such array, for one reward function or for a batch
of them at once.

Conventions shared by every chapter that uses this module:

- a reward is a function of the state: ``reward[s]`` is received in every step spent in ``s``;
- the value of a state is the discounted sum from now on,
  ``V(s) = reward[s] + discount * max_a sum_s' transitions[s, a, s'] * V(s')``;
- an episode that "ends" in a cell stays there forever (the cell is absorbing), so its reward
  keeps coming, discounted. Chapters that want a one-off reward at the end put it on a state and
  give the absorbing state reward 0 after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from alignment_lab.arguments import positive_int

__all__ = ["MOVES", "Gridworld", "value_iteration"]

MOVES: dict[str, tuple[int, int]] = {
    "up": (-1, 0),
    "down": (1, 0),
    "left": (0, -1),
    "right": (0, 1),
    "stay": (0, 0),
}
"""The actions of a :class:`Gridworld`, in order, as (row, column) steps. Row 0 is the top."""


@dataclass(frozen=True)
class Gridworld:
    """A ``height`` x ``width`` grid. Walls are not states; a move into a wall or off the grid
    leaves the agent where it is, and every move from an absorbing cell stays in it.

    States are the open cells, numbered row by row from the top left (walls skipped); actions
    are the moves of :data:`MOVES`, in its order.

    Attributes:
        height, width: the grid's size in cells.
        walls: (row, column) cells nobody can enter.
        absorbing: (row, column) cells that end the episode.
    """

    height: int
    width: int
    walls: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    absorbing: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        positive_int("height", self.height)
        positive_int("width", self.width)
        object.__setattr__(self, "walls", frozenset(map(tuple, self.walls)))
        object.__setattr__(self, "absorbing", frozenset(map(tuple, self.absorbing)))
        for name in ("walls", "absorbing"):
            outside = sorted(c for c in getattr(self, name) if not self._on_grid(c))
            if outside:
                raise ValueError(
                    f"{name} {outside} lie outside the {self.height} x {self.width} grid; "
                    f"rows run 0..{self.height - 1} and columns 0..{self.width - 1}."
                )
        if self.walls & self.absorbing:
            raise ValueError(
                f"cells {sorted(self.walls & self.absorbing)} are both walls and absorbing; "
                "a wall is not a state, so it cannot end an episode."
            )
        if not self.cells:
            raise ValueError("every cell is a wall; leave at least one open.")

    def _on_grid(self, cell: tuple[int, int]) -> bool:
        row, column = cell
        return 0 <= row < self.height and 0 <= column < self.width

    @cached_property
    def cells(self) -> tuple[tuple[int, int], ...]:
        """The (row, column) of each state, in state order."""
        return tuple(
            (row, column)
            for row in range(self.height)
            for column in range(self.width)
            if (row, column) not in self.walls
        )

    @property
    def n_states(self) -> int:
        return len(self.cells)

    @property
    def n_actions(self) -> int:
        return len(MOVES)

    @cached_property
    def _state_of(self) -> dict[tuple[int, int], int]:
        return {cell: state for state, cell in enumerate(self.cells)}

    def state(self, row: int, column: int) -> int:
        """The state number of the open cell (``row``, ``column``)."""
        if (row, column) not in self._state_of:
            what = "a wall" if (row, column) in self.walls else "off the grid"
            raise ValueError(f"cell ({row}, {column}) is {what}; it has no state number.")
        return self._state_of[(row, column)]

    @cached_property
    def next_state(self) -> np.ndarray:
        """Array ``[n_states, n_actions]`` of ints: where each action leads from each state."""
        table = np.empty((self.n_states, self.n_actions), dtype=np.int64)
        for state, (row, column) in enumerate(self.cells):
            for action, (d_row, d_column) in enumerate(MOVES.values()):
                target = (row + d_row, column + d_column)
                stuck = (row, column) in self.absorbing
                blocked = not self._on_grid(target) or target in self.walls
                table[state, action] = state if stuck or blocked else self._state_of[target]
        return table

    @cached_property
    def transitions(self) -> np.ndarray:
        """Array ``[n_states, n_actions, n_states]``: one-hot rows of :attr:`next_state`."""
        one_hot = np.zeros((self.n_states, self.n_actions, self.n_states))
        states, actions = np.indices(self.next_state.shape)
        one_hot[states, actions, self.next_state] = 1.0
        one_hot.setflags(write=False)
        return one_hot

    def grid_of(self, per_state: np.ndarray, fill: float = np.nan) -> np.ndarray:
        """``per_state`` (shape ``[n_states]``) laid out as a ``[height, width]`` picture, with
        ``fill`` on the walls (for plotting values or visit counts)."""
        per_state = np.asarray(per_state, dtype=float)
        if per_state.shape != (self.n_states,):
            raise ValueError(
                f"expected one number per state, shape ({self.n_states},), "
                f"got shape {per_state.shape}."
            )
        picture = np.full((self.height, self.width), fill)
        rows, columns = np.array(self.cells).T
        picture[rows, columns] = per_state
        return picture


def value_iteration(
    transitions: np.ndarray,
    reward: np.ndarray,
    discount: float,
    tolerance: float = 1e-10,
    max_iterations: int = 100_000,
) -> tuple[np.ndarray, np.ndarray]:
    """Optimal values of state rewards, by repeated Bellman backups until they stop changing.

    Args:
        transitions: array ``[n_states, n_actions, n_states]``, each ``[s, a, :]`` a
            probability distribution.
        reward: array ``[..., n_states]``: one reward function, or a batch of them (leading
            axes are kept), received in every step spent in a state.
        discount: gamma, in [0, 1).
        tolerance: stop when no value moves by more than this in one backup.
        max_iterations: give up (RuntimeError) after this many backups.

    Returns:
        ``(values, q_values)``: arrays ``[..., n_states]`` and ``[..., n_states, n_actions]``,
        with ``q_values[..., s, a] = reward[..., s] + discount * E[values(s')]``.
    """
    transitions = np.asarray(transitions, dtype=float)
    reward = np.asarray(reward, dtype=float)
    if transitions.ndim != 3 or transitions.shape[0] != transitions.shape[2]:
        raise ValueError(
            f"transitions must have shape [n_states, n_actions, n_states], got {transitions.shape}."
        )
    if not np.allclose(transitions.sum(axis=2), 1.0) or (transitions < 0).any():
        raise ValueError("each transitions[s, a, :] must be a probability distribution.")
    if reward.ndim == 0 or reward.shape[-1] != transitions.shape[0]:
        raise ValueError(
            f"reward must end with one entry per state ({transitions.shape[0]}), "
            f"got shape {reward.shape}."
        )
    if not 0.0 <= discount < 1.0:
        raise ValueError(f"discount must be in [0, 1), got {discount}.")
    max_iterations = positive_int("max_iterations", max_iterations)

    deterministic = np.isin(transitions, (0.0, 1.0)).all()
    next_state = transitions.argmax(axis=2)

    def q_of(values: np.ndarray) -> np.ndarray:
        if deterministic:
            expected_next = values[..., next_state]
        else:
            expected_next = np.einsum("sat,...t->...sa", transitions, values)
        return reward[..., :, None] + discount * expected_next

    values = reward.copy()
    for _ in range(max_iterations):
        q_values = q_of(values)
        updated = q_values.max(axis=-1)
        if np.abs(updated - values).max() <= tolerance:
            return updated, q_of(updated)
        values = updated
    raise RuntimeError(
        f"value iteration did not converge to {tolerance} in {max_iterations} backups "
        f"(discount {discount}); raise max_iterations or tolerance."
    )
