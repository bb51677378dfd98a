"""Figures: curves over epochs with several seeds (a mean line and a band across seeds), and
8x8 digit images in labelled rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from torch import Tensor

from alignment_lab.data import DIGIT_SIDE

__all__ = ["pad_runs", "plot_seed_band", "plot_curves", "plot_digits"]


def pad_runs(runs: Sequence[Sequence[float]]) -> np.ndarray:
    """Stack runs of different lengths into ``[n_runs, max_len]``, padding the ends with NaN.

    Runs that stop early (e.g. once the training set is fit) are shorter than the others.

    Raises:
        ValueError: if ``runs`` is empty or a run is empty or not one-dimensional.
    """
    if len(runs) == 0:
        raise ValueError("runs is empty: pass one sequence of values per seed.")
    arrays = [np.asarray(r, dtype=float) for r in runs]
    for i, a in enumerate(arrays):
        if a.ndim != 1 or a.size == 0:
            raise ValueError(
                f"runs[{i}] must be a non-empty 1-D sequence of per-epoch values, "
                f"got shape {a.shape}."
            )
    out = np.full((len(arrays), max(a.size for a in arrays)), np.nan)
    for i, a in enumerate(arrays):
        out[i, : a.size] = a
    return out


def plot_seed_band(
    ax: Axes,
    runs: Sequence[Sequence[float]],
    *,
    label: str,
    x: Sequence[float] | None = None,
    band: str = "minmax",
    color: str | None = None,
    alpha: float = 0.2,
    **line_kwargs: object,
) -> Line2D:
    """Draw the mean over seeds as a line and the spread across seeds as a shaded band.

    At an epoch where some runs have already stopped, the mean and band use the runs still going.

    Args:
        ax: the axes to draw on.
        runs: one sequence of per-epoch values per seed (lengths may differ).
        label: legend entry, e.g. ``"true labels"``.
        x: x value of each epoch index; default ``0, 1, 2, ...`` (epoch 0 = before training).
        band: ``"minmax"`` (min to max across seeds), ``"std"`` (mean +- one std) or ``"none"``.
        color: matplotlib colour; default the next in the cycle.
        alpha: opacity of the band.
        **line_kwargs: passed on to ``ax.plot`` (e.g. ``linestyle="--"``).

    Returns:
        The mean line.
    """
    if band not in {"minmax", "std", "none"}:
        raise ValueError(f"band must be 'minmax', 'std' or 'none', got {band!r}.")
    values = pad_runs(runs)
    xs = np.arange(values.shape[1]) if x is None else np.asarray(x, dtype=float)
    if xs.shape != (values.shape[1],):
        raise ValueError(
            f"x must have one value per epoch index ({values.shape[1]}), got shape {xs.shape}."
        )
    mean = np.nanmean(values, axis=0)
    (line,) = ax.plot(xs, mean, label=label, color=color, **line_kwargs)
    if band == "minmax":
        low, high = np.nanmin(values, axis=0), np.nanmax(values, axis=0)
    elif band == "std":
        std = np.nanstd(values, axis=0)
        low, high = mean - std, mean + std
    else:
        return line
    ax.fill_between(xs, low, high, color=line.get_color(), alpha=alpha, linewidth=0)
    return line


def plot_curves(
    curves: Mapping[str, Sequence[Sequence[float]]],
    *,
    ylabel: str,
    xlabel: str = "epoch (passes over the training set)",
    title: str | None = None,
    ax: Axes | None = None,
    band: str = "minmax",
    figsize: tuple[float, float] = (6.0, 4.0),
    x: Sequence[float] | None = None,
    logx: bool = False,
) -> tuple[Figure, Axes]:
    """Several labelled curves over epochs, each averaged over seeds with a band, on one axes.

    Args:
        curves: legend label -> runs (one per-epoch sequence per seed), e.g.
            ``{"true labels": [run_seed0, run_seed1, run_seed2]}``.
        ylabel: y-axis label with its unit, e.g. ``"test accuracy (fraction)"``.
        xlabel: x-axis label with its unit.
        title: optional axes title.
        ax: draw on these axes; default a new figure.
        band: see :func:`plot_seed_band`.
        figsize: size in inches of a new figure.
        x: the epoch of each recorded value, e.g. ``history.epochs`` when only some epochs were
            measured; default ``0, 1, 2, ...``.
        logx: logarithmic epoch axis, for dynamics spread over several orders of magnitude;
            values at epoch 0 are left out, since a log axis cannot show them.

    Returns:
        ``(figure, axes)``.
    """
    if not curves:
        raise ValueError("curves is empty: pass at least one {label: runs} entry.")
    if logx:
        longest = max(len(run) for runs in curves.values() for run in runs)
        xs = np.arange(longest, dtype=float) if x is None else np.asarray(x, dtype=float)
        positive = xs > 0
        x = xs[positive]
        curves = {label: list(pad_runs(runs)[:, positive]) for label, runs in curves.items()}
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
    else:
        fig = ax.figure
    for label, runs in curves.items():
        plot_seed_band(ax, runs, label=label, band=band, x=x)
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    return fig, ax


def _digit_pixels(label: str, images: object, n_captions: int) -> np.ndarray:
    """One row's images as ``[k, 8, 8]`` floats clipped to [0, 1], after checking the row."""
    if isinstance(images, torch.Tensor):
        images = images.detach().cpu().numpy()
    pixels = np.asarray(images, dtype=float)
    n_pixels = DIGIT_SIDE * DIGIT_SIDE
    if pixels.ndim != 2 or pixels.shape[1] != n_pixels or pixels.shape[0] == 0:
        raise ValueError(
            f"row {label!r}: images must be a non-empty [k, {n_pixels}] batch of flattened "
            f"{DIGIT_SIDE}x{DIGIT_SIDE} images, got shape {pixels.shape}."
        )
    if n_captions != pixels.shape[0]:
        raise ValueError(
            f"row {label!r}: give one caption per image, {pixels.shape[0]} captions, "
            f"not {n_captions}."
        )
    return np.clip(pixels, 0.0, 1.0).reshape(-1, DIGIT_SIDE, DIGIT_SIDE)


def plot_digits(
    rows: Sequence[tuple[str, Tensor | np.ndarray, Sequence[str]]],
    *,
    title: str | None = None,
    size: float = 1.3,
) -> Figure:
    """Draw 8x8 digit images in rows, each row labelled on its left, each image captioned below.

    White is no ink (0) and black full ink (1), as in :func:`~alignment_lab.data.load_unit_digits`;
    values outside [0, 1] are drawn as the nearest end.

    Args:
        rows: one ``(row_label, images, captions)`` per row, e.g.
            ``("poisoned", X[:6], ["label 0"] * 6)``: ``images`` is ``Tensor[k, 64]`` (or an
            array) of flattened images, ``captions`` holds ``k`` short strings. Rows may hold
            different numbers of images; shorter rows leave blank space on the right.
        title: optional title above the grid.
        size: inches per image, > 0.

    Returns:
        The figure (not shown; call ``plt.show()``).

    Raises:
        ValueError: if ``rows`` is empty, a row is not ``(label, images, captions)``, its images
            are not ``[k, 64]`` with ``k >= 1``, or it has not one caption per image.
    """
    if len(rows) == 0:
        raise ValueError("rows is empty: pass at least one (label, images, captions) row.")
    if isinstance(size, bool) or not isinstance(size, (int, float)) or size <= 0:
        raise ValueError(f"size must be a positive number of inches per image, got {size!r}.")
    checked = []
    for i, row in enumerate(rows):
        if not isinstance(row, (tuple, list)) or len(row) != 3:
            raise ValueError(
                f"rows[{i}] must be a (label, images, captions) tuple, got {type(row).__name__}."
            )
        label, images, captions = row
        if isinstance(captions, str):
            raise ValueError(f"row {label!r}: captions must be a list of strings, one per image.")
        checked.append((str(label), _digit_pixels(label, images, len(captions)), list(captions)))
    ncols = max(len(pixels) for _, pixels, _ in checked)
    fig, axes = plt.subplots(
        len(checked), ncols, figsize=(size * ncols, size * 1.25 * len(checked)), squeeze=False
    )
    for r, (label, pixels, captions) in enumerate(checked):
        for c, ax in enumerate(axes[r]):
            if c >= len(pixels):
                ax.set_visible(False)
                continue
            ax.imshow(pixels[c], cmap="gray_r", vmin=0.0, vmax=1.0)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel(captions[c], fontsize=8)
            if c == 0:
                ax.set_ylabel(label, fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
