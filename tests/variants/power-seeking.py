"""Variants of the exercises of chapter "Power-seeking" (tests/exercise_variants.py)."""

from exercise_variants import correct, wrong

# ---------------------------------------------------------------------------------------------
# Exercise 1: optimal_values
# ---------------------------------------------------------------------------------------------


@correct(
    "optimal_values",
    "one-hot transitions [S, A, S] and np.einsum, starting from zero values",
)
def optimal_values(next_state, reward, discount, tolerance=1e-10, max_backups=100_000):
    if not 0 <= discount < 1:
        raise ValueError("discount must be in [0, 1)")
    next_state = np.asarray(next_state, dtype=int)
    reward = np.asarray(reward, dtype=float)
    moves = np.eye(next_state.shape[0])[next_state]  # [S, A, S]
    values = np.zeros_like(reward)
    for _ in range(max_backups):
        q_values = reward[..., None] + discount * np.einsum("sat,...t->...sa", moves, values)
        updated = q_values.max(axis=-1)
        if np.all(np.abs(updated - values) <= tolerance):
            q_values = reward[..., None] + discount * np.einsum("sat,...t->...sa", moves, updated)
            return updated, q_values
        values = updated
    raise RuntimeError("value iteration did not converge")


@correct(
    "optimal_values",
    "plain loops over reward functions, states and actions, starting from zero values",
)
def optimal_values(next_state, reward, discount, tolerance=1e-10, max_backups=100_000):
    if discount < 0 or discount >= 1:
        raise ValueError(f"bad discount {discount}")
    reward = np.array(reward, dtype=float)
    n_states, n_actions = np.shape(next_state)
    flat = reward.reshape(-1, n_states)
    values = np.zeros_like(flat)
    q_values = np.zeros((len(flat), n_states, n_actions))
    for _ in range(max_backups):
        change = 0.0
        new = np.empty_like(values)
        for i in range(len(flat)):
            for s in range(n_states):
                for a in range(n_actions):
                    q_values[i, s, a] = flat[i, s] + discount * values[i, next_state[s][a]]
                new[i, s] = max(q_values[i, s])
                change = max(change, abs(new[i, s] - values[i, s]))
        values = new
        if change <= tolerance:
            for i in range(len(flat)):
                for s in range(n_states):
                    for a in range(n_actions):
                        q_values[i, s, a] = flat[i, s] + discount * values[i, next_state[s][a]]
            return values.reshape(reward.shape), q_values.reshape(*reward.shape, n_actions)
    raise RuntimeError("not converged")


@wrong(
    "optimal_values",
    "applies the discount to the current reward too: discount * (R(s) + V(next))",
    message=r"the reward of the current state is received now, undiscounted",
)
def optimal_values(next_state, reward, discount, tolerance=1e-10, max_backups=100_000):
    if not 0 <= discount < 1:
        raise ValueError("discount must be in [0, 1)")
    reward = np.asarray(reward, dtype=float)
    values = reward / (1 - discount)
    for _ in range(max_backups):
        q_values = discount * (reward[..., None] + values[..., next_state])
        updated = q_values.max(axis=-1)
        if np.abs(updated - values).max() <= tolerance:
            return updated, discount * (reward[..., None] + updated[..., next_state])
        values = updated
    raise RuntimeError("not converged")


@wrong(
    "optimal_values",
    "takes the maximum over states (axis -2) instead of over actions",
    message=r"maximum over the last axis \(actions\), not over states",
)
def optimal_values(next_state, reward, discount, tolerance=1e-10, max_backups=100_000):
    if not 0 <= discount < 1:
        raise ValueError("discount must be in [0, 1)")
    reward = np.asarray(reward, dtype=float)
    values = reward / (1 - discount)
    for _ in range(max_backups):
        q_values = reward[..., None] + discount * values[..., next_state]
        updated = q_values.max(axis=-2)
        if updated.shape != values.shape or np.abs(updated - values).max() <= tolerance:
            return updated, q_values
        values = updated
    raise RuntimeError("not converged")


@wrong(
    "optimal_values",
    "averages over actions (the value of a random policy) instead of taking the best",
    message=r"takes the best action \(a maximum over actions, not an average\)",
)
def optimal_values(next_state, reward, discount, tolerance=1e-10, max_backups=100_000):
    if not 0 <= discount < 1:
        raise ValueError("discount must be in [0, 1)")
    reward = np.asarray(reward, dtype=float)
    values = reward / (1 - discount)
    for _ in range(max_backups):
        q_values = reward[..., None] + discount * values[..., next_state]
        updated = q_values.mean(axis=-1)
        if np.abs(updated - values).max() <= tolerance:
            return updated, reward[..., None] + discount * updated[..., next_state]
        values = updated
    raise RuntimeError("not converged")


@wrong(
    "optimal_values",
    "runs a fixed 200 backups from zero values instead of iterating until convergence",
    message=r"iterate until the values stop changing",
)
def optimal_values(next_state, reward, discount, tolerance=1e-10, max_backups=100_000):
    if not 0 <= discount < 1:
        raise ValueError("discount must be in [0, 1)")
    if max_backups < 200:
        raise RuntimeError("too few backups")
    reward = np.asarray(reward, dtype=float)
    values = np.zeros_like(reward)
    for _ in range(200):
        values = (reward[..., None] + discount * values[..., next_state]).max(axis=-1)
    return values, reward[..., None] + discount * values[..., next_state]


@wrong(
    "optimal_values",
    "leaves the current reward out of the returned Q-values: Q = discount * V(next)",
    message=r"q_values\[s, a\] must be R\(s\) \+ discount \* V\(next_state\[s, a\]\)",
)
def optimal_values(next_state, reward, discount, tolerance=1e-10, max_backups=100_000):
    if not 0 <= discount < 1:
        raise ValueError("discount must be in [0, 1)")
    reward = np.asarray(reward, dtype=float)
    values = reward / (1 - discount)
    for _ in range(max_backups):
        future = discount * values[..., next_state]
        updated = reward + future.max(axis=-1)
        if np.abs(updated - values).max() <= tolerance:
            return updated, discount * updated[..., next_state]
        values = updated
    raise RuntimeError("not converged")


# ---------------------------------------------------------------------------------------------
# Exercise 2: power
# ---------------------------------------------------------------------------------------------


@correct(
    "power",
    "loops over states with Python's statistics module (the n - 1 standard deviation)",
)
def power(values, reward, discount):
    import statistics

    if discount <= 0 or discount >= 1:
        raise ValueError("discount must be in (0, 1)")
    values = np.asarray(values, dtype=float)
    reward = np.asarray(reward, dtype=float)
    n_rewards, n_states = values.shape
    estimate, error = np.zeros(n_states), np.zeros(n_states)
    for s in range(n_states):
        pairs = zip(values[:, s], reward[:, s], strict=True)
        terms = [(1 - discount) / discount * (v - r) for v, r in pairs]
        estimate[s] = statistics.fmean(terms)
        error[s] = statistics.stdev(terms) / math.sqrt(n_rewards)
    return estimate, error


@correct(
    "power",
    "rewrites V - R as discount * (best next value) and uses the population std (ddof = 0)",
)
def power(values, reward, discount):
    if not 0 < discount < 1:
        raise ValueError(f"discount {discount} is not in (0, 1)")
    future = (np.asarray(values, dtype=float) - np.asarray(reward, dtype=float)) / discount
    terms = (1 - discount) * future
    return terms.mean(axis=0), terms.std(axis=0) / math.sqrt(terms.shape[0])


@wrong(
    "power",
    "forgets to subtract R(s): averages (1 - discount) / discount * V",
    message=r"subtract R\(s\), POWER counts only what is still to come",
)
def power(values, reward, discount):
    if not 0 < discount < 1:
        raise ValueError("discount must be in (0, 1)")
    terms = (1 - discount) / discount * np.asarray(values, dtype=float)
    return terms.mean(axis=0), terms.std(axis=0, ddof=1) / np.sqrt(len(terms))


@wrong(
    "power",
    "inverts the normalising factor: discount / (1 - discount)",
    message=r"the factor is \(1 - discount\) / discount = 0.25, not discount / \(1 - discount\)",
)
def power(values, reward, discount):
    if not 0 < discount < 1:
        raise ValueError("discount must be in (0, 1)")
    terms = discount / (1 - discount) * (np.asarray(values) - np.asarray(reward))
    return terms.mean(axis=0), terms.std(axis=0, ddof=1) / np.sqrt(len(terms))


@wrong(
    "power",
    "averages over states (axis 1) instead of over reward functions",
    message=r"one POWER per state, averaged over the reward functions \(axis 0\)",
)
def power(values, reward, discount):
    if not 0 < discount < 1:
        raise ValueError("discount must be in (0, 1)")
    terms = (1 - discount) / discount * (np.asarray(values) - np.asarray(reward))
    return terms.mean(axis=1), terms.std(axis=1, ddof=1) / np.sqrt(terms.shape[1])


@wrong(
    "power",
    "reports the standard deviation of the terms as the standard error (no / sqrt(N))",
    message=r"standard error = sample std of the terms / sqrt\(number of reward functions\)",
)
def power(values, reward, discount):
    if not 0 < discount < 1:
        raise ValueError("discount must be in (0, 1)")
    terms = (1 - discount) / discount * (np.asarray(values) - np.asarray(reward))
    return terms.mean(axis=0), terms.std(axis=0, ddof=1)


@wrong(
    "power",
    "does not check the discount: returns nan or inf at 0 and 1 instead of an error",
    message=r"must raise ValueError \(POWER needs \(0, 1\)\)",
)
def power(values, reward, discount):
    terms = (1 - discount) / discount * (np.asarray(values) - np.asarray(reward))
    return terms.mean(axis=0), terms.std(axis=0, ddof=1) / np.sqrt(len(terms))


# ---------------------------------------------------------------------------------------------
# Exercise 3: optimality_probability
# ---------------------------------------------------------------------------------------------


@correct(
    "optimality_probability",
    "loops over reward functions with math.isclose (absolute tolerance) and counts ties",
)
def optimality_probability(q_values, state, tolerance=1e-9):
    q_values = np.asarray(q_values, dtype=float)
    n_rewards, _, n_actions = q_values.shape
    shares = np.zeros(n_actions)
    for row in q_values[:, state, :]:
        best = max(row)
        tied = [a for a in range(n_actions) if best - row[a] <= tolerance]
        for a in tied:
            shares[a] += 1 / len(tied)
    return shares / n_rewards


@correct(
    "optimality_probability",
    "rounds nothing: counts each optimal set with np.unique over boolean masks",
)
def optimality_probability(q_values, state, tolerance=1e-9):
    q = np.asarray(q_values, dtype=float)[:, state]
    masks = q >= q.max(axis=1, keepdims=True) - tolerance
    patterns, counts = np.unique(masks, axis=0, return_counts=True)
    weights = patterns / patterns.sum(axis=1, keepdims=True)
    return (counts[:, None] * weights).sum(axis=0) / len(q)


@wrong(
    "optimality_probability",
    "counts a tie for every tied action, so the probabilities sum to more than 1",
    message=r"must sum to 1, got 2\.000",
)
def optimality_probability(q_values, state, tolerance=1e-9):
    q = np.asarray(q_values, dtype=float)[:, state, :]
    optimal = q >= q.max(axis=1, keepdims=True) - tolerance
    return optimal.mean(axis=0)


@wrong(
    "optimality_probability",
    "uses np.argmax, which gives every tie to the first action",
    message=r"np\.argmax gives a tie to the first action only",
)
def optimality_probability(q_values, state, tolerance=1e-9):
    q = np.asarray(q_values, dtype=float)[:, state, :]
    best = q.argmax(axis=1)
    return np.bincount(best, minlength=q.shape[1]) / len(q)


@wrong(
    "optimality_probability",
    "compares Q-values for exact equality, so rounding breaks ties",
    message=r"use the tolerance, not exact equality",
)
def optimality_probability(q_values, state, tolerance=1e-9):
    q = np.asarray(q_values, dtype=float)[:, state, :]
    optimal = q == q.max(axis=1, keepdims=True)
    return (optimal / optimal.sum(axis=1, keepdims=True)).mean(axis=0)


@wrong(
    "optimality_probability",
    "indexes the state on the first axis (the reward functions) instead of the second",
    message=r"compare the actions at the given state \(axis 1\)",
)
def optimality_probability(q_values, state, tolerance=1e-9):
    q = np.asarray(q_values, dtype=float)[state]
    optimal = q >= q.max(axis=1, keepdims=True) - tolerance
    return (optimal / optimal.sum(axis=1, keepdims=True)).mean(axis=0)
