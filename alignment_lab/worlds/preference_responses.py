"""Responses as vectors, a hidden gold reward, and noisy pairwise preferences: the world of the
reward-models chapter.

A *response* is a point ``x`` in ``R^8``; the base policy draws responses from ``N(0, I)``. The
hidden *gold* reward likes a moderate value of ``x[0]``, a wiggle in ``x[1]``, and dislikes
extreme values of the six other coordinates (a quartic penalty that the base policy rarely
reaches, so few comparisons ever show it):

    gold(x) = x0 - 0.15 x0^2 + 0.5 sin(2 x1) - 0.03 * sum_{j >= 2} xj^4.

A labeller prefers ``a`` over ``b`` with the Bradley–Terry probability
``sigmoid((gold(a) - gold(b)) / temperature)``. The proxy reward model is linear in the features
``(x, x^2)``: a small model that can express the curvature in ``x0`` but only a quadratic stand-in
for the quartic penalty. Policies that optimize the proxy are represented by weights over one
large sample of the base policy (best-of-n and the KL-regularized policy both reweight it).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import Tensor, nn

from alignment_lab.arguments import positive_int
from alignment_lab.training import train

__all__ = [
    "DIMENSION",
    "gold_reward",
    "sample_responses",
    "prefer",
    "RewardModel",
    "fit_reward_model",
    "kl_regularized_policy",
    "fit_overoptimization",
]

DIMENSION = 8  # coordinates of one response


def _responses(name: str, x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[1] != DIMENSION:
        raise ValueError(
            f"{name} must be an [m, {DIMENSION}] array of responses, got shape {x.shape}."
        )
    return x


def gold_reward(x: np.ndarray) -> np.ndarray:
    """The hidden gold reward of each response.

    Args:
        x: ``[m, 8]`` responses.

    Returns:
        ``[m]`` float rewards (unitless; 0 at the origin, at most about 2.1).

    Raises:
        ValueError: if ``x`` is not ``[m, 8]``.
    """
    x = _responses("x", x)
    first = x[:, 0]
    return (
        first - 0.15 * first**2 + 0.5 * np.sin(2.0 * x[:, 1]) - 0.03 * (x[:, 2:] ** 4).sum(axis=1)
    )


def sample_responses(count: int, *, seed: int) -> np.ndarray:
    """``count`` responses of the base policy, ``N(0, I_8)``, from one seeded generator.

    Returns:
        ``[count, 8]`` float array.

    Raises:
        ValueError: if ``count`` is not a positive int.
    """
    count = positive_int("count", count)
    return np.random.default_rng(seed).standard_normal((count, DIMENSION))


def prefer(a: np.ndarray, b: np.ndarray, *, temperature: float = 1.0, seed: int) -> np.ndarray:
    """Noisy Bradley–Terry labels: 1.0 where the labeller prefers ``a[i]`` over ``b[i]``.

    ``P(a preferred) = sigmoid((gold(a) - gold(b)) / temperature)``; each label is one draw.

    Args:
        a, b: ``[m, 8]`` responses, compared row by row.
        temperature: > 0; larger means noisier labels.
        seed: the draws depend only on it.

    Returns:
        ``[m]`` float array of 0.0 and 1.0.

    Raises:
        ValueError: for mismatched shapes or a temperature that is not positive.
    """
    a, b = _responses("a", a), _responses("b", b)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}.")
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature!r}; 1.0 is the default.")
    margin = (gold_reward(a) - gold_reward(b)) / temperature
    chance = 1.0 / (1.0 + np.exp(-margin))
    return (np.random.default_rng(seed).random(len(a)) < chance).astype(float)


class RewardModel(nn.Module):
    """A proxy reward linear in the features ``(x, x^2)`` of a response.

    Called on ``Tensor[..., 8]`` responses it returns ``Tensor[...]`` rewards, so a batch of
    pairs ``[m, 2, 8]`` gives ``[m, 2]``: the rewards of both sides of each comparison.
    """

    def __init__(self, *, seed: int = 0) -> None:
        super().__init__()
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            self.linear = nn.Linear(2 * DIMENSION, 1)

    def forward(self, x: Tensor) -> Tensor:
        return self.linear(torch.cat([x, x**2], dim=-1)).squeeze(-1)

    def score(self, x: np.ndarray) -> np.ndarray:
        """Rewards of ``[m, 8]`` responses as a ``[m]`` float array (no gradients)."""
        with torch.no_grad():
            return self(torch.as_tensor(_responses("x", x), dtype=torch.float32)).double().numpy()


def fit_reward_model(
    a: np.ndarray,
    b: np.ndarray,
    prefers_a: np.ndarray,
    loss: Callable[[Tensor, Tensor, Tensor], Tensor],
    *,
    epochs: int = 200,
    lr: float = 0.05,
    seed: int = 0,
) -> RewardModel:
    """Train a :class:`RewardModel` on comparisons by full-batch Adam on ``loss``.

    Args:
        a, b: ``[m, 8]`` responses compared row by row.
        prefers_a: ``[m]`` labels, 1.0 where ``a[i]`` was preferred.
        loss: ``loss(reward_a, reward_b, prefers_a) -> scalar``, e.g. a Bradley–Terry loss;
            the rewards are ``Tensor[m]``.
        epochs: full-batch steps, >= 1.
        lr: Adam's learning rate.
        seed: the initial weights depend only on it.

    Returns:
        The trained model.

    Raises:
        ValueError: for mismatched shapes (and the errors of :func:`~alignment_lab.training.train`).
    """
    a, b = _responses("a", a), _responses("b", b)
    labels = np.asarray(prefers_a, dtype=float)
    if a.shape != b.shape or labels.shape != (len(a),):
        raise ValueError(
            f"a, b and prefers_a must describe the same comparisons, got shapes {a.shape}, "
            f"{b.shape} and {labels.shape}."
        )
    model = RewardModel(seed=seed)
    pairs = torch.as_tensor(np.stack([a, b], axis=1), dtype=torch.float32)
    train(
        model,
        pairs,
        torch.as_tensor(labels, dtype=torch.float32),
        max_epochs=positive_int("epochs", epochs),
        lr=lr,
        loss_fn=lambda rewards, y: loss(rewards[:, 0], rewards[:, 1], y),
        seed=seed,
        progress=False,
    )
    return model.eval()


def kl_regularized_policy(
    proxy: np.ndarray, gold: np.ndarray, beta: float
) -> tuple[float, float, float]:
    """The policy ``pi(x) ∝ base(x) exp(proxy(x) / beta)``, on a sample of the base policy.

    The optimum of ``E_pi[proxy] - beta KL(pi || base)``. The base policy is the uniform
    distribution over the ``m`` sampled responses, so ``pi`` is a set of weights on them and the
    KL can be at most ``log m``.

    Args:
        proxy: ``[m]`` proxy rewards of the sample.
        gold: ``[m]`` gold rewards of the same responses.
        beta: > 0, the strength of the KL penalty (small means strong optimization).

    Returns:
        ``(kl, gold_value, proxy_value)``: ``KL(pi || base)`` in nats and the expected gold and
        proxy rewards under ``pi``.

    Raises:
        ValueError: for mismatched shapes or a ``beta`` that is not positive.
    """
    proxy, gold = np.asarray(proxy, dtype=float), np.asarray(gold, dtype=float)
    if proxy.ndim != 1 or proxy.shape != gold.shape or len(proxy) == 0:
        raise ValueError(
            f"proxy and gold must be equal-length 1-D arrays, got {proxy.shape}, {gold.shape}."
        )
    if not beta > 0:
        raise ValueError(f"beta must be > 0, got {beta!r}.")
    logits = proxy / beta
    log_weights = logits - logits.max()
    log_weights -= np.log(np.exp(log_weights).sum())
    weights = np.exp(log_weights)
    kl = float(np.sum(weights * (log_weights + np.log(len(proxy)))))
    return max(kl, 0.0), float(weights @ gold), float(weights @ proxy)


def fit_overoptimization(distance: np.ndarray, gain: np.ndarray) -> tuple[float, float]:
    """Least-squares fit of Gao et al.'s best-of-n form ``gain(d) = d (alpha - beta d)``.

    Args:
        distance: ``[k]`` values of ``d = sqrt(KL)`` (nats^0.5), at least two distinct > 0.
        gain: ``[k]`` gold reward minus the base policy's gold reward.

    Returns:
        ``(alpha, beta)``; the fitted curve peaks at ``d = alpha / (2 beta)`` when ``beta > 0``.

    Raises:
        ValueError: for mismatched shapes or fewer than two distinct positive distances.
    """
    distance, gain = np.asarray(distance, dtype=float), np.asarray(gain, dtype=float)
    if distance.ndim != 1 or distance.shape != gain.shape:
        raise ValueError(
            f"distance and gain must be equal-length 1-D arrays, got {distance.shape}, "
            f"{gain.shape}."
        )
    if len(np.unique(distance[distance > 0])) < 2:
        raise ValueError("the fit needs at least two distinct distances above 0.")
    design = np.stack([distance, -(distance**2)], axis=1)
    alpha, beta = np.linalg.lstsq(design, gain, rcond=None)[0]
    return float(alpha), float(beta)
