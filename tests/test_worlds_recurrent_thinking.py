"""Unit tests of alignment_lab.worlds.recurrent_thinking."""

import pytest
import torch

from alignment_lab.worlds.recurrent_thinking import (
    CausalBlock,
    EnsembleLinear,
    ThinkingNet,
    loss_over_iterations,
    random_bits,
)


def think(net, bits, iterations):
    """The chapter's forward pass (its exercise), for testing the parts it loops over."""
    x = bits.float().unsqueeze(-1)
    h = net.embed(x)
    states = []
    for _ in range(iterations):
        h = net.block(torch.cat([h, x], dim=-1) if net.recall else h)
        states.append(h)
    return torch.stack(states)


def test_random_bits_are_zeros_and_ones_reproducible_from_the_generator():
    a = random_bits(50, 7, torch.Generator().manual_seed(1))
    b = random_bits(50, 7, torch.Generator().manual_seed(1))
    assert a.shape == (50, 7) and a.dtype == torch.int64
    assert set(a.unique().tolist()) == {0, 1}
    assert torch.equal(a, b)


@pytest.mark.parametrize("n, length", [(0, 5), (3, 0), (2.5, 4)])
def test_random_bits_rejects_sizes_that_are_not_positive_ints(n, length):
    with pytest.raises(ValueError, match="positive int"):
        random_bits(n, length, torch.Generator())


def test_each_ensemble_member_depends_only_on_its_own_seed():
    together = EnsembleLinear([3, 5], 4, 2)
    alone = EnsembleLinear([5], 4, 2)
    assert torch.equal(together.weight[1], alone.weight[0])
    x = torch.randn(2, 6, 4)
    assert torch.allclose(together(x)[1], alone(x[1:])[0])


def test_ensemble_linear_names_the_expected_shape_when_given_another():
    with pytest.raises(ValueError, match=r"expected Tensor\[2, \.\.\., 4\]"):
        EnsembleLinear([0, 1], 4, 3)(torch.randn(3, 5, 4))


def test_the_block_never_looks_ahead_nor_more_than_two_positions_back():
    block = CausalBlock([0], in_features=3, width=8)
    z = torch.randn(1, 1, 10, 3)
    changed = z.clone()
    changed[0, 0, 5] += 1.0
    moved = (block(changed) - block(z)).abs().sum(dim=-1)[0, 0]
    assert set(torch.nonzero(moved > 0).flatten().tolist()) <= {5, 6, 7}
    assert moved[:5].eq(0).all() and moved[8:].eq(0).all()


def test_a_forward_pass_scores_every_trained_iteration_with_class_second():
    net = ThinkingNet(6, recall=True, think=think, train_iterations=(2, 4), seeds=[0, 1])
    logits = net(random_bits(5, 7, torch.Generator().manual_seed(0))[:, None].expand(5, 2, 7))
    assert logits.shape == (5, 2, 3, 2, 7)


def test_loss_over_iterations_averages_cross_entropy_over_every_iteration():
    logits = torch.zeros(4, 2, 3, 2, 5)
    logits[:, 1] = 10.0  # confident in bit 1 everywhere
    ones = torch.ones(4, 2, 5, dtype=torch.long)
    assert loss_over_iterations(logits, ones) < 1e-3
    assert loss_over_iterations(logits, 1 - ones) > 9.0
    with pytest.raises(ValueError, match="targets"):
        loss_over_iterations(logits, ones[:, :, :4])


def test_predictions_and_states_run_any_number_of_iterations_in_eval_mode():
    net = ThinkingNet(4, recall=False, think=think, train_iterations=(1, 2), seeds=[7])
    bits = random_bits(3, 6, torch.Generator().manual_seed(2))[None]
    assert net.states(bits, 9).shape == (9, 1, 3, 6, 4)
    predicted = net.predictions(bits, 5)
    assert predicted.shape == (1, 5, 3, 6) and set(predicted.unique().tolist()) <= {0, 1}
    assert net.training  # restored after evaluation
    with pytest.raises(ValueError, match=r"Tensor\[1, n, L\]"):
        net.states(bits[0], 3)


def test_a_recall_network_learns_the_running_parity_of_short_strings():
    torch.manual_seed(0)
    net = ThinkingNet(16, recall=True, think=think, train_iterations=(3, 5), seeds=[0])
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    gen = torch.Generator().manual_seed(0)
    for _ in range(150):
        bits = random_bits(64, 4, gen)[:, None]
        loss = loss_over_iterations(net(bits), bits.cumsum(-1) % 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
    test = random_bits(200, 4, gen)[None]
    right = net.predictions(test, 5)[0, -1] == test[0].cumsum(-1) % 2
    assert right.float().mean() >= 0.95


@pytest.mark.parametrize("bad", [dict(train_iterations=(5, 2)), dict(seeds=[]), dict(width=0)])
def test_bad_settings_are_rejected_with_a_message(bad):
    settings = dict(width=4, recall=True, think=think, train_iterations=(1, 2), seeds=[0])
    with pytest.raises(ValueError, match="train_iterations|seeds|width"):
        ThinkingNet(**{**settings, **bad})


def test_a_head_start_continues_from_a_state_reached_without_gradients():
    net = ThinkingNet(5, recall=True, think=think, train_iterations=(2, 4), seeds=[3], head_start=5)
    bits = random_bits(6, 8, torch.Generator().manual_seed(4))[:, None]  # [n, M, L]
    with torch.no_grad():
        full = net.head(net.states(bits.transpose(0, 1), 9).transpose(0, 1))  # [M, T, n, L, 2]
    scored_with_gradients = []
    net.block.register_forward_hook(
        lambda *_: scored_with_gradients.append(torch.is_grad_enabled())
    )
    offsets = set()
    for _ in range(40):
        scored_with_gradients.clear()
        logits = net(bits).permute(3, 2, 0, 4, 1)  # as full: [M, K, n, L, 2]
        matches = [
            ahead
            for ahead in range(6)
            if torch.allclose(logits, full[:, ahead + 1 : ahead + 4], atol=1e-5)
        ]
        assert len(matches) == 1, "the scored iterations must continue one full run"
        offsets.add(matches[0])
        assert scored_with_gradients.count(True) == 4  # only the scored iterations
        assert len(scored_with_gradients) == 4 + matches[0]
    assert offsets == set(range(6))  # every head start from 0 to 5 is drawn


def test_evaluation_never_uses_a_head_start():
    bits = random_bits(4, 6, torch.Generator().manual_seed(5))[:, None]
    settings = dict(width=4, recall=True, think=think, train_iterations=(1, 3), seeds=[2])
    plain = ThinkingNet(**settings).eval()
    ahead = ThinkingNet(**settings, head_start=7).eval()
    # Several passes: one draw of a head start can be 0 (seed 2's first is), which would hide it.
    for _ in range(5):
        assert torch.equal(plain(bits), ahead(bits))


@pytest.mark.parametrize("head_start", [-1, 1.5, True])
def test_a_head_start_that_is_not_an_int_at_least_zero_is_rejected(head_start):
    with pytest.raises(ValueError, match="head_start must be an int >= 0"):
        ThinkingNet(
            4, recall=True, think=think, train_iterations=(1, 2), seeds=[0], head_start=head_start
        )
