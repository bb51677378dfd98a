"""Variants of the "Double descent" exercises (see tests/exercise_variants.py)."""

from exercise_variants import correct, wrong

# --- min_norm_readout --------------------------------------------------------------------------


@correct("min_norm_readout", "the pseudo-inverse of the centered features")
def min_norm_readout(features, targets):
    mean_x, mean_y = features.mean(axis=0), targets.mean(axis=0)
    weights = np.linalg.pinv(features - mean_x) @ (targets - mean_y)
    return weights, mean_y - mean_x @ weights


@correct(
    "min_norm_readout",
    "an explicit SVD that drops singular values below a relative cutoff",
)
def min_norm_readout(features, targets):
    x0 = features.mean(axis=0)
    y0 = targets.mean(axis=0)
    U, s, Vt = np.linalg.svd(features - x0, full_matrices=False)
    keep = s > s.max() * max(features.shape) * np.finfo(float).eps
    coefficients = (U[:, keep].T @ (targets - y0)) / s[keep, None]
    weights = Vt[keep].T @ coefficients
    return weights, y0 - x0 @ weights


@correct(
    "min_norm_readout",
    "the dual form for p >= n (weights = F^T alpha, alpha from the n x n Gram matrix by lstsq), "
    "the primal least squares below",
)
def min_norm_readout(features, targets):
    F = features - features.mean(axis=0)
    Y = targets - targets.mean(axis=0)
    n, p = F.shape
    if p >= n:
        alpha = np.linalg.lstsq(F @ F.T, Y, rcond=None)[0]
        weights = F.T @ alpha
    else:
        weights = np.linalg.lstsq(F, Y, rcond=None)[0]
    bias = targets.mean(axis=0) - features.mean(axis=0) @ weights
    return weights, bias


@wrong(
    "min_norm_readout",
    "solves the unregularized normal equations, which are singular when p > n",
    message=r"singular|normal equations",
)
def min_norm_readout(features, targets):
    mean_x, mean_y = features.mean(axis=0), targets.mean(axis=0)
    F, Y = features - mean_x, targets - mean_y
    weights = np.linalg.solve(F.T @ F, F.T @ Y)
    return weights, mean_y - mean_x @ weights


@wrong(
    "min_norm_readout",
    "forgets the bias: a minimum-norm fit through the origin",
    message=r"needs a free bias",
)
def min_norm_readout(features, targets):
    weights = np.linalg.pinv(features) @ targets
    return weights, np.zeros(targets.shape[1])


@wrong(
    "min_norm_readout",
    "appends a column of ones, so the bias is counted in the norm",
    message=r"bias was counted in the norm",
)
def min_norm_readout(features, targets):
    ones = np.ones((features.shape[0], 1))
    solution = np.linalg.pinv(np.hstack([ones, features])) @ targets
    return solution[1:], solution[0]


@wrong(
    "min_norm_readout",
    "returns the weights transposed, [K, p]",
    message=r"must be \[p, K\]",
)
def min_norm_readout(features, targets):
    mean_x, mean_y = features.mean(axis=0), targets.mean(axis=0)
    weights = np.linalg.pinv(features - mean_x) @ (targets - mean_y)
    return weights.T, mean_y - mean_x @ weights


# --- ridge_readout -----------------------------------------------------------------------------


@correct("ridge_readout", "always the primal p x p system, with an explicit inverse")
def ridge_readout(features, targets, penalty):
    if penalty <= 0:
        raise ValueError("penalty must be positive")
    mean_x, mean_y = features.mean(axis=0), targets.mean(axis=0)
    F = features - mean_x
    inverse = np.linalg.inv(F.T @ F + penalty * np.eye(F.shape[1]))
    weights = inverse @ F.T @ (targets - mean_y)
    return weights, mean_y - mean_x @ weights


@correct("ridge_readout", "shrinks the singular values: V diag(s / (s^2 + penalty)) U^T Y")
def ridge_readout(features, targets, penalty):
    if not penalty > 0:
        raise ValueError(f"bad penalty {penalty}")
    x0, y0 = features.mean(axis=0), targets.mean(axis=0)
    U, s, Vt = np.linalg.svd(features - x0, full_matrices=False)
    weights = Vt.T @ ((s / (s**2 + penalty))[:, None] * (U.T @ (targets - y0)))
    return weights, y0 - x0 @ weights


@correct(
    "ridge_readout",
    "a column of ones with a penalty matrix that is zero on the bias entry",
)
def ridge_readout(features, targets, penalty):
    if penalty <= 0:
        raise ValueError("penalty must be > 0")
    A = np.hstack([np.ones((features.shape[0], 1)), features])
    D = penalty * np.eye(A.shape[1])
    D[0, 0] = 0.0
    solution = np.linalg.solve(A.T @ A + D, A.T @ targets)
    return solution[1:], solution[0]


@wrong(
    "ridge_readout",
    "penalizes the bias too: a column of ones inside the penalized system",
    message=r"bias is penalized too",
)
def ridge_readout(features, targets, penalty):
    if penalty <= 0:
        raise ValueError("penalty must be > 0")
    A = np.hstack([np.ones((features.shape[0], 1)), features])
    solution = np.linalg.solve(A.T @ A + penalty * np.eye(A.shape[1]), A.T @ targets)
    return solution[1:], solution[0]


@wrong(
    "ridge_readout",
    "forgets the bias",
    message=r"no bias at all",
)
def ridge_readout(features, targets, penalty):
    if penalty <= 0:
        raise ValueError("penalty must be > 0")
    p = features.shape[1]
    weights = np.linalg.solve(features.T @ features + penalty * np.eye(p), features.T @ targets)
    return weights, np.zeros(targets.shape[1])


@wrong(
    "ridge_readout",
    "adds the penalty to every entry of the matrix instead of its diagonal",
    message=r"on the diagonal",
)
def ridge_readout(features, targets, penalty):
    if penalty <= 0:
        raise ValueError("penalty must be > 0")
    mean_x, mean_y = features.mean(axis=0), targets.mean(axis=0)
    F = features - mean_x
    weights = np.linalg.solve(F.T @ F + penalty, F.T @ (targets - mean_y))
    return weights, mean_y - mean_x @ weights


@wrong(
    "ridge_readout",
    "weighs the penalty against the mean squared error instead of the sum",
    message=r"mean squared error",
)
def ridge_readout(features, targets, penalty):
    if penalty <= 0:
        raise ValueError("penalty must be > 0")
    mean_x, mean_y = features.mean(axis=0), targets.mean(axis=0)
    F = features - mean_x
    n, p = F.shape
    weights = np.linalg.solve(F.T @ F / n + penalty * np.eye(p), F.T @ (targets - mean_y) / n)
    return weights, mean_y - mean_x @ weights


# --- classification_error ----------------------------------------------------------------------


@correct("classification_error", "a loop over the examples with max and index")
def classification_error(scores, labels):
    wrong_count = 0
    for row, label in zip(scores.tolist(), labels.tolist(), strict=True):
        if row.index(max(row)) != label:
            wrong_count += 1
    return wrong_count / len(labels)


@correct("classification_error", "one minus the accuracy, with torch")
def classification_error(scores, labels):
    import torch

    predicted = torch.as_tensor(scores).argmax(dim=1)
    accuracy = (predicted == torch.as_tensor(labels)).double().mean()
    return 1.0 - float(accuracy)


@wrong(
    "classification_error",
    "takes the argmax over the wrong axis (down the columns)",
    message=r"axis=1",
)
def classification_error(scores, labels):
    return float(np.mean(np.argmax(scores, axis=0) != labels))


@wrong(
    "classification_error",
    "returns the accuracy instead of the error",
    message=r"that is the accuracy",
)
def classification_error(scores, labels):
    return float(np.mean(np.argmax(scores, axis=1) == labels))


@wrong(
    "classification_error",
    "counts the wrong examples instead of taking the fraction",
    message=r"number of wrong examples",
)
def classification_error(scores, labels):
    return float(np.sum(np.argmax(scores, axis=1) != labels))


@wrong(
    "classification_error",
    "calls an example right when its label's score is above 0.5",
    message=r"score above 0\.5 does not make a prediction",
)
def classification_error(scores, labels):
    label_scores = scores[np.arange(len(labels)), labels]
    return float(np.mean(label_scores <= 0.5))
