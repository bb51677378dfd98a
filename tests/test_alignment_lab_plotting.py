"""Specification of alignment_lab.plotting: mean line and band over seeds, labelled axes, and
digit images in labelled, captioned rows."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from alignment_lab.plotting import pad_runs, plot_curves, plot_digits, plot_seed_band  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_pad_runs_pads_shorter_runs_with_nan():
    padded = pad_runs([[1, 2, 3], [4]])
    assert padded.shape == (2, 3)
    assert padded[0].tolist() == [1, 2, 3]
    assert padded[1, 0] == 4 and np.isnan(padded[1, 1:]).all()


def test_pad_runs_rejects_empty_input():
    with pytest.raises(ValueError, match="runs is empty"):
        pad_runs([])
    with pytest.raises(ValueError, match=r"runs\[1\]"):
        pad_runs([[1.0], []])


def test_seed_band_draws_the_mean_over_the_runs_still_going_and_a_minmax_band():
    fig, ax = plt.subplots()
    line = plot_seed_band(ax, [[0.0, 0.0, 0.0], [0.0, 3.0], [6.0]], label="runs")
    assert line.get_ydata().tolist() == [2.0, 1.5, 0.0]
    assert line.get_label() == "runs"
    (band,) = ax.collections
    vertices = band.get_paths()[0].vertices
    assert vertices[:, 1].min() == 0.0 and vertices[:, 1].max() == 6.0


def test_seed_band_rejects_an_unknown_band_kind():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="band must be"):
        plot_seed_band(ax, [[1.0]], label="x", band="quartiles")


def test_plot_curves_labels_axes_and_adds_a_legend_entry_per_curve():
    fig, ax = plot_curves(
        {"true labels": [[0.1, 0.9]], "random labels": [[0.1, 0.3], [0.1, 0.4]]},
        ylabel="accuracy (fraction)",
        title="fit",
    )
    assert ax.get_xlabel().startswith("epoch")
    assert ax.get_ylabel() == "accuracy (fraction)"
    assert ax.get_title() == "fit"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["true labels", "random labels"]
    assert ax.figure is fig


def test_plot_curves_draws_on_given_axes():
    fig, axes = plt.subplots(1, 2)
    _, ax = plot_curves({"a": [[1.0, 2.0]]}, ylabel="y", ax=axes[1], band="std")
    assert ax is axes[1] and len(axes[1].lines) == 1 and len(axes[0].lines) == 0


def test_plot_curves_on_a_log_axis_uses_the_measured_epochs_and_leaves_out_epoch_0():
    epochs = [0, 1, 10, 100]
    fig, ax = plot_curves(
        {"a": [[0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 2.0, 5.0]]},
        ylabel="y",
        x=epochs,
        logx=True,
    )
    assert ax.get_xscale() == "log"
    line = ax.get_lines()[0]
    assert list(line.get_xdata()) == [1.0, 10.0, 100.0]
    assert list(line.get_ydata()) == [1.0, 2.0, 4.0], "the mean over seeds, without epoch 0"
    plt.close(fig)


def visible_axes(fig):
    return [ax for ax in fig.get_axes() if ax.get_visible()]


def test_plot_digits_draws_each_image_as_8x8_ink_on_white_with_its_caption_and_row_label():
    images = torch.linspace(0, 1, 3 * 64).reshape(3, 64)
    fig = plot_digits(
        [("clean", images, ["a", "b", "c"]), ("attacked", images.numpy(), ["d", "e", "f"])],
        title="two rows",
    )
    axes = visible_axes(fig)
    assert len(axes) == 6
    assert [ax.get_xlabel() for ax in axes] == ["a", "b", "c", "d", "e", "f"]
    assert [ax.get_ylabel() for ax in axes] == ["clean", "", "", "attacked", "", ""]
    (image,) = axes[4].get_images()
    assert np.allclose(image.get_array(), images[1].reshape(8, 8).numpy()), "row by row"
    assert image.get_cmap().name == "gray_r" and image.get_clim() == (0.0, 1.0)
    assert fig.get_suptitle() == "two rows"


def test_plot_digits_leaves_the_rest_of_a_shorter_row_blank():
    fig = plot_digits(
        [("clean", torch.zeros(6, 64), ["0"] * 6), ("poisoned", torch.ones(2, 64), ["1"] * 2)]
    )
    assert len(fig.get_axes()) == 12
    assert [ax.get_xlabel() for ax in visible_axes(fig)] == ["0"] * 6 + ["1"] * 2


def test_plot_digits_clips_values_outside_the_unit_interval():
    images = torch.full((1, 64), 0.5)
    images[0, 0], images[0, 1] = -0.3, 1.7
    fig = plot_digits([("attacked", images, ["x"])])
    pixels = visible_axes(fig)[0].get_images()[0].get_array()
    assert pixels[0, 0] == 0.0 and pixels[0, 1] == 1.0 and pixels[0, 2] == 0.5


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "rows is empty"),
        ([("clean", torch.rand(3, 64), ["a"])], "one caption per image"),
        ([("clean", torch.rand(2, 64), "ab")], "list of strings"),
        ([("clean", torch.rand(2, 63), ["a", "b"])], r"\[k, 64\]"),
        ([("clean", torch.rand(0, 64), [])], "non-empty"),
        ([("clean", torch.rand(2, 64))], r"rows\[0\] must be a \(label, images, captions\)"),
    ],
)
def test_plot_digits_rejects_malformed_rows_naming_the_row(rows, message):
    with pytest.raises(ValueError, match=message):
        plot_digits(rows)


def test_plot_digits_rejects_a_non_positive_size():
    with pytest.raises(ValueError, match="size must be a positive number"):
        plot_digits([("clean", torch.rand(1, 64), ["a"])], size=0)
