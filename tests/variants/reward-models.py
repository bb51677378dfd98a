"""Variants of the reward-models chapter's exercises: other correct implementations, which must
pass every test, and plausible mistakes, which must fail with a message naming them."""

from exercise_variants import correct, wrong

# --- bradley_terry_loss -------------------------------------------------------------------


@correct("bradley_terry_loss", "binary cross-entropy with logits on the reward difference")
def bradley_terry_loss(reward_a, reward_b, prefers_a):
    return F.binary_cross_entropy_with_logits(reward_a - reward_b, prefers_a)


@correct("bradley_terry_loss", "softplus form, summed and divided by the count")
def bradley_terry_loss(reward_a, reward_b, prefers_a):
    margin = reward_b - reward_a
    terms = prefers_a * F.softplus(margin) + (1 - prefers_a) * F.softplus(-margin)
    return terms.sum() / len(terms)


@wrong("bradley_terry_loss", "the sigmoid of the sum of the rewards", message=r"sum of the rewards")
def bradley_terry_loss(reward_a, reward_b, prefers_a):
    total = reward_a + reward_b
    return -(prefers_a * F.logsigmoid(total) + (1 - prefers_a) * F.logsigmoid(-total)).mean()


@wrong("bradley_terry_loss", "labels flipped", message=r"wrong way round")
def bradley_terry_loss(reward_a, reward_b, prefers_a):
    margin = reward_a - reward_b
    return -((1 - prefers_a) * F.logsigmoid(margin) + prefers_a * F.logsigmoid(-margin)).mean()


@wrong("bradley_terry_loss", "sum over pairs instead of the mean", message=r"take the mean")
def bradley_terry_loss(reward_a, reward_b, prefers_a):
    margin = reward_a - reward_b
    return -(prefers_a * F.logsigmoid(margin) + (1 - prefers_a) * F.logsigmoid(-margin)).sum()


@wrong("bradley_terry_loss", "log of the sigmoid, which overflows", message=r"F\.logsigmoid")
def bradley_terry_loss(reward_a, reward_b, prefers_a):
    p = torch.sigmoid(reward_a - reward_b)
    return -(prefers_a * torch.log(p) + (1 - prefers_a) * torch.log(1 - p)).mean()


@wrong("bradley_terry_loss", "computed in NumPy, so no gradient", message=r"no gradient")
def bradley_terry_loss(reward_a, reward_b, prefers_a):
    margin = (reward_a - reward_b).detach().numpy()
    y = prefers_a.numpy()
    value = np.mean(y * np.logaddexp(0, -margin) + (1 - y) * np.logaddexp(0, margin))
    return torch.tensor(value)


# --- best_of_n ------------------------------------------------------------------------------


@correct("best_of_n", "loops over ranks with the closed form of the KL rewritten")
def best_of_n(proxy, gold, n):
    if n < 1:
        raise ValueError("n must be >= 1")
    m = len(proxy)
    ranked = [gold[i] for i in sorted(range(m), key=lambda i: proxy[i])]
    total = 0.0
    for i, value in enumerate(ranked, start=1):
        total += ((i / m) ** n - ((i - 1) / m) ** n) * value
    return float(np.log(n) - 1 + 1 / n), float(total)


@wrong("best_of_n", "KL of best-of-n as log n", message=r"forgets the \(n - 1\) / n term")
def best_of_n(proxy, gold, n):
    if n < 1:
        raise ValueError("n must be >= 1")
    m = len(proxy)
    rank = np.arange(1, m + 1) / m
    weights = rank**n - (rank - 1 / m) ** n
    return float(np.log(n)), float(weights @ gold[np.argsort(proxy, kind="stable")])


@wrong("best_of_n", "orders by the gold reward", message=r"ordered by the gold reward")
def best_of_n(proxy, gold, n):
    if n < 1:
        raise ValueError("n must be >= 1")
    m = len(proxy)
    rank = np.arange(1, m + 1) / m
    weights = rank**n - (rank - 1 / m) ** n
    return float(np.log(n) - (n - 1) / n), float(weights @ np.sort(gold))


@wrong("best_of_n", "keeps the lowest proxy", message=r"keeps the highest proxy")
def best_of_n(proxy, gold, n):
    if n < 1:
        raise ValueError("n must be >= 1")
    m = len(proxy)
    rank = np.arange(1, m + 1) / m
    weights = rank**n - (rank - 1 / m) ** n
    order = np.argsort(-proxy, kind="stable")
    return float(np.log(n) - (n - 1) / n), float(weights @ gold[order])


@wrong("best_of_n", "weights not differenced", message=r"must sum to 1")
def best_of_n(proxy, gold, n):
    if n < 1:
        raise ValueError("n must be >= 1")
    m = len(proxy)
    weights = (np.arange(1, m + 1) / m) ** n
    return float(np.log(n) - (n - 1) / n), float(weights @ gold[np.argsort(proxy)])


# --- disagreement_queries -------------------------------------------------------------------


@correct("disagreement_queries", "variance in a Python sort on (-variance, index)")
def disagreement_queries(predictions, count):
    if count < 0 or count > predictions.shape[1]:
        raise ValueError("count out of range")
    variance = predictions.var(axis=0)
    ranked = sorted(range(len(variance)), key=lambda j: (-variance[j], j))
    return np.array(ranked[:count], dtype=int)


@wrong("disagreement_queries", "picks the least disagreed pairs", message=r"agree on most")
def disagreement_queries(predictions, count):
    if count < 0 or count > predictions.shape[1]:
        raise ValueError("count out of range")
    return np.argsort(predictions.std(axis=0), kind="stable")[:count]


@wrong(
    "disagreement_queries", "spread over the wrong axis", message=r"axis 0", error="AssertionError"
)
def disagreement_queries(predictions, count):
    if count < 0 or count > predictions.shape[1]:
        raise ValueError("count out of range")
    return np.argsort(-predictions.std(axis=1), kind="stable")[:count]


@wrong(
    "disagreement_queries",
    "uncertainty of the average instead of disagreement",
    message=r"not the average's uncertainty",
)
def disagreement_queries(predictions, count):
    if count < 0 or count > predictions.shape[1]:
        raise ValueError("count out of range")
    closeness = np.abs(predictions.mean(axis=0) - 0.5)
    return np.argsort(closeness, kind="stable")[:count]
