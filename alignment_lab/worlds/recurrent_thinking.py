"""Random bit strings and weight-tied recurrent networks that can think for any number of steps.

A network reads a string of bits and keeps one hidden vector per position. One *iteration*
applies the same block to every position, looking at that position and the two before it
(never ahead), so information travels at most two positions to the right per iteration: a long
string needs more iterations than a short one. The chapter writes the loop that applies the
block (``think``, passed in when the networks are built); this module holds the parts it loops
over. Training scores the answer after every iteration in a range, so that a network learns to
reach an answer and then keep it; afterwards it can be run for any number of iterations.
With a *head start*, each training batch first runs a random number of iterations without
gradients and scores the iterations that continue from there: the network learns to carry on
from any state it reaches itself, which keeps its answers right when it runs far longer than in
training (a simple form of the progressive loss of Bansal et al. 2022, arXiv:2202.05826).

One :class:`ThinkingNet` holds several independent networks, one per seed, that are trained
side by side: every layer keeps one set of weights per network, and a tensor's first dimension
says which network it belongs to. Averaging their losses trains each as if it were trained
alone (Adam's update is per weight and ignores the scale of the gradient), at about the cost of
one; only rounding differs, and long training can amplify it, so a seed's network may end
differently when trained in another group of seeds. The minibatches and the head starts are
drawn once for the whole group.

Shapes: ``M`` networks, ``n`` strings, ``L`` positions, ``w`` hidden features per position.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import Tensor, nn

from alignment_lab.arguments import positive_int

__all__ = [
    "CausalBlock",
    "EnsembleLinear",
    "ThinkFn",
    "ThinkingNet",
    "loss_over_iterations",
    "random_bits",
]

ThinkFn = Callable[["ThinkingNet", Tensor, int], Tensor]
"""``think(net, bits, iterations) -> Tensor[iterations, M, n, L, w]``: the hidden state of every
position after each iteration, for ``bits: Tensor[M, n, L]`` (the chapter's exercise)."""

WINDOW = 3  # the block sees a position and the two before it


def random_bits(n: int, length: int, generator: torch.Generator) -> Tensor:
    """``n`` uniform random strings of ``length`` bits.

    Args:
        n: number of strings, >= 1.
        length: bits per string, >= 1.
        generator: the source of randomness (advanced by the call).

    Returns:
        int64 ``Tensor[n, length]`` of 0s and 1s.

    Raises:
        ValueError: if ``n`` or ``length`` is not a positive int.
    """
    n = positive_int("n", n)
    length = positive_int("length", length)
    return torch.randint(0, 2, (n, length), generator=generator)


class EnsembleLinear(nn.Module):
    """``M`` independent linear maps, one per network: slice ``m`` of the input's first
    dimension goes through map ``m``.

    Args:
        seeds: one seed per network; map ``m``'s initial weights depend only on ``seeds[m]``
            (torch's default initialization of ``nn.Linear``, or He's for a ReLU network when
            ``relu_init``).
        in_features, out_features: sizes of the last dimension before and after.
        relu_init: He (Kaiming) normal weights and zero biases, which keep the scale of a signal
            through many ReLU layers.

    Maps ``Tensor[M, ..., in_features]`` to ``Tensor[M, ..., out_features]``.
    """

    def __init__(
        self, seeds: Sequence[int], in_features: int, out_features: int, *, relu_init: bool = False
    ) -> None:
        super().__init__()
        self.in_features = positive_int("in_features", in_features)
        self.out_features = positive_int("out_features", out_features)
        weights, biases = [], []
        for seed in seeds:
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(int(seed))
                layer = nn.Linear(self.in_features, self.out_features)
                if relu_init:
                    nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
                    nn.init.zeros_(layer.bias)
            weights.append(layer.weight.detach().T)
            biases.append(layer.bias.detach())
        self.weight = nn.Parameter(torch.stack(weights))  # [M, in, out]
        self.bias = nn.Parameter(torch.stack(biases))  # [M, out]

    def forward(self, x: Tensor) -> Tensor:
        models = self.weight.shape[0]
        if x.ndim < 2 or x.shape[0] != models or x.shape[-1] != self.in_features:
            raise ValueError(
                f"expected Tensor[{models}, ..., {self.in_features}] (one slice per network, "
                f"{self.in_features} features last), got shape {tuple(x.shape)}."
            )
        flat = x.reshape(models, -1, self.in_features)
        out = torch.baddbmm(self.bias[:, None, :], flat, self.weight)
        return out.reshape(*x.shape[:-1], self.out_features)


class CausalBlock(nn.Module):
    """The weight-tied block: a two-layer ReLU network applied at every position to the features
    of that position and the two before it (zeros stand before the first position).

    Args:
        seeds: one seed per network (see :class:`EnsembleLinear`).
        in_features: features per position it reads (``w + 1`` with recall, ``w`` without).
        width: features per position it writes, ``w``.

    Maps ``Tensor[M, n, L, in_features]`` to ``Tensor[M, n, L, width]`` (non-negative).
    """

    def __init__(self, seeds: Sequence[int], in_features: int, width: int) -> None:
        super().__init__()
        self.in_features = positive_int("in_features", in_features)
        self.mix = EnsembleLinear(
            [s + 1 for s in seeds], WINDOW * self.in_features, width, relu_init=True
        )
        self.out = EnsembleLinear([s + 2 for s in seeds], width, width, relu_init=True)

    def forward(self, z: Tensor) -> Tensor:
        if z.ndim != 4 or z.shape[-1] != self.in_features:
            raise ValueError(
                f"the block reads Tensor[M, n, L, {self.in_features}] (the features of each "
                f"position), got shape {tuple(z.shape)}; with recall that is the hidden state "
                "with the input bit appended as its last feature."
            )
        length = z.shape[2]
        padded = nn.functional.pad(z, (0, 0, WINDOW - 1, 0))  # zeros before position 0
        windows = torch.cat([padded[:, :, k : k + length] for k in range(WINDOW)], dim=-1)
        return torch.relu(self.out(torch.relu(self.mix(windows))))


class ThinkingNet(nn.Module):
    """``M`` weight-tied recurrent networks over bit strings, with or without *recall*.

    Parts (the chapter's ``think`` loops over them):

    - ``embed``: ``Tensor[M, n, L, 1]`` (the bits as floats) -> the first hidden state
      ``Tensor[M, n, L, w]``;
    - ``block``: a :class:`CausalBlock`: with recall, ``Tensor[M, n, L, w + 1]`` (the hidden
      state with the input bit appended as the last feature) -> the next hidden state
      ``Tensor[M, n, L, w]``; without recall, ``Tensor[M, n, L, w]`` -> ``Tensor[M, n, L, w]``;
    - ``head``: ``Tensor[M, ..., w]`` -> logits ``Tensor[M, ..., 2]`` (for the bit 0 or 1).

    Args:
        width: hidden features per position, ``w``.
        recall: whether every iteration re-reads the input bits.
        think: the loop, see :data:`ThinkFn`.
        train_iterations: ``(low, high)``: a forward pass runs ``high`` iterations and returns
            the logits after each of ``low, ..., high``, so that training rewards an answer
            reached by iteration ``low`` and kept until ``high``.
        seeds: one per network; network ``m``'s initial weights depend only on ``seeds[m]``.
        head_start: in training mode, each forward pass first runs a number of iterations drawn
            uniformly from ``0..head_start`` (one draw per pass, seeded by ``seeds[0]``) without
            gradients, then scores ``low..high`` iterations *continued from that state*; 0 (the
            default) always starts from ``embed``. Evaluation never uses a head start.
    """

    def __init__(
        self,
        width: int,
        *,
        recall: bool,
        think: ThinkFn,
        train_iterations: tuple[int, int],
        seeds: Sequence[int],
        head_start: int = 0,
    ) -> None:
        super().__init__()
        self.width = positive_int("width", width)
        self.seeds = [int(s) for s in seeds]
        if not self.seeds:
            raise ValueError("seeds is empty: pass one seed per network, e.g. seeds=[0, 1, 2].")
        self.recall = bool(recall)
        self.think = think
        low, high = (positive_int("train_iterations", i) for i in train_iterations)
        if low > high:
            raise ValueError(
                f"train_iterations must be (low, high) with low <= high, got {train_iterations}."
            )
        self.train_iterations = (low, high)
        if isinstance(head_start, bool) or not isinstance(head_start, int) or head_start < 0:
            raise ValueError(
                f"head_start must be an int >= 0 (the most iterations run without gradients "
                f"before the scored ones; 0 for none), got {head_start!r}."
            )
        self.head_start = head_start
        self._head_starts = torch.Generator().manual_seed(self.seeds[0])
        seeds = [1000 * s for s in self.seeds]
        self.embed = nn.Sequential(EnsembleLinear(seeds, 1, self.width), nn.ReLU())
        self.block = CausalBlock(seeds, self.width + int(self.recall), self.width)
        self.head = EnsembleLinear([s + 3 for s in seeds], self.width, 2)

    def forward(self, bits: Tensor) -> Tensor:
        """Logits for ``bits: Tensor[n, M, L]`` (string first, as a training loop indexes
        them), after each of the iterations ``low..high`` of ``train_iterations``, as
        ``Tensor[n, 2, K, M, L]`` with ``K = high - low + 1`` (class second, as cross-entropy
        takes them; see :func:`loss_over_iterations`)."""
        low, high = self.train_iterations
        bits = bits.transpose(0, 1)
        start: ThinkingNet | _ContinueFrom = self
        ahead = self._draw_head_start() if self.training else 0
        if ahead:
            with torch.no_grad():
                start = _ContinueFrom(self, self.think(self, bits, ahead)[-1])
        states = self.think(start, bits, high)[low - 1 :]  # [K, M, n, L, w]
        return self.head(states.transpose(0, 1)).permute(2, 4, 1, 0, 3)

    def _draw_head_start(self) -> int:
        """Iterations to run without gradients before the scored ones, in ``0..head_start``."""
        if self.head_start == 0:
            return 0
        return int(torch.randint(0, self.head_start + 1, (), generator=self._head_starts))

    @torch.no_grad()
    def predictions(self, bits: Tensor, iterations: int) -> Tensor:
        """The predicted bit at every position after each of ``1..iterations`` iterations, as
        int64 ``Tensor[M, iterations, n, L]``, for ``bits: Tensor[M, n, L]`` (eval mode)."""
        states = self.states(bits, iterations)
        return self.head(states.transpose(0, 1)).argmax(dim=-1)

    @torch.no_grad()
    def states(self, bits: Tensor, iterations: int) -> Tensor:
        """``think``'s hidden states ``Tensor[iterations, M, n, L, w]`` for ``bits:
        Tensor[M, n, L]``, computed in eval mode without gradients."""
        iterations = positive_int("iterations", iterations)
        if bits.ndim != 3 or bits.shape[0] != len(self.seeds):
            raise ValueError(
                f"bits must be Tensor[{len(self.seeds)}, n, L] (one slice per network), got "
                f"shape {tuple(bits.shape)}."
            )
        was_training = self.training
        self.eval()
        try:
            return self.think(self, bits, iterations)
        finally:
            self.train(was_training)


class _ContinueFrom:
    """Stands in for a :class:`ThinkingNet` in ``think`` so that thinking continues from a given
    hidden state ``Tensor[M, n, L, w]`` instead of starting over: its ``embed`` returns that
    state (detached), and its ``block`` and ``recall`` are the network's."""

    def __init__(self, net: ThinkingNet, state: Tensor) -> None:
        self.block = net.block
        self.recall = net.recall
        self._state = state.detach()

    def embed(self, x: Tensor) -> Tensor:
        if x.shape[:-1] != self._state.shape[:-1]:
            raise ValueError(
                f"continuing from a state of shape {tuple(self._state.shape)}, but the bits "
                f"have shape {tuple(x.shape[:-1])}: pass the bits the state was computed from."
            )
        return self._state


def loss_over_iterations(logits: Tensor, targets: Tensor) -> Tensor:
    """Cross-entropy of :meth:`ThinkingNet.forward`'s logits ``Tensor[n, 2, K, M, L]`` against
    the right bits ``targets: Tensor[n, M, L]`` (int64), averaged over every string, iteration,
    network and position (summing over networks would train each one alike, only faster)."""
    if logits.ndim != 5 or targets.shape != logits.shape[:1] + logits.shape[3:]:
        raise ValueError(
            f"expected logits [n, 2, K, M, L] and targets [n, M, L], got shapes "
            f"{tuple(logits.shape)} and {tuple(targets.shape)}."
        )
    repeated = targets[:, None].expand(-1, logits.shape[2], -1, -1)
    return nn.functional.cross_entropy(logits, repeated)
