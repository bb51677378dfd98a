"""Shared scaffolding for the course notebooks.

Plumbing only; the interesting parts of each experiment are written by the learner in the
chapter notebook. One module per job:

- :mod:`alignment_lab.seeding` -- ``seed_everything``, single-threaded torch;
- :mod:`alignment_lab.data` -- small datasets split into tensors, standardized or (the digits)
  scaled to [0, 1];
- :mod:`alignment_lab.training` -- ``make_mlp`` and a training loop that records a history;
- :mod:`alignment_lab.metrics` -- predictions, accuracy (also with a feature shuffled), snapshots;
- :mod:`alignment_lab.plotting` -- curves over epochs with several seeds, digit images in rows;
- :mod:`alignment_lab.regions` -- decision regions of 2-D classifiers, their input-space margin;
- :mod:`alignment_lab.reporting` -- ``show_table``: results as HTML tables, text in a terminal;
- :mod:`alignment_lab.widgets` -- ``explore``: sliders with a Run button that also run headless;
- :mod:`alignment_lab.effects` -- ``involving``: the effect check names the exercises it rests on;
- :mod:`alignment_lab.planning` -- optimal values, policy values and greedy policies in small
  decision processes known exactly, for a batch of reward functions at once;
- :mod:`alignment_lab.worlds` -- the worlds chapters build on (games, datasets, toy problems),
  one module per world.

Importing the package sets torch to one thread
(see :func:`alignment_lab.seeding.use_single_thread`).
"""

from alignment_lab.seeding import use_single_thread as _use_single_thread

__version__ = "0.1.0"
__all__ = [
    "data",
    "effects",
    "metrics",
    "planning",
    "plotting",
    "regions",
    "reporting",
    "seeding",
    "training",
    "widgets",
    "worlds",
]

_use_single_thread()
