"""Specification of alignment_lab.training: make_mlp and the recording training loop."""

import pytest
import torch
from torch import nn

from alignment_lab.metrics import accuracy_metric, flatten_parameters
from alignment_lab.training import History, make_mlp, metric_reaches, train


def blobs(n: int = 120, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Three well-separated Gaussian blobs in 2-D: learnable to 100% in a few epochs."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 3
    centres = torch.tensor([[4.0, 0.0], [-4.0, 0.0], [0.0, 4.0]])
    return centres[y] + 0.5 * torch.randn(n, 2, generator=g), y


def test_make_mlp_has_the_requested_widths_with_relu_between_linear_layers():
    net = make_mlp([64, 32, 16, 10])
    linears = [m for m in net if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [(64, 32), (32, 16), (16, 10)]
    assert [type(m) for m in net] == [nn.Linear, nn.ReLU, nn.Linear, nn.ReLU, nn.Linear]
    assert net(torch.zeros(5, 64)).shape == (5, 10)


def test_make_mlp_with_a_seed_is_reproducible_and_leaves_global_rng_alone():
    torch.manual_seed(0)
    expected_next = torch.rand(1)
    torch.manual_seed(0)
    a = make_mlp([4, 8, 2], seed=7)
    assert torch.equal(torch.rand(1), expected_next), "global torch RNG must be untouched"
    b = make_mlp([4, 8, 2], seed=7)
    c = make_mlp([4, 8, 2], seed=8)
    assert torch.equal(flatten_parameters(a), flatten_parameters(b))
    assert not torch.equal(flatten_parameters(a), flatten_parameters(c))


@pytest.mark.parametrize("widths", [[10], [], [4, 0, 2], [4, 2.5, 2]])
def test_make_mlp_rejects_bad_widths_and_says_why(widths):
    with pytest.raises(ValueError, match="width"):
        make_mlp(widths)


def test_training_stops_once_train_accuracy_reaches_target():
    X, y = blobs()
    result = train(
        make_mlp([2, 16, 3], seed=0),
        X,
        y,
        max_epochs=200,
        lr=1e-2,
        batch_size=16,
        metrics={"train_acc": accuracy_metric(X, y)},
        stop_when=metric_reaches("train_acc", 1.0),
        progress=False,
    )
    history = result.history
    assert history.stop_reason == "condition"
    assert history["train_acc"][-1] == 1.0
    assert (history["train_acc"][:-1] < 1.0).all(), "must stop at the first epoch that fits"
    assert history.last_epoch < 200
    assert history.first_epoch_where("train_acc", 1.0) == history.last_epoch


def test_training_runs_max_epochs_when_the_condition_never_holds():
    X, y = blobs()
    result = train(
        make_mlp([2, 4, 3], seed=0),
        X,
        y,
        max_epochs=5,
        lr=1e-4,
        metrics={"train_acc": accuracy_metric(X, y)},
        stop_when=metric_reaches("train_acc", 2.0),
        progress=False,
    )
    assert result.history.stop_reason == "max_epochs"
    assert result.history.epochs == [0, 1, 2, 3, 4, 5]
    assert len(result.history["train_acc"]) == 6


def test_history_measures_epoch_zero_before_any_update():
    X, y = blobs()
    net = make_mlp([2, 8, 3], seed=1)
    before = accuracy_metric(X, y)(net)
    result = train(net, X, y, max_epochs=3, metrics={"acc": accuracy_metric(X, y)}, progress=False)
    assert result.history.epochs[0] == 0
    assert result.history["acc"][0] == before


def test_training_keeps_the_initial_parameters():
    X, y = blobs()
    net = make_mlp([2, 8, 3], seed=2)
    initial = flatten_parameters(make_mlp([2, 8, 3], seed=2))
    result = train(net, X, y, max_epochs=3, progress=False)
    assert torch.equal(flatten_parameters(result.initial_parameters), initial)
    assert not torch.equal(flatten_parameters(result.model), initial), "training must move it"
    assert result.model is net


def test_training_is_deterministic_for_equal_seeds_and_shuffles_differently_otherwise():
    X, y = blobs()

    def run(seed: int) -> torch.Tensor:
        net = make_mlp([2, 8, 3], seed=0)
        train(net, X, y, max_epochs=3, batch_size=8, seed=seed, progress=False)
        return flatten_parameters(net)

    assert torch.equal(run(0), run(0))
    assert not torch.equal(run(0), run(1))


def test_metrics_are_measured_in_eval_mode_without_gradients():
    X, y = blobs()
    seen = []

    def probe(model: nn.Module) -> float:
        seen.append((model.training, torch.is_grad_enabled()))
        return 0.0

    net = make_mlp([2, 8, 3], seed=0)
    train(net, X, y, max_epochs=2, metrics={"probe": probe}, progress=False)
    assert seen == [(False, False)] * 3
    assert net.training, "the model must be back in training mode after measuring"


def test_training_accepts_a_custom_optimizer_and_loss_for_regression():
    g = torch.Generator().manual_seed(0)
    X = torch.randn(64, 3, generator=g)
    y = X @ torch.tensor([[1.0], [-2.0], [0.5]])
    net = nn.Linear(3, 1)

    def mse(model: nn.Module) -> float:
        return float(nn.functional.mse_loss(model(X), y))

    result = train(
        net,
        X,
        y,
        max_epochs=50,
        loss_fn=nn.functional.mse_loss,
        optimizer=lambda params: torch.optim.SGD(params, lr=0.1),
        metrics={"mse": mse},
        progress=False,
    )
    assert result.history["mse"][-1] < 0.01 * result.history["mse"][0]


def test_full_batch_training_is_the_default():
    X, y = blobs(n=30)
    steps = []

    class Counting(torch.optim.SGD):
        def step(self, closure=None):  # type: ignore[override]
            steps.append(1)
            return super().step(closure)

    train(
        make_mlp([2, 4, 3]),
        X,
        y,
        max_epochs=4,
        optimizer=lambda p: Counting(p, lr=0.1),
        progress=False,
    )
    assert len(steps) == 4, "one step per epoch when batch_size is None"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_epochs": 0}, "max_epochs must be an int >= 1"),
        ({"max_epochs": 2, "lr": 0.0}, "lr must be > 0"),
        ({"max_epochs": 2, "batch_size": 0}, "batch_size must be a positive int"),
        ({"max_epochs": 2, "stop_when": metric_reaches("acc", 1.0)}, "stop_when needs metrics"),
    ],
)
def test_training_rejects_bad_settings_and_names_them(kwargs, message):
    X, y = blobs(n=12)
    with pytest.raises(ValueError, match=message):
        train(make_mlp([2, 4, 3]), X, y, progress=False, **kwargs)


def test_training_rejects_inputs_and_targets_of_different_lengths():
    X, y = blobs(n=12)
    with pytest.raises(ValueError, match="same number of rows"):
        train(make_mlp([2, 4, 3]), X, y[:-1], max_epochs=1, progress=False)


def test_history_lookup_of_an_unknown_metric_lists_the_recorded_ones():
    history = History()
    history.record(0, {"train_acc": 0.1})
    with pytest.raises(KeyError, match="recorded: \\['train_acc'\\]"):
        history["test_acc"]
    assert history.first_epoch_where("train_acc", 0.5) is None


def test_measure_at_records_only_the_requested_epochs_plus_the_first_and_last():
    X, y = blobs(n=30)
    result = train(
        make_mlp([2, 4, 3], seed=0),
        X,
        y,
        max_epochs=20,
        metrics={"acc": accuracy_metric(X, y)},
        measure_at=[1, 5, 5, 12, 50],
        progress=False,
    )
    assert result.history.epochs == [0, 1, 5, 12, 20], "epochs past max_epochs are ignored"
    assert len(result.history["acc"]) == 5
    assert result.history.last_epoch == 20


def test_measure_at_never_changes_the_training_itself():
    X, y = blobs(n=30)

    def trained(measure_at) -> torch.Tensor:
        net = make_mlp([2, 8, 3], seed=0)
        metrics = {"acc": accuracy_metric(X, y)}
        train(
            net,
            X,
            y,
            max_epochs=6,
            batch_size=8,
            metrics=metrics,
            measure_at=measure_at,
            progress=False,
        )
        return flatten_parameters(net)

    assert torch.equal(trained(None), trained([3])), "measuring must not touch the model"


def test_stop_when_is_checked_only_at_measured_epochs():
    X, y = blobs()
    result = train(
        make_mlp([2, 16, 3], seed=0),
        X,
        y,
        max_epochs=200,
        lr=1e-2,
        batch_size=16,
        metrics={"train_acc": accuracy_metric(X, y)},
        stop_when=metric_reaches("train_acc", 1.0),
        measure_at=range(0, 200, 25),
        progress=False,
    )
    assert result.history.stop_reason == "condition"
    assert result.history.last_epoch % 25 == 0, "can only stop at a measured epoch"


@pytest.mark.parametrize("bad", [[-1], [2.5], [True]])
def test_measure_at_rejects_epochs_that_are_not_non_negative_ints(bad):
    X, y = blobs(n=12)
    with pytest.raises(ValueError, match="measure_at"):
        train(make_mlp([2, 4, 3]), X, y, max_epochs=3, measure_at=bad, progress=False)
