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
    distance_along_rays,
    distance_to_boundary,
    input_margin,
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


def tilted_line_classifier() -> nn.Linear:
    """Logits (0, 3 x1 - 4 x2 + 0.5): the boundary is the line 3 x1 - 4 x2 + 0.5 = 0, and a
    point's distance to it is |3 x1 - 4 x2 + 0.5| / 5."""
    net = nn.Linear(2, 2)
    with torch.no_grad():
        net.weight.copy_(torch.tensor([[0.0, 0.0], [3.0, -4.0]]))
        net.bias.copy_(torch.tensor([0.0, 0.5]))
    return net


class Disc(nn.Module):
    """Logits (0, 0.25 - |x|^2): class 1 inside the circle of radius 0.5 around the origin."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        inside = 0.25 - (x**2).sum(dim=1)
        return torch.stack([torch.zeros_like(inside), inside], dim=1)


def test_distance_along_rays_matches_the_exact_distance_to_a_tilted_line():
    X = torch.tensor([[0.5, 0.3], [-0.4, -0.2], [0.1, 0.9], [0.2, 0.275]])
    exact = (3 * X[:, 0].double() - 4 * X[:, 1].double() + 0.5).abs().numpy() / 5
    distances = distance_along_rays(tilted_line_classifier(), X, max_distance=1.0)
    np.testing.assert_allclose(distances, exact, atol=1e-5)


def test_distance_along_rays_follows_a_curved_boundary_from_inside_and_outside():
    X = torch.tensor([[0.1, 0.2], [0.0, -0.45], [0.6, 0.3], [-0.9, 0.0]])
    exact = np.abs(np.hypot(X[:, 0].double().numpy(), X[:, 1].double().numpy()) - 0.5)
    np.testing.assert_allclose(distance_along_rays(Disc(), X, max_distance=1.0), exact, atol=1e-5)


def test_distance_along_rays_measures_from_each_points_own_class_with_three_classes():
    """Logits (x1, x2, 0): the boundaries are x1 = x2 (x1, x2 > 0) and the negative axes."""
    net = nn.Linear(2, 3, bias=False)
    with torch.no_grad():
        net.weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]))
    X = torch.tensor([[0.8, 0.2], [-0.5, -0.3], [0.3, 0.7]])
    exact = [0.6 / 2**0.5, 0.3, 0.4 / 2**0.5]
    np.testing.assert_allclose(distance_along_rays(net, X, max_distance=1.0), exact, atol=1e-5)


def test_distance_along_rays_is_infinite_beyond_its_reach_and_zero_on_the_boundary():
    X = torch.tensor([[0.9, 0.0], [0.0, 0.3]])
    distances = distance_along_rays(first_feature_classifier(), X, max_distance=0.5)
    assert distances[0] == np.inf and distances[1] == 0.0


def test_distance_along_rays_leaves_the_model_in_its_mode():
    net = tilted_line_classifier().train()
    distance_along_rays(net, torch.zeros(1, 2), max_distance=1.0, directions=8)
    assert net.training


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"max_distance": 0.0}, "max_distance"),
        ({"max_distance": 1.0, "directions": 4}, "directions"),
        ({"max_distance": 1.0, "steps": 1}, "steps"),
        ({"max_distance": 1.0, "tolerance": 0.0}, "tolerance"),
    ],
)
def test_distance_along_rays_rejects_bad_settings_and_says_why(settings, message):
    with pytest.raises(ValueError, match=message):
        distance_along_rays(first_feature_classifier(), torch.zeros(2, 2), **settings)
    with pytest.raises(ValueError, match=r"shape \[n, 2\]"):
        distance_along_rays(first_feature_classifier(), torch.zeros(2, 3), max_distance=1.0)


def test_input_margin_is_exact_where_the_grid_is_off_by_a_spacing():
    """The boundary x1 = 0.07 falls between the grid's columns, which are 0.2 apart."""
    net = first_feature_classifier()
    with torch.no_grad():
        net.bias.copy_(torch.tensor([0.0, -0.07]))
    X = torch.tensor([[0.5, 0.3], [-0.4, -0.5], [0.42, 0.0]])
    extent, resolution = (-1, 1, -1, 1), 11
    coarse = distance_to_boundary(net, X, extent, resolution)
    assert abs(coarse.min() - 0.35) > 0.05, "the grid alone is off by about half a spacing"
    margin = input_margin(net, X, extent, resolution=resolution)
    assert abs(margin - 0.35) < 1e-5


def test_input_margin_finds_the_nearest_point_when_the_grid_ranks_them_wrongly():
    """Points 0.31 left and 0.30 right of the boundary x1 = 0.19: the grid, whose boundary
    column is the last one left of 0.19, puts the left point nearer."""
    net = first_feature_classifier()
    with torch.no_grad():
        net.bias.copy_(torch.tensor([0.0, -0.19]))
    X = torch.tensor([[-0.12, 0.0], [0.49, 0.0]])
    coarse = distance_to_boundary(net, X, (-1, 1, -1, 1), 11)
    assert coarse[0] < coarse[1], coarse
    assert abs(input_margin(net, X, (-1, 1, -1, 1), resolution=11) - 0.30) < 1e-5


def test_input_margin_of_a_tilted_line_matches_the_exact_smallest_distance():
    X = torch.randn(40, 2, generator=torch.Generator().manual_seed(3))
    exact = float((3 * X[:, 0].double() - 4 * X[:, 1].double() + 0.5).abs().min() / 5)
    margin = input_margin(tilted_line_classifier(), X, (-3, 3, -3, 3), resolution=50)
    assert abs(margin - exact) < 1e-5


def test_input_margin_is_infinite_when_the_grid_has_one_class():
    X = torch.tensor([[0.5, 0.0]])
    assert input_margin(first_feature_classifier(), X, (0.1, 1, -1, 1), resolution=20) == np.inf
