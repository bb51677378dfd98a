"""Variants of the exercises of chapter "Value learning's impossibility, and reward distances"
(tests/exercise_variants.py)."""

from exercise_variants import correct, wrong

# ---------------------------------------------------------------------------------------------
# Exercise 1: soft_value_iteration
# ---------------------------------------------------------------------------------------------


@correct(
    "soft_value_iteration",
    "iterates on Q with scipy's logsumexp, and values as log-MEAN-exp (a shifted V, same policy)",
)
def soft_value_iteration(
    transitions, reward, discount, rationality, tolerance=1e-12, max_iterations=100_000
):
    from scipy.special import logsumexp, softmax

    if rationality == 0:
        raise ValueError("rationality must be non-zero")
    transitions = np.asarray(transitions, dtype=float)
    reward = np.asarray(reward, dtype=float)
    n_actions = transitions.shape[1]
    q = np.zeros(transitions.shape[:2])
    for _ in range(max_iterations):
        values = (logsumexp(rationality * q, axis=1) - math.log(n_actions)) / rationality
        updated = reward[:, None] + discount * transitions @ values
        if np.abs(updated - q).max() <= tolerance:
            return softmax(rationality * updated, axis=1)
        q = updated
    raise RuntimeError("no convergence")


@correct(
    "soft_value_iteration",
    "loops over states and actions with math.exp and a fixed number of backups from the bound",
)
def soft_value_iteration(
    transitions, reward, discount, rationality, tolerance=1e-12, max_iterations=100_000
):
    if rationality == 0:
        raise ValueError("rationality must be non-zero")
    n_states, n_actions, _ = np.shape(transitions)
    values = [0.0] * n_states
    n_backups = 4000 if discount < 0.99 else max_iterations

    def q_of(s, a):
        return float(reward[s]) + discount * sum(
            transitions[s][a][t] * values[t] for t in range(n_states)
        )

    for _ in range(n_backups):
        new = []
        for s in range(n_states):
            z = [rationality * q_of(s, a) for a in range(n_actions)]
            top = max(z)
            new.append((top + math.log(sum(math.exp(v - top) for v in z))) / rationality)
        if max(abs(a - b) for a, b in zip(new, values, strict=True)) <= 1e-14:
            values = new
            break
        values = new
    policy = np.zeros((n_states, n_actions))
    for s in range(n_states):
        z = [rationality * q_of(s, a) for a in range(n_actions)]
        top = max(z)
        weights = [math.exp(v - top) for v in z]
        policy[s] = [w / sum(weights) for w in weights]
    return policy


@wrong(
    "soft_value_iteration",
    "inverts the temperature: a softmax of Q / beta instead of beta * Q",
    message=r"rationality multiplies Q",
)
def soft_value_iteration(
    transitions, reward, discount, rationality, tolerance=1e-12, max_iterations=100_000
):
    if rationality == 0:
        raise ValueError("rationality must be non-zero")
    transitions, reward = np.asarray(transitions, float), np.asarray(reward, float)
    temperature = 1.0 / rationality
    values = np.zeros(len(reward))
    for _ in range(max_iterations):
        z = temperature * (reward[:, None] + discount * transitions @ values)
        top = z.max(axis=1, keepdims=True)
        updated = (top[:, 0] + np.log(np.exp(z - top).sum(axis=1))) / temperature
        done = np.abs(updated - values).max() <= tolerance
        values = updated
        if done:
            break
    z = temperature * (reward[:, None] + discount * transitions @ values)
    weights = np.exp(z - z.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True)


@wrong(
    "soft_value_iteration",
    "backs up hard values V = max Q and uses the softmax only for the final policy",
    message=r"values are soft maxima",
)
def soft_value_iteration(
    transitions, reward, discount, rationality, tolerance=1e-12, max_iterations=100_000
):
    if rationality == 0:
        raise ValueError("rationality must be non-zero")
    transitions, reward = np.asarray(transitions, float), np.asarray(reward, float)
    values = np.zeros(len(reward))
    for _ in range(max_iterations):
        updated = (reward[:, None] + discount * transitions @ values).max(axis=1)
        done = np.abs(updated - values).max() <= tolerance
        values = updated
        if done:
            break
    z = rationality * (reward[:, None] + discount * transitions @ values)
    weights = np.exp(z - z.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True)


@wrong(
    "soft_value_iteration",
    "takes the absolute value of the rationality, so the anti-rational planner is rational",
    message=r"must not be turned positive",
)
def soft_value_iteration(
    transitions, reward, discount, rationality, tolerance=1e-12, max_iterations=100_000
):
    if rationality == 0:
        raise ValueError("rationality must be non-zero")
    beta = abs(rationality)
    transitions, reward = np.asarray(transitions, float), np.asarray(reward, float)
    values = np.zeros(len(reward))
    for _ in range(max_iterations):
        z = beta * (reward[:, None] + discount * transitions @ values)
        top = z.max(axis=1, keepdims=True)
        updated = (top[:, 0] + np.log(np.exp(z - top).sum(axis=1))) / beta
        done = np.abs(updated - values).max() <= tolerance
        values = updated
        if done:
            break
    z = beta * (reward[:, None] + discount * transitions @ values)
    weights = np.exp(z - z.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True)


@wrong(
    "soft_value_iteration",
    "exponentiates beta * Q without subtracting the maximum: overflows for large rationality",
    message=r"must not overflow",
)
def soft_value_iteration(
    transitions, reward, discount, rationality, tolerance=1e-12, max_iterations=100_000
):
    if rationality == 0:
        raise ValueError("rationality must be non-zero")
    transitions, reward = np.asarray(transitions, float), np.asarray(reward, float)
    values = np.zeros(len(reward))
    for _ in range(max_iterations):
        z = rationality * (reward[:, None] + discount * transitions @ values)
        updated = np.log(np.exp(z).sum(axis=1)) / rationality
        done = not np.abs(updated - values).max() > tolerance
        values = updated
        if done:
            break
    weights = np.exp(rationality * (reward[:, None] + discount * transitions @ values))
    return weights / weights.sum(axis=1, keepdims=True)


@wrong(
    "soft_value_iteration",
    "normalises the policy over states (axis 0) instead of over actions",
    message=r"each row \(a state\) must be a probability distribution over actions",
)
def soft_value_iteration(
    transitions, reward, discount, rationality, tolerance=1e-12, max_iterations=100_000
):
    if rationality == 0:
        raise ValueError("rationality must be non-zero")
    transitions, reward = np.asarray(transitions, float), np.asarray(reward, float)
    values = np.zeros(len(reward))
    for _ in range(max_iterations):
        z = rationality * (reward[:, None] + discount * transitions @ values)
        top = z.max(axis=1, keepdims=True)
        updated = (top[:, 0] + np.log(np.exp(z - top).sum(axis=1))) / rationality
        done = np.abs(updated - values).max() <= tolerance
        values = updated
        if done:
            break
    z = rationality * (reward[:, None] + discount * transitions @ values)
    weights = np.exp(z - z.max())
    return weights / weights.sum(axis=0, keepdims=True)


# ---------------------------------------------------------------------------------------------
# Exercise 2: canonicalize
# ---------------------------------------------------------------------------------------------


@correct("canonicalize", "explicit loops over transitions, actions and next states")
def canonicalize(reward, discount, state_dist, action_dist):
    reward = np.asarray(reward, dtype=float)
    n_states, n_actions, _ = reward.shape

    def mean_from(x):
        return sum(
            action_dist[a] * state_dist[t] * reward[x, a, t]
            for a in range(n_actions)
            for t in range(n_states)
        )

    means = [mean_from(x) for x in range(n_states)]
    overall = sum(state_dist[x] * means[x] for x in range(n_states))
    out = np.empty_like(reward)
    for s in range(n_states):
        for a in range(n_actions):
            for t in range(n_states):
                out[s, a, t] = reward[s, a, t] + discount * means[t] - means[s] - discount * overall
    return out


@correct("canonicalize", "np.average over the last two axes with weights, then broadcasting")
def canonicalize(reward, discount, state_dist, action_dist):
    reward = np.asarray(reward, dtype=float)
    weights = np.outer(action_dist, state_dist)
    mean_from = np.array([np.average(block, weights=weights) for block in reward])
    overall = np.average(mean_from, weights=state_dist)
    return reward + discount * mean_from - mean_from[:, None, None] - discount * overall


@wrong(
    "canonicalize",
    "forgets the discount on the next-state term E[R(s', A, S')]",
    message=r"next-state term E\[R\(s', A, S'\)\] is not multiplied by the discount",
)
def canonicalize(reward, discount, state_dist, action_dist):
    reward = np.asarray(reward, dtype=float)
    mean_from = np.einsum("sat,a,t->s", reward, action_dist, state_dist)
    mean_all = state_dist @ mean_from
    return reward + mean_from[None, None, :] - mean_from[:, None, None] - discount * mean_all


@wrong(
    "canonicalize",
    "leaves out the constant term - gamma * E[R(S, A, S')]",
    message=r"constant term .* seems to be missing",
)
def canonicalize(reward, discount, state_dist, action_dist):
    reward = np.asarray(reward, dtype=float)
    mean_from = np.einsum("sat,a,t->s", reward, action_dist, state_dist)
    return reward + discount * mean_from[None, None, :] - mean_from[:, None, None]


@wrong(
    "canonicalize",
    "takes plain means over actions and next states, ignoring the coverage distributions",
    message=r"weighted by state_dist and action_dist, not plain means",
)
def canonicalize(reward, discount, state_dist, action_dist):
    reward = np.asarray(reward, dtype=float)
    mean_from = reward.mean(axis=(1, 2))
    mean_all = mean_from.mean()
    return (
        reward
        + discount * mean_from[None, None, :]
        - mean_from[:, None, None]
        - discount * mean_all
    )


@wrong(
    "canonicalize",
    "averages the next-state term over next states only, forgetting the actions",
    message=r"Weight the actions by action_dist",
)
def canonicalize(reward, discount, state_dist, action_dist):
    reward = np.asarray(reward, dtype=float)
    mean_from = np.einsum("sat,t->s", reward, state_dist) / reward.shape[1]
    mean_all = state_dist @ mean_from
    return (
        reward
        + discount * mean_from[None, None, :]
        - mean_from[:, None, None]
        - discount * mean_all
    )


@wrong(
    "canonicalize",
    "swaps the roles of s and s': subtracts the next-state term and adds the current-state one",
    message=r"C\(R\) = R \+ 0\.9 \* 0\.5 - 0\.5 - 0\.9 \* 0\.5",
)
def canonicalize(reward, discount, state_dist, action_dist):
    reward = np.asarray(reward, dtype=float)
    mean_from = np.einsum("sat,a,t->s", reward, action_dist, state_dist)
    mean_all = state_dist @ mean_from
    return (
        reward
        - discount * mean_from[None, None, :]
        + mean_from[:, None, None]
        - discount * mean_all
    )


# ---------------------------------------------------------------------------------------------
# Exercise 3: epic_distance
# ---------------------------------------------------------------------------------------------


@correct("epic_distance", "np.cov with aweights on the flattened canonical rewards")
def epic_distance(reward_a, reward_b, discount, state_dist, action_dist):
    weights = np.einsum("s,a,t->sat", state_dist, action_dist, state_dist).ravel()
    x = canonicalize(reward_a, discount, state_dist, action_dist).ravel()
    y = canonicalize(reward_b, discount, state_dist, action_dist).ravel()
    cov = np.cov(np.stack([x, y]), aweights=weights, bias=True)
    if min(cov[0, 0], cov[1, 1]) <= 1e-20 * max(cov[0, 0], cov[1, 1], 1e-300):
        raise ValueError("constant canonical reward")
    rho = float(np.clip(cov[0, 1] / np.sqrt(cov[0, 0] * cov[1, 1]), -1.0, 1.0))
    return math.sqrt((1.0 - rho) / 2.0)


@correct(
    "epic_distance",
    "the Euclidean distance between standardized canonical rewards, halved: the same number",
)
def epic_distance(reward_a, reward_b, discount, state_dist, action_dist):
    weights = np.einsum("s,a,t->sat", state_dist, action_dist, state_dist)

    def standardized(reward):
        x = canonicalize(reward, discount, state_dist, action_dist)
        x = x - np.sum(weights * x)
        scale = math.sqrt(np.sum(weights * x * x))
        if scale < 1e-12:
            raise ValueError("constant canonical reward")
        return x / scale

    za, zb = standardized(reward_a), standardized(reward_b)
    return float(min(1.0, math.sqrt(np.sum(weights * (za - zb) ** 2)) / 2.0))


@wrong(
    "epic_distance",
    "canonicalizes only the first reward",
    message=r"canonicalize both rewards",
)
def epic_distance(reward_a, reward_b, discount, state_dist, action_dist):
    weights = np.einsum("s,a,t->sat", state_dist, action_dist, state_dist)
    x = canonicalize(reward_a, discount, state_dist, action_dist)
    y = np.asarray(reward_b, dtype=float)
    x, y = x - (weights * x).sum(), y - (weights * y).sum()
    rho = (weights * x * y).sum() / math.sqrt((weights * x * x).sum() * (weights * y * y).sum())
    return float(math.sqrt((1.0 - min(max(rho, -1.0), 1.0)) / 2.0))


@wrong(
    "epic_distance",
    "the L2 distance between canonical rewards: not invariant to rescaling",
    message=r"multiplied by a positive number",
)
def epic_distance(reward_a, reward_b, discount, state_dist, action_dist):
    weights = np.einsum("s,a,t->sat", state_dist, action_dist, state_dist)
    x = canonicalize(reward_a, discount, state_dist, action_dist)
    y = canonicalize(reward_b, discount, state_dist, action_dist)
    return float(math.sqrt((weights * (x - y) ** 2).sum()))


@wrong(
    "epic_distance",
    "np.corrcoef: an unweighted correlation, right only for uniform coverage",
    message=r"weighted by the coverage",
)
def epic_distance(reward_a, reward_b, discount, state_dist, action_dist):
    x = canonicalize(reward_a, discount, state_dist, action_dist).ravel()
    y = canonicalize(reward_b, discount, state_dist, action_dist).ravel()
    rho = float(np.clip(np.corrcoef(x, y)[0, 1], -1.0, 1.0))
    return math.sqrt((1.0 - rho) / 2.0)


@wrong(
    "epic_distance",
    "returns (1 - rho) / 2 and forgets the square root",
    message=r"uncorrelated rewards \(rho = 0\) are at sqrt\(\(1 - 0\) / 2\) = 0\.7071, got 0\.5000",
)
def epic_distance(reward_a, reward_b, discount, state_dist, action_dist):
    weights = np.einsum("s,a,t->sat", state_dist, action_dist, state_dist)
    x = canonicalize(reward_a, discount, state_dist, action_dist)
    y = canonicalize(reward_b, discount, state_dist, action_dist)
    x, y = x - (weights * x).sum(), y - (weights * y).sum()
    rho = (weights * x * y).sum() / math.sqrt((weights * x * x).sum() * (weights * y * y).sum())
    return float((1.0 - min(max(rho, -1.0), 1.0)) / 2.0)


@wrong(
    "epic_distance",
    "returns sqrt(1 - rho) without the factor 1/2, so R and -R are at sqrt(2)",
    message=r"EPIC lies in \[0, 1\]",
)
def epic_distance(reward_a, reward_b, discount, state_dist, action_dist):
    weights = np.einsum("s,a,t->sat", state_dist, action_dist, state_dist)
    x = canonicalize(reward_a, discount, state_dist, action_dist)
    y = canonicalize(reward_b, discount, state_dist, action_dist)
    x, y = x - (weights * x).sum(), y - (weights * y).sum()
    rho = (weights * x * y).sum() / math.sqrt((weights * x * x).sum() * (weights * y * y).sum())
    return float(math.sqrt(1.0 - min(max(rho, -1.0), 1.0)))
