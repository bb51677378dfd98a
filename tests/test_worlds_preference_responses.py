"""Specification of alignment_lab.worlds.preference_responses: a gold reward over vector
responses, Bradley-Terry labels, a proxy linear in (x, x^2), the KL-regularized policy on a
sample, and the fit d (alpha - beta d)."""

import numpy as np
import pytest
import torch.nn.functional as F

from alignment_lab.worlds.preference_responses import (
    DIMENSION,
    fit_overoptimization,
    fit_reward_model,
    gold_reward,
    kl_regularized_policy,
    prefer,
    sample_responses,
)


def bt_loss(a, b, y):
    return -(y * F.logsigmoid(a - b) + (1 - y) * F.logsigmoid(b - a)).mean()


def test_gold_reward_matches_its_formula_and_rejects_bad_shapes():
    x = np.zeros((2, DIMENSION))
    x[1, 0], x[1, 2] = 2.0, 1.0
    assert np.allclose(gold_reward(x), [0.0, 2 - 0.6 - 0.03])
    with pytest.raises(ValueError, match="responses"):
        gold_reward(np.zeros((3, 2)))


def test_labels_follow_the_gold_reward_and_are_seeded():
    a, b = sample_responses(4000, seed=1), sample_responses(4000, seed=2)
    y = prefer(a, b, seed=3)
    assert np.array_equal(y, prefer(a, b, seed=3))
    better = gold_reward(a) > gold_reward(b)
    assert 0.7 < np.mean(y == better) < 0.95, "noisy but informative labels"
    with pytest.raises(ValueError, match="temperature"):
        prefer(a, b, temperature=0, seed=0)


def test_a_fitted_proxy_agrees_with_the_gold_ordering():
    a, b = sample_responses(400, seed=4), sample_responses(400, seed=5)
    model = fit_reward_model(a, b, prefer(a, b, seed=6), bt_loss, seed=0)
    ta, tb = sample_responses(2000, seed=7), sample_responses(2000, seed=8)
    agree = np.mean((model.score(ta) > model.score(tb)) == (gold_reward(ta) > gold_reward(tb)))
    assert agree > 0.75
    with pytest.raises(ValueError, match="same comparisons"):
        fit_reward_model(a, b, np.ones(3), bt_loss)


def test_kl_regularized_policy_is_the_base_for_weak_penalty_and_the_max_for_strong():
    proxy, gold = np.array([0.0, 1.0, 2.0]), np.array([5.0, 6.0, 7.0])
    kl, value, proxy_value = kl_regularized_policy(proxy, gold, 1e6)
    assert kl < 1e-9 and np.isclose(value, 6.0) and np.isclose(proxy_value, 1.0)
    kl, value, _ = kl_regularized_policy(proxy, gold, 1e-4)
    assert np.isclose(kl, np.log(3)) and np.isclose(value, 7.0)
    with pytest.raises(ValueError, match="beta"):
        kl_regularized_policy(proxy, gold, 0.0)


def test_overoptimization_fit_recovers_alpha_and_beta():
    d = np.linspace(0, 3, 10)
    alpha, beta = fit_overoptimization(d, d * (1.5 - 0.4 * d))
    assert np.isclose(alpha, 1.5) and np.isclose(beta, 0.4)
    with pytest.raises(ValueError, match="distinct"):
        fit_overoptimization(np.zeros(3), np.zeros(3))
