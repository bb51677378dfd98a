"""A grid of cells an agent walks on, as a tabular decision process.

:class:`Gridworld` numbers the open cells of a grid with walls as states and gives the moves of
:data:`MOVES` as a table ``next_state[s, a]`` and as the transition array
``transitions[s, a, s']`` (the probability of moving to state ``s'`` after action ``a`` in state
``s``; here 0 or 1). Plan in it with :mod:`alignment_lab.planning`.

An episode that "ends" in an absorbing cell stays there forever: under a state reward ``r[s]``
(received in every step spent in ``s``; the planner takes it as ``r[..., None]``) the cell's
reward keeps coming, discounted. For a one-off reward at the end, give the absorbing cell reward
0 and put the reward on a cell before it, or pass the absorbing cells to the planner as
``terminal`` (worth 0) and pay the reward on the transition into them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from alignment_lab.arguments import positive_int

__all__ = ["MOVES", "Gridworld"]

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
