"""Specification of alignment_lab.regions: the predicted class on a grid, drawn under the data."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from alignment_lab.regions import (  # noqa: E402
    decision_grid,
    distance_to_boundary,
    plot_decision_regions,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def first_feature_classifier() -> nn.Linear:
    """Logits (0, x1): predicts class 1 exactly where the first feature is positive."""
    net = nn.Linear(2, 2)
    with torch.no_grad():
        net.weight.copy_(torch.tensor([[0.0, 0.0], [1.0, 0.0]]))
        net.bias.zero_()
    return net


def test_decision_grid_uses_image_layout_with_the_first_feature_along_columns():
    xs, ys, classes = decision_grid(first_feature_classifier(), (-1, 1, -2, 2), resolution=5)
    assert xs.tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert ys.tolist() == [-2.0, -1.0, 0.0, 1.0, 2.0]
    assert classes.shape == (5, 5)
    expected_row = [0, 0, 0, 1, 1]  # the argmax of (0, 0) at x1 = 0 is class 0
    assert all(row.tolist() == expected_row for row in classes), classes


def test_decision_grid_leaves_the_model_in_its_mode():
    net = first_feature_classifier().train()
    decision_grid(net, (-1, 1, -1, 1), resolution=3)
    assert net.training


@pytest.mark.parametrize(
    ("extent", "resolution", "message"),
    [
        ((0, 1, 0), 10, "extent"),
        ((1, 0, 0, 1), 10, "x_min < x_max"),
        ((0, 1, 0, 1), 1, "resolution"),
    ],
)
def test_decision_grid_rejects_bad_settings_and_says_why(extent, resolution, message):
    with pytest.raises(ValueError, match=message):
        decision_grid(first_feature_classifier(), extent, resolution)


def test_plot_decision_regions_shades_classes_scatters_data_and_labels_axes():
    X = torch.tensor([[-1.0, 0.5], [1.0, -0.5], [0.5, 0.5]])
    y = torch.tensor([0, 1, 1])
    fig, ax = plt.subplots()
    out = plot_decision_regions(
        ax, first_feature_classifier(), X, y, xlabel="A", ylabel="B", title="t", resolution=20
    )
    assert out is ax
    assert ax.get_xlabel() == "A" and ax.get_ylabel() == "B" and ax.get_title() == "t"
    scattered = sum(len(c.get_offsets()) for c in ax.collections if hasattr(c, "get_offsets"))
    assert scattered >= 3, "every data point must be drawn"
    x_lo, x_hi = ax.get_xlim()
    assert x_lo < -1.0 and x_hi > 1.0, "the default extent pads the data's range"


def test_plot_decision_regions_handles_three_classes_and_caps_the_points():
    net = nn.Linear(2, 3)
    X = torch.randn(50, 2, generator=torch.Generator().manual_seed(0))
    y = torch.arange(50) % 3
    _, ax = plt.subplots()
    plot_decision_regions(ax, net, X, y, resolution=10, max_points=9, extent=(-3, 3, -3, 3))
    offsets = [c.get_offsets() for c in ax.collections if type(c).__name__ == "PathCollection"]
    assert sum(len(o) for o in offsets) == 9
    assert ax.get_xlim() == (-3.0, 3.0)


def test_plot_decision_regions_rejects_inputs_that_are_not_two_dimensional():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"shape \[n, 2\]"):
        plot_decision_regions(ax, nn.Linear(3, 2), torch.zeros(4, 3), torch.zeros(4).long())
    with pytest.raises(ValueError, match="y must have shape"):
        plot_decision_regions(ax, first_feature_classifier(), torch.zeros(4, 2), torch.zeros(3))
    assert np.isfinite(ax.get_xlim()).all()


def test_distance_to_boundary_matches_the_distance_to_a_straight_boundary():
    """The boundary of the first-feature classifier is the line x1 = 0."""
    X = torch.tensor([[0.5, 0.3], [-0.25, -0.9], [1.0, 0.0]])
    distances = distance_to_boundary(first_feature_classifier(), X, (-2, 2, -1, 1), resolution=401)
    spacing = 4 / 400
    np.testing.assert_allclose(distances, [0.5, 0.25, 1.0], atol=spacing)


def test_distance_to_boundary_is_infinite_when_the_grid_has_one_class():
    X = torch.tensor([[0.5, 0.0]])
    assert distance_to_boundary(first_feature_classifier(), X, (0.1, 1, -1, 1), 20)[0] == np.inf


def test_distance_to_boundary_rejects_inputs_that_are_not_two_dimensional():
    with pytest.raises(ValueError, match=r"shape \[n, 2\]"):
        distance_to_boundary(first_feature_classifier(), torch.zeros(3), (-1, 1, -1, 1))
