"""Decision regions of a classifier on two-dimensional inputs: where it predicts which class.

For toy problems with two input features, the picture says more than any number: which
feature the decision boundary follows, and what the model does where the training data never
went. The distance from the data to that boundary (the margin in input space) is measured here
too: roughly on a grid, or precisely by casting rays from the points nearest to it.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.axes import Axes
from torch import Tensor, nn

from alignment_lab.metrics import predict

__all__ = [
    "decision_grid",
    "distance_to_boundary",
    "distance_along_rays",
    "input_margin",
    "plot_decision_regions",
]


def _check_extent(extent: Sequence[float]) -> tuple[float, float, float, float]:
    if len(extent) != 4:
        raise ValueError(f"extent must be (x_min, x_max, y_min, y_max), got {extent!r}.")
    x_min, x_max, y_min, y_max = (float(v) for v in extent)
    if not (x_min < x_max and y_min < y_max):
        raise ValueError(
            f"extent must satisfy x_min < x_max and y_min < y_max, got {extent!r}; "
            "e.g. (-3, 3, -1, 1)."
        )
    return x_min, x_max, y_min, y_max


def decision_grid(
    model: nn.Module,
    extent: Sequence[float],
    resolution: int = 200,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The model's predicted class on a regular grid of two-dimensional inputs.

    Args:
        model: maps ``Tensor[n, 2]`` to logits ``Tensor[n, K]``.
        extent: ``(x_min, x_max, y_min, y_max)`` of the grid, in input units.
        resolution: number of grid points along each axis, >= 2.

    Returns:
        ``(xs, ys, classes)``: the grid coordinates ``xs[resolution]`` (first input feature) and
        ``ys[resolution]`` (second feature), and ``classes[resolution, resolution]`` with
        ``classes[i, j]`` the predicted class at ``(xs[j], ys[i])`` (image layout).

    Raises:
        ValueError: for a malformed extent or a resolution below 2.
    """
    x_min, x_max, y_min, y_max = _check_extent(extent)
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be an int >= 2, got {resolution!r}; e.g. 200.")
    xs = np.linspace(x_min, x_max, resolution)
    ys = np.linspace(y_min, y_max, resolution)
    gx, gy = np.meshgrid(xs, ys)
    points = torch.tensor(np.stack([gx.ravel(), gy.ravel()], axis=1), dtype=torch.float32)
    classes = predict(model, points).numpy().reshape(resolution, resolution)
    return xs, ys, classes


def distance_to_boundary(
    model: nn.Module,
    X: Tensor,
    extent: Sequence[float],
    resolution: int = 300,
) -> np.ndarray:
    """Distance from each input to the model's decision boundary, measured on a grid.

    The boundary is taken as the grid points whose right or upper neighbour gets a different
    class; the result is exact up to about one grid spacing,
    ``max(x_max - x_min, y_max - y_min) / (resolution - 1)``. The smallest value over the
    training set is the model's margin in input space.

    Args:
        model: maps ``Tensor[n, 2]`` to logits ``Tensor[n, K]``.
        X: ``Tensor[n, 2]`` inputs, which should lie inside ``extent``.
        extent: ``(x_min, x_max, y_min, y_max)`` of the grid, in input units.
        resolution: grid points along each axis, >= 2.

    Returns:
        ``np.ndarray[n]`` of distances in input units; ``inf`` where the model predicts a
        single class everywhere on the grid.

    Raises:
        ValueError: if ``X`` is not ``[n, 2]``, for a malformed extent or a resolution below 2.
    """
    _check_points(X)
    xs, ys, classes = decision_grid(model, extent, resolution)
    on_boundary = np.zeros_like(classes, dtype=bool)
    on_boundary[:, :-1] |= classes[:, :-1] != classes[:, 1:]
    on_boundary[:-1, :] |= classes[:-1, :] != classes[1:, :]
    if not on_boundary.any():
        return np.full(X.shape[0], np.inf)
    gx, gy = np.meshgrid(xs, ys)
    boundary = np.stack([gx[on_boundary], gy[on_boundary]], axis=1)
    points = X.detach().cpu().numpy().astype(np.float64)
    squared = ((points[:, None, :] - boundary[None, :, :]) ** 2).sum(axis=2)
    return np.sqrt(squared.min(axis=1))


def _check_points(X: Tensor) -> None:
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape [n, 2], got {tuple(X.shape)}.")


@torch.no_grad()
def _logits(model: nn.Module, points: np.ndarray) -> np.ndarray:
    """The model's logits at ``points[..., 2]`` as float64 ``[..., K]``, in eval mode."""
    was_training = model.training
    model.eval()
    try:
        logits = model(torch.as_tensor(points.reshape(-1, 2), dtype=torch.float32))
    finally:
        model.train(was_training)
    return logits.double().numpy().reshape(*points.shape[:-1], -1)


def _logit_gap(model: nn.Module, points: np.ndarray, home: int) -> np.ndarray:
    """Largest logit of the other classes minus the logit of class ``home`` at each of
    ``points[..., 2]``: negative where the model predicts ``home``, >= 0 across the boundary."""
    logits = _logits(model, points)
    return np.delete(logits, home, axis=-1).max(axis=-1) - logits[..., home]


def distance_along_rays(
    model: nn.Module,
    X: Tensor,
    max_distance: float,
    *,
    directions: int = 3600,
    steps: int = 32,
    tolerance: float = 1e-6,
) -> np.ndarray:
    """Distance from each input to the model's decision boundary, found by casting rays.

    From each point, ``directions`` rays at equal angles are sampled at ``steps`` equally spaced
    radii up to ``max_distance``. Along each ray the first sign change of the logit gap (the
    largest logit of the other classes minus the logit of the class predicted at the point) is
    bisected down to ``tolerance``; the distance is the smallest over the rays. The error is
    about ``tolerance`` plus ``d * (pi / directions) ** 2 / 2`` for a point at distance ``d``
    from a straight boundary (1e-7 for ``d = 0.3`` with 3600 rays), provided no part of the
    boundary is thinner than ``max_distance / steps``: a sliver that a ray enters and leaves
    between two samples is missed.

    Args:
        model: maps ``Tensor[n, 2]`` to logits ``Tensor[n, K]``, ``K >= 2``.
        X: ``Tensor[n, 2]`` inputs.
        max_distance: how far to look, in input units, > 0.
        directions: number of rays per point, >= 8.
        steps: samples along each ray before bisecting, >= 2.
        tolerance: half-width of the bracket where bisection stops, in input units, > 0.

    Returns:
        ``np.ndarray[n]`` of distances in input units; ``inf`` for a point with no boundary
        within ``max_distance``, 0 for a point on the boundary.

    Raises:
        ValueError: if ``X`` is not ``[n, 2]`` or a setting is out of range.
    """
    _check_points(X)
    if not max_distance > 0:
        raise ValueError(f"max_distance must be > 0 (input units), got {max_distance!r}.")
    if not (isinstance(directions, int) and directions >= 8):
        raise ValueError(f"directions must be an int >= 8, got {directions!r}; e.g. 3600.")
    if not (isinstance(steps, int) and steps >= 2):
        raise ValueError(f"steps must be an int >= 2, got {steps!r}; e.g. 32.")
    if not tolerance > 0:
        raise ValueError(f"tolerance must be > 0 (input units), got {tolerance!r}; e.g. 1e-6.")
    angles = np.arange(directions) * (2 * np.pi / directions)
    unit = np.stack([np.cos(angles), np.sin(angles)], axis=1)  # [directions, 2]
    radii = np.linspace(0.0, float(max_distance), steps + 1)[1:]  # [steps]
    points = X.detach().cpu().numpy().astype(np.float64)
    distances = np.full(points.shape[0], np.inf)
    for i, point in enumerate(points):
        home = int(np.argmax(_logits(model, point)))
        if _logit_gap(model, point, home) >= 0:
            distances[i] = 0.0  # a tie at the point itself: it lies on the boundary
            continue
        gaps = _logit_gap(model, point + radii[None, :, None] * unit[:, None, :], home)
        crossed = gaps >= 0  # [directions, steps]
        rays = np.flatnonzero(crossed.any(axis=1))
        if rays.size == 0:
            continue
        first = crossed[rays].argmax(axis=1)
        high = radii[first]
        low = np.where(first > 0, radii[np.maximum(first - 1, 0)], 0.0)
        while (high - low).max() > 2 * tolerance:
            middle = (low + high) / 2
            across = _logit_gap(model, point + middle[:, None] * unit[rays], home) >= 0
            high = np.where(across, middle, high)
            low = np.where(across, low, middle)
        distances[i] = ((low + high) / 2).min()
    return distances


def input_margin(
    model: nn.Module,
    X: Tensor,
    extent: Sequence[float],
    *,
    resolution: int = 300,
    directions: int = 3600,
    tolerance: float = 1e-6,
) -> float:
    """The model's margin in input space: the smallest distance from a row of ``X`` to the
    decision boundary, precise to about ``tolerance`` rather than to a grid spacing.

    A grid (:func:`distance_to_boundary`) gives every point's distance to within about one
    spacing ``h``; only the points whose grid distance is within ``2.5 h`` of the smallest can
    be the nearest, and only those are measured again with :func:`distance_along_rays`. Exact
    up to ``tolerance`` when the boundary has no detail finer than ``h`` (a region small enough
    to fall between grid points may be missed).

    Args:
        model: maps ``Tensor[n, 2]`` to logits ``Tensor[n, K]``, ``K >= 2``.
        X: ``Tensor[n, 2]`` inputs (e.g. the training set), inside ``extent``.
        extent: ``(x_min, x_max, y_min, y_max)`` of the coarse grid, in input units.
        resolution: grid points along each axis, >= 2.
        directions: rays per refined point, >= 8.
        tolerance: precision of the bisection along each ray, in input units, > 0.

    Returns:
        The margin in input units; ``inf`` if the grid shows a single class.

    Raises:
        ValueError: if ``X`` is not ``[n, 2]``, for a malformed extent or an out-of-range
            setting.
    """
    _check_points(X)
    x_min, x_max, y_min, y_max = _check_extent(extent)
    coarse = distance_to_boundary(model, X, extent, resolution)
    if not np.isfinite(coarse).any():
        return float("inf")
    spacing = max(x_max - x_min, y_max - y_min) / (resolution - 1)
    nearest = np.flatnonzero(coarse <= coarse.min() + 2.5 * spacing)
    refined = distance_along_rays(
        model,
        X[nearest],
        float(coarse[nearest].max() + 2 * spacing),
        directions=directions,
        tolerance=tolerance,
    )
    return float(refined.min())


def plot_decision_regions(
    ax: Axes,
    model: nn.Module,
    X: Tensor,
    y: Tensor,
    *,
    extent: Sequence[float] | None = None,
    resolution: int = 200,
    xlabel: str = "feature 1",
    ylabel: str = "feature 2",
    title: str | None = None,
    max_points: int | None = 400,
) -> Axes:
    """Shade the region the model assigns to each class and scatter the data on top.

    Args:
        ax: the axes to draw on.
        model: maps ``Tensor[n, 2]`` to logits ``Tensor[n, K]``.
        X: ``Tensor[n, 2]`` inputs to scatter (e.g. the training set).
        y: ``Tensor[n]`` integer labels, the colour of each point.
        extent: ``(x_min, x_max, y_min, y_max)``; default the data's range plus 10% each side.
        resolution: grid points per axis.
        xlabel: x-axis label with its unit.
        ylabel: y-axis label with its unit.
        title: optional axes title.
        max_points: scatter at most this many points (the first ones); ``None`` for all.

    Returns:
        The axes.

    Raises:
        ValueError: if ``X`` is not ``[n, 2]`` or ``y`` does not have one label per row.
    """
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"X must be two-dimensional inputs of shape [n, 2], got {tuple(X.shape)}; decision "
            "regions can only be drawn for models with two input features."
        )
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape [{X.shape[0]}], got {tuple(y.shape)}.")
    points = X.detach().cpu().numpy()
    labels = y.detach().cpu().numpy()
    if extent is None:
        low, high = points.min(axis=0), points.max(axis=0)
        pad = 0.1 * np.maximum(high - low, 1e-6)
        extent = (low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], high[1] + pad[1])
    xs, ys, classes = decision_grid(model, extent, resolution)
    num_classes = int(max(classes.max(), labels.max() if labels.size else 0)) + 1
    cmap = plt.get_cmap("coolwarm" if num_classes == 2 else "tab10")
    colours = [cmap(float(k)) if num_classes == 2 else cmap(k) for k in range(num_classes)]
    levels = np.arange(num_classes + 1) - 0.5
    ax.contourf(xs, ys, classes, levels=levels, colors=colours, alpha=0.25)
    if num_classes == 2:
        ax.contour(xs, ys, classes, levels=[0.5], colors="black", linewidths=1.0)
    shown = slice(None) if max_points is None else slice(0, max_points)
    for k in range(num_classes):
        mask = labels[shown] == k
        if mask.any():
            ax.scatter(*points[shown][mask].T, s=8, color=colours[k], label=f"class {k}")
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return ax
