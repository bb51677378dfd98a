"""Variants of the "Scaling, batch size and emergence" exercises.

See tests/exercise_variants.py.
"""

from exercise_variants import correct, wrong

# --- nqm_second_moment -------------------------------------------------------------------------


@correct(
    "nqm_second_moment",
    "loops over dimensions, adding the geometric series of the noise to the shrunk start",
)
def nqm_second_moment(curvature, noise, init_sq, lr, batch_size, steps, power=0.0):
    t = np.asarray(steps, dtype=float)
    out = np.empty(t.shape + (len(curvature),))
    for i, (h, c, m0) in enumerate(zip(curvature, noise, init_sq, strict=True)):
        a = lr / h**power
        r = (1 - a * h) ** 2
        q = a * a * c / batch_size
        out[..., i] = r**t * m0 + q * (1 - r**t) / (1 - r)
    return out


@wrong(
    "nqm_second_moment",
    "forgets to divide the noise variance by the batch size",
    message=r"divide by the batch size",
)
def nqm_second_moment(curvature, noise, init_sq, lr, batch_size, steps, power=0.0):
    a = lr * curvature ** (-power)
    r = (1 - a * curvature) ** 2
    s = a**2 * noise / (1 - r)
    return s + r ** np.asarray(steps)[..., None] * (init_sq - s)


@wrong(
    "nqm_second_moment",
    "applies the preconditioner's learning-rate scaling twice",
    message=r"preconditioner was applied twice",
)
def nqm_second_moment(curvature, noise, init_sq, lr, batch_size, steps, power=0.0):
    a = lr * curvature ** (-2 * power)
    r = (1 - a * curvature) ** 2
    s = a**2 * noise / batch_size / (1 - r)
    return s + r ** np.asarray(steps)[..., None] * (init_sq - s)


@wrong(
    "nqm_second_moment", "does not square the shrink factor (1 - a h)", message=r"must be squared"
)
def nqm_second_moment(curvature, noise, init_sq, lr, batch_size, steps, power=0.0):
    a = lr * curvature ** (-power)
    r = 1 - a * curvature
    s = a**2 * noise / batch_size / (1 - r)
    return s + r ** np.asarray(steps)[..., None] * (init_sq - s)


@wrong(
    "nqm_second_moment",
    "adds the noise with the step size, not its square",
    message=r"squared step size",
)
def nqm_second_moment(curvature, noise, init_sq, lr, batch_size, steps, power=0.0):
    a = lr * curvature ** (-power)
    r = (1 - a * curvature) ** 2
    s = a * noise / batch_size / (1 - r)
    return s + r ** np.asarray(steps)[..., None] * (init_sq - s)


# --- answer_scores -----------------------------------------------------------------------------


@correct("answer_scores", "exact match through logs, loops over answers")
def answer_scores(token_probs):
    exact, loglik = [], []
    for row in token_probs:
        total = sum(np.log(p) if p > 0 else -np.inf for p in row)
        loglik.append(total)
        exact.append(float(np.exp(total)))
    return float(np.mean(token_probs)), float(np.mean(exact)), float(np.mean(loglik))


@wrong(
    "answer_scores",
    "exact match as the mean of per-token accuracies",
    message=r"product over the answer's tokens",
)
def answer_scores(token_probs):
    with np.errstate(divide="ignore"):
        loglik = float(np.log(token_probs).sum(axis=1).mean())
    return float(token_probs.mean()), float(token_probs.mean(axis=1).mean()), loglik


@wrong(
    "answer_scores",
    "takes the product down the answers instead of along each answer",
    message=r"axis 1",
)
def answer_scores(token_probs):
    with np.errstate(divide="ignore"):
        loglik = float(np.log(token_probs).sum(axis=1).mean())
    return float(token_probs.mean()), float(token_probs.prod(axis=0).mean()), loglik


@wrong(
    "answer_scores",
    "averages the log-probabilities over tokens instead of summing",
    message=r"Sum over the answer's tokens",
)
def answer_scores(token_probs):
    with np.errstate(divide="ignore"):
        loglik = float(np.log(token_probs).mean(axis=1).mean())
    return float(token_probs.mean()), float(token_probs.prod(axis=1).mean()), loglik


# --- relevant_weight_share ---------------------------------------------------------------------


@correct("relevant_weight_share", "loops over hidden units with a boolean mask of inputs")
def relevant_weight_share(weights, relevant):
    mask = np.zeros(weights.shape[1], dtype=bool)
    mask[relevant] = True
    best = 0.0
    for row in weights:
        total = float(row @ row)
        if total > 0:
            best = max(best, float(row[mask] @ row[mask]) / total)
    return best


@wrong(
    "relevant_weight_share",
    "measures progress on all inputs, not only the relevant ones",
    message=r"sum only the relevant columns",
)
def relevant_weight_share(weights, relevant):
    squared = weights**2
    total = squared.sum(axis=1)
    return float(np.max(np.where(total > 0, squared.sum(axis=1) / np.maximum(total, 1e-300), 0)))


@wrong(
    "relevant_weight_share",
    "one share for the whole matrix instead of per hidden unit",
    message=r"one share per hidden unit",
)
def relevant_weight_share(weights, relevant):
    squared = weights**2
    return float(squared[:, relevant].sum() / squared.sum())


@wrong(
    "relevant_weight_share",
    "uses absolute values instead of squared weights",
    message=r"not squared",
)
def relevant_weight_share(weights, relevant):
    size = np.abs(weights)
    total = size.sum(axis=1)
    share = np.divide(
        size[:, relevant].sum(axis=1), total, out=np.zeros_like(total), where=total > 0
    )
    return float(share.max())


@wrong(
    "relevant_weight_share",
    "takes the mean over hidden units instead of the largest",
    message=r"take the largest",
)
def relevant_weight_share(weights, relevant):
    squared = weights**2
    total = squared.sum(axis=1)
    share = np.divide(
        squared[:, relevant].sum(axis=1), total, out=np.zeros_like(total), where=total > 0
    )
    return float(share.mean())
