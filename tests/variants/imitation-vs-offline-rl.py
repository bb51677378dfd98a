"""Variants of the exercises of chapter "Imitation vs offline RL" (tests/exercise_variants.py)."""

from exercise_variants import correct, wrong

# ---------------------------------------------------------------------------------------------
# Exercise 1: awr_weights
# ---------------------------------------------------------------------------------------------


@correct(
    "awr_weights",
    "a loop with statistics.pstdev, math.exp and a guard on the exponent",
)
def awr_weights(advantages, beta, max_weight=20.0):
    import statistics

    if beta <= 0 or max_weight < 1:
        raise ValueError("beta must be > 0 and max_weight >= 1")
    values = [float(a) for a in np.asarray(advantages).ravel()]
    mean = statistics.fmean(values)
    spread = statistics.pstdev(values) or 1.0
    out = []
    for a in values:
        exponent = (a - mean) / spread / beta
        out.append(max_weight if exponent >= math.log(max_weight) else math.exp(exponent))
    return np.array(out)


@correct(
    "awr_weights",
    "clips the weight after the exponential, with overflow silenced, and handles inf apart",
)
def awr_weights(advantages, beta, max_weight=20.0):
    if not (beta > 0 and max_weight >= 1):
        raise ValueError("bad beta or max_weight")
    advantages = np.asarray(advantages, dtype=float)
    if math.isinf(beta):
        return np.ones_like(advantages)
    std = advantages.std()
    z = advantages - advantages.mean()
    if std > 0:
        z = z / std
    with np.errstate(over="ignore"):
        return np.minimum(np.exp(z / beta), max_weight)


@wrong(
    "awr_weights",
    "a sign error: exp(-z / beta) favours the actions that did worst",
    message=r"must get the largest weight, exp\(\+z / beta\)",
)
def awr_weights(advantages, beta, max_weight=20.0):
    if not beta > 0 or max_weight < 1:
        raise ValueError("bad input")
    advantages = np.asarray(advantages, dtype=float)
    z = (advantages - advantages.mean()) / (advantages.std() or 1.0)
    return np.exp(np.minimum(-z / beta, math.log(max_weight)))


@wrong(
    "awr_weights",
    "forgets the clip at max_weight that the spec requires",
    message=r"must be clipped to exactly 20",
)
def awr_weights(advantages, beta, max_weight=20.0):
    if not beta > 0 or max_weight < 1:
        raise ValueError("bad input")
    advantages = np.asarray(advantages, dtype=float)
    z = (advantages - advantages.mean()) / (advantages.std() or 1.0)
    return np.exp(z / beta)


@wrong(
    "awr_weights",
    "does not standardise: exp(A / beta) on the raw advantages",
    message=r"Standardise the advantages",
)
def awr_weights(advantages, beta, max_weight=20.0):
    if not beta > 0 or max_weight < 1:
        raise ValueError("bad input")
    advantages = np.asarray(advantages, dtype=float)
    return np.exp(np.minimum(advantages / beta, math.log(max_weight)))


@wrong(
    "awr_weights",
    "normalises the weights to mean 1 instead of standardising the advantages",
    message=r"Standardise the advantages themselves, not the weights",
)
def awr_weights(advantages, beta, max_weight=20.0):
    if not beta > 0 or max_weight < 1:
        raise ValueError("bad input")
    advantages = np.asarray(advantages, dtype=float)
    weights = np.exp(np.minimum((advantages - advantages.max()) / beta, 0.0))
    return np.minimum(weights / weights.mean(), max_weight)


# ---------------------------------------------------------------------------------------------
# Exercise 2: return_conditioned_policy
# ---------------------------------------------------------------------------------------------


@correct(
    "return_conditioned_policy",
    "a loop over states with a mask and np.bincount per state",
)
def return_conditioned_policy(states, actions, returns_to_go, target, n_actions, tolerance=1e-6):
    states = np.asarray(states)
    actions = np.asarray(actions)
    returns_to_go = np.asarray(returns_to_go, dtype=float)
    policy = np.full((len(target), n_actions), 1.0 / n_actions)
    for s in range(len(target)):
        kept = (states == s) & (np.abs(returns_to_go - target[s]) <= tolerance)
        if kept.any():
            policy[s] = np.bincount(actions[kept], minlength=n_actions) / kept.sum()
    return policy


@correct(
    "return_conditioned_policy",
    "the package's fit_policy with the match mask as 0/1 weights",
)
def return_conditioned_policy(states, actions, returns_to_go, target, n_actions, tolerance=1e-6):
    target = np.asarray(target, dtype=float)
    states = np.asarray(states, dtype=int)
    match = np.abs(np.asarray(returns_to_go, dtype=float) - target[states]) <= tolerance
    return fit_policy(states, actions, match.astype(float), len(target), n_actions)


@wrong(
    "return_conditioned_policy",
    "keeps the steps whose return-to-go is at least the target, not equal to it",
    message=r"not those that returned more",
)
def return_conditioned_policy(states, actions, returns_to_go, target, n_actions, tolerance=1e-6):
    states = np.asarray(states, dtype=int)
    keep = np.asarray(returns_to_go) >= np.asarray(target)[states] - tolerance
    counts = np.zeros((len(target), n_actions))
    np.add.at(counts, (states[keep], np.asarray(actions)[keep]), 1.0)
    totals = counts.sum(axis=1, keepdims=True)
    return np.where(totals > 0, counts / np.maximum(totals, 1), 1.0 / n_actions)


@wrong(
    "return_conditioned_policy",
    "divides by every step logged in the state, not only the matching ones",
    message=r"must sum to 1, got row sums",
)
def return_conditioned_policy(states, actions, returns_to_go, target, n_actions, tolerance=1e-6):
    states = np.asarray(states, dtype=int)
    keep = np.abs(np.asarray(returns_to_go) - np.asarray(target)[states]) <= tolerance
    counts = np.zeros((len(target), n_actions))
    np.add.at(counts, (states[keep], np.asarray(actions)[keep]), 1.0)
    logged = np.bincount(states, minlength=len(target))[:, None]
    return np.where(counts.sum(axis=1, keepdims=True) > 0, counts / np.maximum(logged, 1), 0.5)


@wrong(
    "return_conditioned_policy",
    "no uniform fallback: a state with no matching step divides 0 by 0",
    message=r"no logged step returned 4 there, so the policy is uniform",
)
def return_conditioned_policy(states, actions, returns_to_go, target, n_actions, tolerance=1e-6):
    states = np.asarray(states, dtype=int)
    keep = np.abs(np.asarray(returns_to_go) - np.asarray(target)[states]) <= tolerance
    counts = np.zeros((len(target), n_actions))
    np.add.at(counts, (states[keep], np.asarray(actions)[keep]), 1.0)
    with np.errstate(invalid="ignore"):
        return counts / counts.sum(axis=1, keepdims=True)


@wrong(
    "return_conditioned_policy",
    "fancy-index assignment counts a repeated (state, action) pair once",
    message=r"\(1/3, 2/3\)",
)
def return_conditioned_policy(states, actions, returns_to_go, target, n_actions, tolerance=1e-6):
    states = np.asarray(states, dtype=int)
    keep = np.abs(np.asarray(returns_to_go) - np.asarray(target)[states]) <= tolerance
    counts = np.zeros((len(target), n_actions))
    counts[states[keep], np.asarray(actions)[keep]] += 1.0
    totals = counts.sum(axis=1, keepdims=True)
    return np.where(totals > 0, counts / np.maximum(totals, 1), 1.0 / n_actions)


@wrong(
    "return_conditioned_policy",
    "ignores the target: plain behaviour cloning",
    message=r"Count only the steps whose return-to-go equals the target",
)
def return_conditioned_policy(states, actions, returns_to_go, target, n_actions, tolerance=1e-6):
    states = np.asarray(states, dtype=int)
    counts = np.zeros((len(target), n_actions))
    np.add.at(counts, (states, np.asarray(actions)), 1.0)
    totals = counts.sum(axis=1, keepdims=True)
    return np.where(totals > 0, counts / np.maximum(totals, 1), 1.0 / n_actions)


# ---------------------------------------------------------------------------------------------
# Exercise 3: gae
# ---------------------------------------------------------------------------------------------


@correct(
    "gae",
    "the explicit sum of (gamma * lambda)^l * delta over the rest of each episode",
)
def gae(rewards, values, dones, discount, lam):
    rewards = np.asarray(rewards, dtype=float)
    values = np.asarray(values, dtype=float)
    dones = np.asarray(dones, dtype=bool)
    n = len(rewards)
    deltas = rewards + discount * values[1:] * ~dones - values[:-1]
    out = np.zeros(n)
    for t in range(n):
        total, factor = 0.0, 1.0
        for k in range(t, n):
            total += factor * deltas[k]
            if dones[k]:
                break
            factor *= discount * lam
        out[t] = total
    return out


@wrong(
    "gae",
    "sums forward: A[t] = delta[t] + gamma * lambda * A[t - 1]",
    message=r"run the recursion from the last step backwards",
)
def gae(rewards, values, dones, discount, lam):
    rewards = np.asarray(rewards, dtype=float)
    values = np.asarray(values, dtype=float)
    dones = np.asarray(dones, dtype=bool)
    out = np.zeros(len(rewards))
    running = 0.0
    for t in range(len(rewards)):
        delta = rewards[t] + discount * values[t + 1] * (not dones[t]) - values[t]
        running = delta + discount * lam * running
        out[t] = running
        if dones[t]:
            running = 0.0
    return out


@wrong(
    "gae",
    "swaps lambda and gamma: the TD error is discounted with lambda",
    message=r"gamma, not lambda, discounts the next value",
)
def gae(rewards, values, dones, discount, lam):
    rewards = np.asarray(rewards, dtype=float)
    values = np.asarray(values, dtype=float)
    alive = 1.0 - np.asarray(dones, dtype=float)
    out = np.zeros(len(rewards))
    running = 0.0
    for t in reversed(range(len(rewards))):
        delta = rewards[t] + lam * alive[t] * values[t + 1] - values[t]
        running = delta + lam * discount * alive[t] * running
        out[t] = running
    return out


@wrong(
    "gae",
    "ignores the done flags at episode ends",
    message=r"worth 0",
)
def gae(rewards, values, dones, discount, lam):
    rewards = np.asarray(rewards, dtype=float)
    values = np.asarray(values, dtype=float)
    out = np.zeros(len(rewards))
    running = 0.0
    for t in reversed(range(len(rewards))):
        delta = rewards[t] + discount * values[t + 1] - values[t]
        running = delta + discount * lam * running
        out[t] = running
    return out


@wrong(
    "gae",
    "zeroes the next value at an episode end but carries the running sum across it",
    message=r"the recursion starts afresh",
)
def gae(rewards, values, dones, discount, lam):
    rewards = np.asarray(rewards, dtype=float)
    values = np.asarray(values, dtype=float)
    alive = 1.0 - np.asarray(dones, dtype=float)
    out = np.zeros(len(rewards))
    running = 0.0
    for t in reversed(range(len(rewards))):
        delta = rewards[t] + discount * alive[t] * values[t + 1] - values[t]
        running = delta + discount * lam * running
        out[t] = running
    return out
