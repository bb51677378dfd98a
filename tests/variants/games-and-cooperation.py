"""Variants of the exercises of chapter "Games and cooperation" (tests/exercise_variants.py)."""

from exercise_variants import correct, wrong

# ---------------------------------------------------------------------------------------------
# Exercise 1: decompose_game
# ---------------------------------------------------------------------------------------------


@correct(
    "decompose_game",
    "fits the ratings by least squares on every ordered pair (the Hodge projection) with lstsq",
)
def decompose_game(payoff, tolerance=1e-9):
    payoff = np.asarray(payoff, dtype=float)
    if payoff.ndim != 2 or payoff.shape[0] != payoff.shape[1]:
        raise ValueError("not square")
    if np.abs(payoff + payoff.T).max(initial=0) > tolerance:
        raise ValueError("not antisymmetric")
    n = len(payoff)
    pairs = [(i, j) for i in range(n) for j in range(n)]
    design = np.zeros((len(pairs), n))
    for row, (i, j) in enumerate(pairs):
        design[row, i] += 1
        design[row, j] -= 1
    target = np.array([payoff[i, j] for i, j in pairs])
    rating = np.linalg.lstsq(design, target, rcond=None)[0]
    transitive = np.subtract.outer(rating, rating)
    return transitive, payoff - transitive


@correct(
    "decompose_game",
    "plain loops over strategies, with the ratings as sums divided by n",
)
def decompose_game(payoff, tolerance=1e-9):
    rows = [list(map(float, row)) for row in np.atleast_2d(payoff)]
    n = len(rows)
    if np.ndim(payoff) != 2 or any(len(row) != n for row in rows):
        raise ValueError("payoff must be square")
    for i in range(n):
        for j in range(n):
            if abs(rows[i][j] + rows[j][i]) > tolerance:
                raise ValueError("payoff must be antisymmetric")
    rating = [sum(row) / n for row in rows]
    transitive = np.array([[rating[i] - rating[j] for j in range(n)] for i in range(n)])
    return transitive, np.array(rows) - transitive


@wrong(
    "decompose_game",
    "takes the ratings as column means (axis 0) instead of row means",
    message=r"mean of row i .* not of column i",
)
def decompose_game(payoff, tolerance=1e-9):
    payoff = np.asarray(payoff, dtype=float)
    if payoff.ndim != 2 or payoff.shape[0] != payoff.shape[1]:
        raise ValueError("not square")
    if not np.allclose(payoff, -payoff.T, atol=tolerance):
        raise ValueError("not antisymmetric")
    rating = payoff.mean(axis=0)
    transitive = rating[:, None] - rating[None, :]
    return transitive, payoff - transitive


@wrong(
    "decompose_game",
    "builds a symmetric transitive part r_i + r_j where the antisymmetric r_i - r_j is meant",
    message=r"must be antisymmetric, r_i - r_j, not r_i \+ r_j",
)
def decompose_game(payoff, tolerance=1e-9):
    payoff = np.asarray(payoff, dtype=float)
    if payoff.ndim != 2 or payoff.shape[0] != payoff.shape[1]:
        raise ValueError("not square")
    if not np.allclose(payoff, -payoff.T, atol=tolerance):
        raise ValueError("not antisymmetric")
    rating = payoff.mean(axis=1)
    transitive = rating[:, None] + rating[None, :]
    return transitive, payoff - transitive


@wrong(
    "decompose_game",
    "averages the symmetric part (payoff + payoff.T) / 2 instead of the payoff itself",
    message=r"not its symmetric part",
)
def decompose_game(payoff, tolerance=1e-9):
    payoff = np.asarray(payoff, dtype=float)
    if payoff.ndim != 2 or payoff.shape[0] != payoff.shape[1]:
        raise ValueError("not square")
    if not np.allclose(payoff, -payoff.T, atol=tolerance):
        raise ValueError("not antisymmetric")
    rating = ((payoff + payoff.T) / 2).mean(axis=1)
    transitive = rating[:, None] - rating[None, :]
    return transitive, payoff - transitive


@wrong(
    "decompose_game",
    "sums each row instead of averaging it",
    message=r"a rating is a mean over opponents, not a sum",
)
def decompose_game(payoff, tolerance=1e-9):
    payoff = np.asarray(payoff, dtype=float)
    if payoff.ndim != 2 or payoff.shape[0] != payoff.shape[1]:
        raise ValueError("not square")
    if not np.allclose(payoff, -payoff.T, atol=tolerance):
        raise ValueError("not antisymmetric")
    rating = payoff.sum(axis=1)
    transitive = rating[:, None] - rating[None, :]
    return transitive, payoff - transitive


@wrong(
    "decompose_game",
    "never checks that the payoff is an antisymmetric square matrix",
    message=r"raise ValueError",
)
def decompose_game(payoff, tolerance=1e-9):
    payoff = np.atleast_2d(np.asarray(payoff, dtype=float))
    rating = payoff.mean(axis=1)
    transitive = rating[:, None] - rating[None, :]
    return transitive, payoff - transitive[: payoff.shape[0], : payoff.shape[1]]


# ---------------------------------------------------------------------------------------------
# Exercise 2: exploitability
# ---------------------------------------------------------------------------------------------


@correct(
    "exploitability",
    "a loop over the pure replies, each one's expected payoff summed by hand",
)
def exploitability(payoff, mixture):
    n = len(payoff)
    if len(mixture) != n or min(mixture) < -1e-9 or abs(sum(mixture) - 1) > 1e-6:
        raise ValueError("mixture must be a probability vector over the strategies")
    best = -np.inf
    for reply in range(n):
        earned = sum(payoff[reply][j] * mixture[j] for j in range(n))
        best = max(best, earned)
    return float(best)


@correct(
    "exploitability",
    "uses antisymmetry: the best reply earns minus the mixture's worst result, -min(p @ A)",
)
def exploitability(payoff, mixture):
    mixture = np.asarray(mixture, dtype=float)
    if mixture.ndim != 1 or len(mixture) != len(payoff):
        raise ValueError("wrong length")
    if np.any(mixture < -1e-9) or not np.isclose(mixture.sum(), 1, rtol=0, atol=1e-6):
        raise ValueError("not a probability vector")
    return float(-np.min(mixture @ np.asarray(payoff, dtype=float)))


@wrong(
    "exploitability",
    "the value of the mixture against itself, p @ A @ p",
    message=r"payoff against itself is 0 in every symmetric zero-sum game",
)
def exploitability(payoff, mixture):
    mixture = np.asarray(mixture, dtype=float)
    if len(mixture) != len(payoff) or mixture.min() < -1e-9 or abs(mixture.sum() - 1) > 1e-6:
        raise ValueError("mixture must be a probability vector")
    return float(mixture @ np.asarray(payoff, dtype=float) @ mixture)


@wrong(
    "exploitability",
    "averages over the replies instead of taking the best one",
    message=r"not the average reply",
)
def exploitability(payoff, mixture):
    mixture = np.asarray(mixture, dtype=float)
    if len(mixture) != len(payoff) or mixture.min() < -1e-9 or abs(mixture.sum() - 1) > 1e-6:
        raise ValueError("mixture must be a probability vector")
    return float(np.mean(np.asarray(payoff, dtype=float) @ mixture))


@wrong(
    "exploitability",
    "lets the reply be a column: payoff.T @ mixture",
    message=r"use payoff @ mixture, not payoff.T @ mixture",
)
def exploitability(payoff, mixture):
    mixture = np.asarray(mixture, dtype=float)
    if len(mixture) != len(payoff) or mixture.min() < -1e-9 or abs(mixture.sum() - 1) > 1e-6:
        raise ValueError("mixture must be a probability vector")
    return float(np.max(np.asarray(payoff, dtype=float).T @ mixture))


@wrong(
    "exploitability",
    "takes the worst reply (a minimum) instead of the best",
    message=r"not the worst one",
)
def exploitability(payoff, mixture):
    mixture = np.asarray(mixture, dtype=float)
    if len(mixture) != len(payoff) or mixture.min() < -1e-9 or abs(mixture.sum() - 1) > 1e-6:
        raise ValueError("mixture must be a probability vector")
    return float(np.min(np.asarray(payoff, dtype=float) @ mixture))


@wrong(
    "exploitability",
    "accepts any vector as a mixture without checking it",
    message=r"raise ValueError",
)
def exploitability(payoff, mixture):
    return float(np.max(np.asarray(payoff, dtype=float) @ np.resize(mixture, len(payoff))))


# ---------------------------------------------------------------------------------------------
# Exercise 3: nash_equilibrium
# ---------------------------------------------------------------------------------------------


@correct(
    "nash_equilibrium",
    "the textbook LP: shift the game positive, minimise sum(x) subject to payoff.T @ x >= 1",
)
def nash_equilibrium(payoff):
    payoff = np.asarray(payoff, dtype=float)
    m, n = payoff.shape
    shift = 1 - payoff.min()  # every entry at least 1, so the value is positive
    result = linprog(np.ones(m), A_ub=-(payoff + shift).T, b_ub=-np.ones(n), bounds=[(0, None)] * m)
    if result.status != 0:
        raise RuntimeError(result.message)
    total = result.x.sum()
    return result.x / total, float(1 / total - shift)


@correct(
    "nash_equilibrium",
    "solves the column player's LP and reads the row player's mixture from its dual prices",
)
def nash_equilibrium(payoff):
    payoff = np.asarray(payoff, dtype=float)
    m, n = payoff.shape
    # column player: minimise u subject to payoff @ q <= u, sum(q) = 1, q >= 0
    cost = np.append(np.zeros(n), 1.0)
    a_ub = np.hstack([payoff, -np.ones((m, 1))])
    a_eq = np.append(np.ones(n), 0.0)[None, :]
    result = linprog(
        cost,
        A_ub=a_ub,
        b_ub=np.zeros(m),
        A_eq=a_eq,
        b_eq=[1.0],
        bounds=[(0, None)] * n + [(None, None)],
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(result.message)
    mixture = np.clip(-result.ineqlin.marginals, 0, None)
    return mixture / mixture.sum(), float(result.fun)


@wrong(
    "nash_equilibrium",
    "plays the best pure row (pure maximin) instead of mixing",
    message=r"a mixed strategy can guarantee more than any single row",
)
def nash_equilibrium(payoff):
    payoff = np.asarray(payoff, dtype=float)
    best = int(np.argmax(payoff.min(axis=1)))
    return np.eye(len(payoff))[best], float(payoff[best].min())


@wrong(
    "nash_equilibrium",
    "puts the constraints on payoff @ mixture (the column player's side) instead of on "
    "mixture @ payoff",
    message=r"the constraints are on mixture @ payoff \(one per column\)",
)
def nash_equilibrium(payoff):
    payoff = np.asarray(payoff, dtype=float)
    m = len(payoff)
    cost = np.append(np.zeros(m), -1.0)
    a_ub = np.hstack([-payoff, np.ones((len(payoff), 1))])
    a_eq = np.append(np.ones(m), 0.0)[None, :]
    result = linprog(
        cost,
        A_ub=a_ub,
        b_ub=np.zeros(len(payoff)),
        A_eq=a_eq,
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)],
    )
    mixture = np.clip(result.x[:m], 0, None)
    return mixture / mixture.sum(), float(result.x[m])


@wrong(
    "nash_equilibrium",
    "guards against an average opponent: maximises the mean over columns, not the worst case",
    message=r"not\s+against an average opponent",
)
def nash_equilibrium(payoff):
    payoff = np.asarray(payoff, dtype=float)
    average = payoff.mean(axis=1)
    result = linprog(
        -average, A_eq=np.ones((1, len(payoff))), b_eq=[1.0], bounds=[(0, None)] * len(payoff)
    )
    mixture = result.x
    return mixture, float(mixture @ average)


@wrong(
    "nash_equilibrium",
    "solves the LP right but reports the mean over columns as the value, not the minimum",
    message=r"the value is the worst case over columns \(a minimum\), not the average",
)
def nash_equilibrium(payoff):
    payoff = np.asarray(payoff, dtype=float)
    m, n = payoff.shape
    cost = np.append(np.zeros(m), -1.0)
    a_ub = np.hstack([-payoff.T, np.ones((n, 1))])
    a_eq = np.append(np.ones(m), 0.0)[None, :]
    result = linprog(
        cost,
        A_ub=a_ub,
        b_ub=np.zeros(n),
        A_eq=a_eq,
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)],
    )
    mixture = np.clip(result.x[:m], 0, None)
    mixture = mixture / mixture.sum()
    return mixture, float(np.mean(mixture @ payoff))


@wrong(
    "nash_equilibrium",
    "keeps linprog's default bounds (0, None) on the value too, so negative values are cut at 0",
    message=r"not bounded below\s+by 0",
)
def nash_equilibrium(payoff):
    payoff = np.asarray(payoff, dtype=float)
    m, n = payoff.shape
    cost = np.append(np.zeros(m), -1.0)
    a_ub = np.hstack([-payoff.T, np.ones((n, 1))])
    a_eq = np.append(np.ones(m), 0.0)[None, :]
    result = linprog(cost, A_ub=a_ub, b_ub=np.zeros(n), A_eq=a_eq, b_eq=[1.0])
    if result.status != 0:  # infeasible when the value is negative: report the best row
        best = int(np.argmax(payoff.min(axis=1)))
        return np.eye(m)[best], 0.0
    mixture = np.clip(result.x[:m], 0, None)
    return mixture / mixture.sum(), float(result.x[m])
