"""Variants of the exercises of chapter "CIRL and the off-switch" (tests/exercise_variants.py)."""

from exercise_variants import correct, wrong

# ---------------------------------------------------------------------------------------------
# Exercise 1: off_switch_incentive
# ---------------------------------------------------------------------------------------------


@correct(
    "off_switch_incentive",
    "loops over the broadcast entries with math.erfc and the symmetric form "
    "sigma * phi(mu / sigma) - |mu| * Phi(-|mu| / sigma)",
)
def off_switch_incentive(mu, sigma):
    def one(m, s):
        if s == 0:
            return 0.0
        z = abs(m) / s
        density = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
        tail = 0.5 * math.erfc(z / math.sqrt(2))  # Phi(-z)
        return s * density - abs(m) * tail

    mu, sigma = np.broadcast_arrays(np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float))
    out = np.zeros(mu.shape)
    for index in np.ndindex(mu.shape):
        out[index] = one(float(mu[index]), float(sigma[index]))
    return out


@correct(
    "off_switch_incentive",
    "scipy.special.ndtr with np.divide(where=...) and the closed form, no broadcast_arrays",
)
def off_switch_incentive(mu, sigma):
    from scipy.special import ndtr

    mu = np.asarray(mu, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    shape = np.broadcast_shapes(mu.shape, sigma.shape)
    z = np.divide(mu, sigma, out=np.zeros(shape), where=sigma > 0)
    density = np.exp(-0.5 * z**2) / np.sqrt(2 * np.pi)
    positive_part = mu * ndtr(z) + sigma * density
    return np.where(sigma > 0, positive_part - np.maximum(mu, 0.0), 0.0)


@wrong(
    "off_switch_incentive",
    "forgets the sigma = 0 case: 0 / 0 gives nan at mu = 0",
    message=r"certain belief \(sigma = 0\) gives incentive 0",
)
def off_switch_incentive(mu, sigma):
    mu, sigma = np.broadcast_arrays(np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float))
    z = mu / sigma
    return mu * norm.cdf(z) + sigma * norm.pdf(z) - np.maximum(mu, 0.0)


@wrong(
    "off_switch_incentive",
    "returns E[max(U, 0)] and forgets to subtract the best solo move max(mu, 0)",
    message=r"acting alone is worth max\(mu, 0\) = 1.*got 1\.0833",
)
def off_switch_incentive(mu, sigma):
    mu, sigma = np.broadcast_arrays(np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float))
    safe = np.where(sigma > 0, sigma, 1.0)
    z = mu / safe
    return np.where(sigma > 0, mu * norm.cdf(z) + safe * norm.pdf(z), np.maximum(mu, 0.0))


@wrong(
    "off_switch_incentive",
    "a sign error: subtracts the density term sigma * phi(mu / sigma) instead of adding it",
    message=r"\(positive\), got -0\.3989",
)
def off_switch_incentive(mu, sigma):
    mu, sigma = np.broadcast_arrays(np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float))
    safe = np.where(sigma > 0, sigma, 1.0)
    z = mu / safe
    positive_part = np.where(sigma > 0, mu * norm.cdf(z) - safe * norm.pdf(z), np.maximum(mu, 0))
    return positive_part - np.maximum(mu, 0.0)


@wrong(
    "off_switch_incentive",
    "uses the variance sigma ** 2 where the standard deviation sigma belongs",
    message=r"standard deviation \(not the variance\)",
)
def off_switch_incentive(mu, sigma):
    mu, sigma = np.broadcast_arrays(np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float))
    variance = np.where(sigma > 0, sigma**2, 1.0)
    z = mu / variance
    positive_part = np.where(sigma > 0, mu * norm.cdf(z) + variance * norm.pdf(z), 0.0)
    return np.where(sigma > 0, positive_part - np.maximum(mu, 0.0), 0.0)


@wrong(
    "off_switch_incentive",
    "subtracts E[U] = mu instead of max(mu, 0): forgets that switching off is worth 0",
    message=r"switch off \(worth 0, not mu\)",
)
def off_switch_incentive(mu, sigma):
    mu, sigma = np.broadcast_arrays(np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float))
    safe = np.where(sigma > 0, sigma, 1.0)
    z = mu / safe
    positive_part = np.where(sigma > 0, mu * norm.cdf(z) + safe * norm.pdf(z), np.maximum(mu, 0))
    return positive_part - mu


@wrong(
    "off_switch_incentive",
    "uses Python's max(mu, 0) and an if on sigma, which work for numbers but not for arrays",
    message=r"mu and sigma may be arrays",
)
def off_switch_incentive(mu, sigma):
    if sigma == 0:
        return 0.0
    z = mu / sigma
    return mu * norm.cdf(z) + sigma * norm.pdf(z) - max(mu, 0)


# ---------------------------------------------------------------------------------------------
# Exercise 2: log_choice_probs
# ---------------------------------------------------------------------------------------------


@correct("log_choice_probs", "scipy.special.log_softmax, with beta = inf as its own case")
def log_choice_probs(utilities, beta):
    from scipy.special import log_softmax

    if beta < 0 or math.isnan(beta):
        raise ValueError("beta must be >= 0")
    utilities = np.asarray(utilities, dtype=float)
    if beta == math.inf:
        best = utilities == utilities.max(axis=-1, keepdims=True)
        with np.errstate(divide="ignore"):
            return np.log(best / best.sum(axis=-1, keepdims=True))
    return log_softmax(beta * utilities, axis=-1)


@correct(
    "log_choice_probs",
    "loops over the menus with math.exp and math.log, and returns float32",
)
def log_choice_probs(utilities, beta):
    if beta < 0:
        raise ValueError(f"beta must be >= 0, got {beta}")
    utilities = np.asarray(utilities, dtype=float)
    out = np.empty(utilities.shape, dtype=np.float32)
    for index in np.ndindex(utilities.shape[:-1]):
        row = [float(u) for u in utilities[index]]
        best = max(row)
        if beta == math.inf:
            n_best = row.count(best)
            out[index] = [-math.log(n_best) if u == best else -math.inf for u in row]
            continue
        shifted = [beta * (u - best) for u in row]
        log_total = math.log(sum(math.exp(s) for s in shifted))
        out[index] = [s - log_total for s in shifted]
    return out


@wrong(
    "log_choice_probs",
    "exponentiates beta * utilities without subtracting the row maximum: overflows",
    message=r"without overflow",
)
def log_choice_probs(utilities, beta):
    if not beta >= 0:
        raise ValueError("beta must be >= 0")
    utilities = np.asarray(utilities, dtype=float)
    if math.isinf(beta):
        is_best = utilities == utilities.max(axis=-1, keepdims=True)
        return np.where(is_best, -np.log(is_best.sum(axis=-1, keepdims=True)), -np.inf)
    weights = np.exp(beta * utilities)
    return np.log(weights / weights.sum(axis=-1, keepdims=True))


@wrong(
    "log_choice_probs",
    "normalises over the first axis instead of the last (the options of one menu)",
    message=r"sum to 1 over the last axis",
)
def log_choice_probs(utilities, beta):
    if not beta >= 0:
        raise ValueError("beta must be >= 0")
    utilities = np.asarray(utilities, dtype=float)
    best = utilities.max(axis=0, keepdims=True)
    if math.isinf(beta):
        is_best = utilities == best
        return np.where(is_best, -np.log(is_best.sum(axis=0, keepdims=True)), -np.inf)
    z = beta * (utilities - best)
    return z - np.log(np.exp(z).sum(axis=0, keepdims=True))


@wrong(
    "log_choice_probs",
    "forgets beta: a log-softmax of the utilities themselves, as if beta were 1",
    message=r"odds 2\.72 : 1, as if beta were 1",
)
def log_choice_probs(utilities, beta):
    if not beta >= 0:
        raise ValueError("beta must be >= 0")
    utilities = np.asarray(utilities, dtype=float)
    best = utilities.max(axis=-1, keepdims=True)
    if math.isinf(beta):
        is_best = utilities == best
        return np.where(is_best, -np.log(is_best.sum(axis=-1, keepdims=True)), -np.inf)
    z = utilities - best
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


@wrong(
    "log_choice_probs",
    "reads beta as a temperature and divides the utilities by it",
    message=r"beta is a rationality",
)
def log_choice_probs(utilities, beta):
    if not beta >= 0:
        raise ValueError("beta must be >= 0")
    utilities = np.asarray(utilities, dtype=float)
    best = utilities.max(axis=-1, keepdims=True)
    if math.isinf(beta):
        is_best = utilities == best
        return np.where(is_best, -np.log(is_best.sum(axis=-1, keepdims=True)), -np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (utilities - best) / beta
        return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


@wrong(
    "log_choice_probs",
    "returns the probabilities instead of their logs",
    message=r"never positive",
)
def log_choice_probs(utilities, beta):
    if not beta >= 0:
        raise ValueError("beta must be >= 0")
    utilities = np.asarray(utilities, dtype=float)
    best = utilities.max(axis=-1, keepdims=True)
    if math.isinf(beta):
        is_best = (utilities == best).astype(float)
        return is_best / is_best.sum(axis=-1, keepdims=True)
    weights = np.exp(beta * (utilities - best))
    return weights / weights.sum(axis=-1, keepdims=True)


@wrong(
    "log_choice_probs",
    "at beta = inf gives probability 1 to the first best option only (argmax), not to ties",
    message=r"two tied best options: probability 1/2 each",
)
def log_choice_probs(utilities, beta):
    if not beta >= 0:
        raise ValueError("beta must be >= 0")
    utilities = np.asarray(utilities, dtype=float)
    best = utilities.max(axis=-1, keepdims=True)
    if math.isinf(beta):
        first = np.argmax(utilities, axis=-1)[..., None]
        positions = np.arange(utilities.shape[-1])
        return np.where(positions == first, 0.0, -np.inf)
    z = beta * (utilities - best)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


@wrong(
    "log_choice_probs",
    "no case for beta = inf: inf * 0 is nan for the best option",
    message=r"beta = inf: the best option has probability 1",
)
def log_choice_probs(utilities, beta):
    if not beta >= 0:
        raise ValueError("beta must be >= 0")
    utilities = np.asarray(utilities, dtype=float)
    z = beta * (utilities - utilities.max(axis=-1, keepdims=True))
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


@wrong(
    "log_choice_probs",
    "subtracts the maximum in place, modifying the caller's array",
    message=r"must not modify its input",
)
def log_choice_probs(utilities, beta):
    if not beta >= 0:
        raise ValueError("beta must be >= 0")
    utilities = np.asarray(utilities, dtype=float)
    utilities -= utilities.max(axis=-1, keepdims=True)
    if math.isinf(beta):
        is_best = utilities == 0
        return np.where(is_best, -np.log(is_best.sum(axis=-1, keepdims=True)), -np.inf)
    z = beta * utilities
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


@wrong(
    "log_choice_probs",
    "accepts a negative beta silently instead of raising ValueError",
    message=r"negative beta must raise ValueError",
)
def log_choice_probs(utilities, beta):
    utilities = np.asarray(utilities, dtype=float)
    best = utilities.max(axis=-1, keepdims=True)
    if math.isinf(beta):
        is_best = utilities == best
        return np.where(is_best, -np.log(is_best.sum(axis=-1, keepdims=True)), -np.inf)
    z = beta * (utilities - best)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


# ---------------------------------------------------------------------------------------------
# Exercise 3: goal_posterior
# ---------------------------------------------------------------------------------------------


@correct(
    "goal_posterior",
    "loops over goals and rounds, finds each choice's position with list.index, and "
    "normalises with scipy.special.logsumexp",
)
def goal_posterior(prior, utilities, menus, choices, beta):
    from scipy.special import logsumexp

    prior = np.asarray(prior, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    choices = [int(c) for c in np.asarray(choices).reshape(-1)]
    menus = [list(map(int, m)) for m in np.asarray(menus)] if choices else []
    log_posterior = []
    for g in range(len(prior)):
        total = math.log(prior[g]) if prior[g] > 0 else -math.inf
        for menu, choice in zip(menus, choices, strict=True):
            if choice not in menu:
                raise ValueError(f"choice {choice} is not on its menu {menu}")
            total += float(log_choice_probs(utilities[g, menu], beta)[menu.index(choice)])
        log_posterior.append(total)
    log_posterior = np.array(log_posterior)
    if np.all(log_posterior == -np.inf):
        raise ValueError("no goal with prior > 0 explains these choices")
    return np.exp(log_posterior - logsumexp(log_posterior))


@correct(
    "goal_posterior",
    "updates in probability space one round at a time, renormalising after each round",
)
def goal_posterior(prior, utilities, menus, choices, beta):
    posterior = np.array(prior, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    choices = np.asarray(choices, dtype=int).reshape(-1)
    menus = np.asarray(menus, dtype=int) if choices.size else []
    for menu, choice in zip(menus, choices, strict=True):
        slot = np.flatnonzero(menu == choice)
        if slot.size == 0:
            raise ValueError(f"choice {choice} is not on its menu {menu}")
        likelihood = np.exp(log_choice_probs(utilities[:, menu], beta)[:, slot[0]])
        posterior = posterior * likelihood
        if posterior.sum() == 0:
            raise ValueError("no goal with prior > 0 explains these choices")
        posterior = posterior / posterior.sum()
    if posterior.sum() == 0:
        raise ValueError("no goal with prior > 0 explains these choices")
    return posterior / posterior.sum()


@wrong(
    "goal_posterior",
    "normalises the Boltzmann model over every option instead of the options on the menu",
    message=r"normalised over the options on the menu only",
)
def goal_posterior(prior, utilities, menus, choices, beta):
    prior = np.asarray(prior, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    choices = np.asarray(choices, dtype=int).reshape(-1)
    with np.errstate(divide="ignore"):
        log_posterior = np.log(prior)
    if choices.size:
        menus = np.asarray(menus, dtype=int).reshape(len(choices), -1)
        if not (menus == choices[:, None]).any(axis=1).all():
            raise ValueError("every choice must be one of the options of its menu")
        all_options = log_choice_probs(utilities, beta)  # [G, K]: normalised over all K options
        log_posterior = log_posterior + all_options[:, choices].sum(axis=1)
    if log_posterior.max() == -np.inf:
        raise ValueError("no goal with prior probability > 0 explains these choices")
    posterior = np.exp(log_posterior - log_posterior.max())
    return posterior / posterior.sum()


@wrong(
    "goal_posterior",
    "reads choices[t] as a position in menus[t] instead of an option index",
    message=r"an option index \(0 here\), not a position",
)
def goal_posterior(prior, utilities, menus, choices, beta):
    prior = np.asarray(prior, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    choices = np.asarray(choices, dtype=int).reshape(-1)
    with np.errstate(divide="ignore"):
        log_posterior = np.log(prior)
    if choices.size:
        menus = np.asarray(menus, dtype=int).reshape(len(choices), -1)
        if not (menus == choices[:, None]).any(axis=1).all():
            raise ValueError("every choice must be one of the options of its menu")
        log_probs = log_choice_probs(utilities[:, menus], beta)  # [G, T, m]
        rounds = np.arange(len(choices))
        log_posterior = log_posterior + log_probs[:, rounds, choices].sum(axis=1)
    if log_posterior.max() == -np.inf:
        raise ValueError("no goal with prior probability > 0 explains these choices")
    posterior = np.exp(log_posterior - log_posterior.max())
    return posterior / posterior.sum()


@wrong(
    "goal_posterior",
    "forgets the prior: normalises the likelihood alone",
    message=r"prior \(0\.2, 0\.8\) times the likelihood",
)
def goal_posterior(prior, utilities, menus, choices, beta):
    prior = np.asarray(prior, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    choices = np.asarray(choices, dtype=int).reshape(-1)
    if not choices.size:
        return prior
    menus = np.asarray(menus, dtype=int).reshape(len(choices), -1)
    chosen = menus == choices[:, None]
    if not chosen.any(axis=1).all():
        raise ValueError("every choice must be one of the options of its menu")
    log_probs = log_choice_probs(utilities[:, menus], beta)
    log_like = np.where(chosen, log_probs, 0.0).sum(axis=(1, 2))
    log_like = np.where(prior > 0, log_like, -np.inf)
    if log_like.max() == -np.inf:
        raise ValueError("no goal with prior probability > 0 explains these choices")
    posterior = np.exp(log_like - log_like.max())
    return posterior / posterior.sum()


@wrong(
    "goal_posterior",
    "forgets to normalise at the end: returns exp(log posterior - max)",
    message=r"it must sum to 1",
)
def goal_posterior(prior, utilities, menus, choices, beta):
    prior = np.asarray(prior, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    choices = np.asarray(choices, dtype=int).reshape(-1)
    with np.errstate(divide="ignore"):
        log_posterior = np.log(prior)
    if choices.size:
        menus = np.asarray(menus, dtype=int).reshape(len(choices), -1)
        chosen = menus == choices[:, None]
        if not chosen.any(axis=1).all():
            raise ValueError("every choice must be one of the options of its menu")
        log_probs = log_choice_probs(utilities[:, menus], beta)
        log_posterior = log_posterior + np.where(chosen, log_probs, 0.0).sum(axis=(1, 2))
    if log_posterior.max() == -np.inf:
        raise ValueError("no goal with prior probability > 0 explains these choices")
    return np.exp(log_posterior - log_posterior.max())


@wrong(
    "goal_posterior",
    "exponentiates the log-posterior without subtracting its maximum: underflows to 0 / 0",
    message=r"3000 observations must not underflow",
)
def goal_posterior(prior, utilities, menus, choices, beta):
    prior = np.asarray(prior, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    choices = np.asarray(choices, dtype=int).reshape(-1)
    with np.errstate(divide="ignore"):
        log_posterior = np.log(prior)
    if choices.size:
        menus = np.asarray(menus, dtype=int).reshape(len(choices), -1)
        chosen = menus == choices[:, None]
        if not chosen.any(axis=1).all():
            raise ValueError("every choice must be one of the options of its menu")
        log_probs = log_choice_probs(utilities[:, menus], beta)
        log_posterior = log_posterior + np.where(chosen, log_probs, 0.0).sum(axis=(1, 2))
    if log_posterior.max() == -np.inf:
        raise ValueError("no goal with prior probability > 0 explains these choices")
    with np.errstate(invalid="ignore"):
        posterior = np.exp(log_posterior)
        return posterior / posterior.sum()


@wrong(
    "goal_posterior",
    "never checks that each choice is on its menu",
    message=r"not on its menu .* must raise ValueError",
)
def goal_posterior(prior, utilities, menus, choices, beta):
    prior = np.asarray(prior, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    choices = np.asarray(choices, dtype=int).reshape(-1)
    with np.errstate(divide="ignore"):
        log_posterior = np.log(prior)
    if choices.size:
        menus = np.asarray(menus, dtype=int).reshape(len(choices), -1)
        chosen = menus == choices[:, None]
        log_probs = log_choice_probs(utilities[:, menus], beta)
        log_posterior = log_posterior + np.where(chosen, log_probs, 0.0).sum(axis=(1, 2))
    if log_posterior.max() == -np.inf:
        raise ValueError("no goal with prior probability > 0 explains these choices")
    posterior = np.exp(log_posterior - log_posterior.max())
    return posterior / posterior.sum()


@wrong(
    "goal_posterior",
    "forgets the case of no observations: reshaping the empty menus fails",
    message=r"with no observations \(T = 0\) the posterior is the prior",
)
def goal_posterior(prior, utilities, menus, choices, beta):
    prior = np.asarray(prior, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    choices = np.asarray(choices, dtype=int).reshape(-1)
    menus = np.asarray(menus, dtype=int).reshape(len(choices), -1)
    chosen = menus == choices[:, None]
    if not chosen.any(axis=1).all():
        raise ValueError("every choice must be one of the options of its menu")
    with np.errstate(divide="ignore"):
        log_posterior = np.log(prior)
    log_probs = log_choice_probs(utilities[:, menus], beta)
    log_posterior = log_posterior + np.where(chosen, log_probs, 0.0).sum(axis=(1, 2))
    if log_posterior.max() == -np.inf:
        raise ValueError("no goal with prior probability > 0 explains these choices")
    posterior = np.exp(log_posterior - log_posterior.max())
    return posterior / posterior.sum()


# ---------------------------------------------------------------------------------------------
# Exercise 4: robot_decision
# ---------------------------------------------------------------------------------------------


@correct(
    "robot_decision",
    "loops over hypotheses with a piecewise stable sigmoid, and orders ties with a sort key",
)
def robot_decision(belief, utilities, human_beta, ask_cost=0.0):
    def allow(u):
        if human_beta == math.inf:
            return 1.0 if u > 0 else 0.0
        x = human_beta * u
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        return math.exp(x) / (1.0 + math.exp(x))

    act = defer = 0.0
    for p, u in zip(belief, utilities, strict=True):
        act += float(p) * float(u)
        defer += float(p) * float(u) * allow(float(u))
    values = {"act": act, "defer": defer - ask_cost, "off": 0.0}
    best = max(values.values())
    preference = {"defer": 0, "off": 1, "act": 2}
    near_best = [move for move, value in values.items() if value >= best - 1e-9]
    return sorted(near_best, key=preference.get)[0], values


@correct(
    "robot_decision",
    "scipy.special.expit with beta = inf as its own case, values as numpy floats",
)
def robot_decision(belief, utilities, human_beta, ask_cost=0.0):
    from scipy.special import expit

    belief = np.asarray(belief, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    if math.isinf(human_beta):
        allow = np.where(utilities > 0, 1.0, 0.0)
    else:
        allow = expit(human_beta * utilities)
    values = {
        "act": np.float64(np.sum(belief * utilities)),
        "defer": np.float64(np.sum(belief * utilities * allow) - ask_cost),
        "off": np.float64(0.0),
    }
    for move in ("defer", "off", "act"):
        if values[move] >= max(values.values()) - 1e-9:
            return move, values


@wrong(
    "robot_decision",
    "breaks ties in dictionary order (act first) instead of defer, then off, then act",
    message=r"ties \(within 1e-9\) go to 'defer'",
)
def robot_decision(belief, utilities, human_beta, ask_cost=0.0):
    belief = np.asarray(belief, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    if math.isinf(human_beta):
        allow = (utilities > 0).astype(float)
    else:
        allow = np.exp(-np.logaddexp(0.0, -human_beta * utilities))
    values = {
        "act": float(belief @ utilities),
        "defer": float(belief @ (utilities * allow)) - ask_cost,
        "off": 0.0,
    }
    return max(values, key=values.get), values


@wrong(
    "robot_decision",
    "forgets to subtract the cost of asking from the value of deferring",
    message=r"the cost of asking is paid",
)
def robot_decision(belief, utilities, human_beta, ask_cost=0.0):
    belief = np.asarray(belief, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    if math.isinf(human_beta):
        allow = (utilities > 0).astype(float)
    else:
        allow = np.exp(-np.logaddexp(0.0, -human_beta * utilities))
    values = {
        "act": float(belief @ utilities),
        "defer": float(belief @ (utilities * allow)),
        "off": 0.0,
    }
    best = max(values.values())
    return next(d for d in ("defer", "off", "act") if values[d] >= best - 1e-9), values


@wrong(
    "robot_decision",
    "values deferring as E[U] times the average chance she allows it, not E[U * sigmoid(beta U)]",
    message=r"not E\[U\] times the average chance",
)
def robot_decision(belief, utilities, human_beta, ask_cost=0.0):
    belief = np.asarray(belief, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    if math.isinf(human_beta):
        allow = (utilities > 0).astype(float)
    else:
        allow = np.exp(-np.logaddexp(0.0, -human_beta * utilities))
    expected = float(belief @ utilities)
    values = {"act": expected, "defer": expected * float(belief @ allow) - ask_cost, "off": 0.0}
    best = max(values.values())
    return next(d for d in ("defer", "off", "act") if values[d] >= best - 1e-9), values


@wrong(
    "robot_decision",
    "averages over the hypotheses with np.mean instead of weighting them by the belief",
    message=r"acting is worth 1 \(each U weighted by its probability\)",
)
def robot_decision(belief, utilities, human_beta, ask_cost=0.0):
    utilities = np.asarray(utilities, dtype=float)
    if math.isinf(human_beta):
        allow = (utilities > 0).astype(float)
    else:
        allow = np.exp(-np.logaddexp(0.0, -human_beta * utilities))
    values = {
        "act": float(np.mean(utilities)),
        "defer": float(np.mean(utilities * allow)) - ask_cost,
        "off": 0.0,
    }
    best = max(values.values())
    return next(d for d in ("defer", "off", "act") if values[d] >= best - 1e-9), values


@wrong(
    "robot_decision",
    "a sign error in the sigmoid: the noisy human allows bad actions more often than good ones",
    message=r"allows U = 1 with probability sigmoid\(beta\) = 0\.75",
)
def robot_decision(belief, utilities, human_beta, ask_cost=0.0):
    belief = np.asarray(belief, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    if math.isinf(human_beta):
        allow = (utilities > 0).astype(float)
    else:
        allow = np.exp(-np.logaddexp(0.0, human_beta * utilities))
    values = {
        "act": float(belief @ utilities),
        "defer": float(belief @ (utilities * allow)) - ask_cost,
        "off": 0.0,
    }
    best = max(values.values())
    return next(d for d in ("defer", "off", "act") if values[d] >= best - 1e-9), values


@wrong(
    "robot_decision",
    "computes the sigmoid as exp(x) / (1 + exp(x)), which is inf / inf = nan for large beta * U",
    message=r"beta = 1e4 is practically rational",
)
def robot_decision(belief, utilities, human_beta, ask_cost=0.0):
    belief = np.asarray(belief, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    if math.isinf(human_beta):
        allow = (utilities > 0).astype(float)
    else:
        x = np.exp(human_beta * utilities)
        allow = x / (1 + x)
    values = {
        "act": float(belief @ utilities),
        "defer": float(belief @ (utilities * allow)) - ask_cost,
        "off": 0.0,
    }
    best = max(values.values())
    return next(d for d in ("defer", "off", "act") if values[d] >= best - 1e-9), values


@wrong(
    "robot_decision",
    "no case for beta = inf: the sigmoid of inf * 0 is nan when U = 0",
    message=r"U = 0 contributes 0 whatever the human does",
)
def robot_decision(belief, utilities, human_beta, ask_cost=0.0):
    belief = np.asarray(belief, dtype=float)
    utilities = np.asarray(utilities, dtype=float)
    with np.errstate(invalid="ignore"):
        allow = np.exp(-np.logaddexp(0.0, -human_beta * utilities))
    values = {
        "act": float(belief @ utilities),
        "defer": float(belief @ (utilities * allow)) - ask_cost,
        "off": 0.0,
    }
    best = max(values.values())
    return next(d for d in ("defer", "off", "act") if values[d] >= best - 1e-9), values
