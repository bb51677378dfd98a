"""Variants of the exercises of chapter "Gradient starvation" (see tests/exercise_variants.py)."""

from exercise_variants import correct, wrong

# Exercise 1: feature_evidence


@correct(
    "feature_evidence",
    "loops over examples with Python floats, and zeroes the feature by multiplying with a mask",
)
def feature_evidence(net, X, y, feature):
    keep = torch.ones(X.shape[1])
    keep[feature] = 0.0
    with torch.no_grad():
        before, after = net(X), net(X * keep)
    total = 0.0
    for i in range(X.shape[0]):
        label = int(y[i])
        for logits, sign in ((before[i].tolist(), 1.0), (after[i].tolist(), -1.0)):
            others = [v for k, v in enumerate(logits) if k != label]
            total += sign * (logits[label] - max(others))
    return total / X.shape[0]


@correct(
    "feature_evidence",
    "takes the two largest logits with topk and returns a numpy float64 (a float subclass)",
)
def feature_evidence(net, X, y, feature):
    def margins(inputs):
        logits = net(inputs)
        top = logits.topk(2, dim=1)
        best_other = torch.where(top.indices[:, 0] == y, top.values[:, 1], top.values[:, 0])
        return logits[torch.arange(len(y)), y] - best_other

    with torch.inference_mode():
        ablated = torch.index_fill(X, 1, torch.tensor([feature]), 0.0)
        return np.mean((margins(X) - margins(ablated)).numpy().astype(np.float64))


@wrong(
    "feature_evidence",
    "subtracts the mean of the other logits instead of the largest one",
    message=r"against the largest other logit",
)
def feature_evidence(net, X, y, feature):
    def margins(inputs):
        logits = net(inputs)
        true = logits.gather(1, y[:, None]).squeeze(1)
        others = (logits.sum(dim=1) - true) / (logits.shape[1] - 1)
        return true - others

    with torch.no_grad():
        ablated = X.clone()
        ablated[:, feature] = 0.0
        return float((margins(X) - margins(ablated)).mean())


@wrong(
    "feature_evidence",
    "sets the feature to 0 in X itself (in place) after measuring the margins on it",
    message=r"must not modify X",
)
def feature_evidence(net, X, y, feature):
    def margins(inputs):
        logits = net(inputs)
        true = logits.gather(1, y[:, None]).squeeze(1)
        others = logits.scatter(1, y[:, None], float("-inf"))
        return true - others.max(dim=1).values

    with torch.no_grad():
        before = margins(X)
        X[:, feature] = 0.0
        return float((before - margins(X)).mean())


@wrong(
    "feature_evidence",
    "zeroes row `feature` (one example) instead of column `feature` (wrong axis)",
    message=r"column k of X",
)
def feature_evidence(net, X, y, feature):
    def margins(inputs):
        logits = net(inputs)
        true = logits.gather(1, y[:, None]).squeeze(1)
        others = logits.scatter(1, y[:, None], float("-inf"))
        return true - others.max(dim=1).values

    with torch.no_grad():
        ablated = X.clone()
        ablated[feature] = 0.0
        return float((margins(X) - margins(ablated)).mean())


@wrong(
    "feature_evidence",
    "uses the logit of the true class alone as the margin, subtracting no other logit",
    message=r"adding the same amount to every logit must not change",
)
def feature_evidence(net, X, y, feature):
    with torch.no_grad():
        ablated = X.clone()
        ablated[:, feature] = 0.0
        true = net(X).gather(1, y[:, None]).squeeze(1)
        true_ablated = net(ablated).gather(1, y[:, None]).squeeze(1)
        return float((true - true_ablated).mean())


@wrong(
    "feature_evidence",
    "returns the margin without the feature minus the margin with it (a sign)",
    message=r"must be positive",
)
def feature_evidence(net, X, y, feature):
    def margins(inputs):
        logits = net(inputs)
        true = logits.gather(1, y[:, None]).squeeze(1)
        others = logits.scatter(1, y[:, None], float("-inf"))
        return true - others.max(dim=1).values

    with torch.no_grad():
        ablated = X.clone()
        ablated[:, feature] = 0.0
        return float((margins(ablated) - margins(X)).mean())


@wrong(
    "feature_evidence",
    "sums the drops over examples instead of averaging them",
    message=r"mean over examples",
)
def feature_evidence(net, X, y, feature):
    def margins(inputs):
        logits = net(inputs)
        true = logits.gather(1, y[:, None]).squeeze(1)
        others = logits.scatter(1, y[:, None], float("-inf"))
        return true - others.max(dim=1).values

    with torch.no_grad():
        ablated = X.clone()
        ablated[:, feature] = 0.0
        return float((margins(X) - margins(ablated)).sum())


@wrong(
    "feature_evidence",
    "returns the mean as a 0-dim tensor instead of a Python float",
    message=r"return a Python float, got Tensor$",
)
def feature_evidence(net, X, y, feature):
    def margins(inputs):
        logits = net(inputs)
        true = logits.gather(1, y[:, None]).squeeze(1)
        others = logits.scatter(1, y[:, None], float("-inf"))
        return true - others.max(dim=1).values

    with torch.no_grad():
        ablated = X.clone()
        ablated[:, feature] = 0.0
        return (margins(X) - margins(ablated)).mean()


@wrong(
    "feature_evidence",
    "removes the feature's column instead of setting it to 0, so the network gets too few inputs",
    message=r"instead of removing its column",
)
def feature_evidence(net, X, y, feature):
    def margins(inputs):
        logits = net(inputs)
        true = logits.gather(1, y[:, None]).squeeze(1)
        others = logits.scatter(1, y[:, None], float("-inf"))
        return true - others.max(dim=1).values

    with torch.no_grad():
        kept = [k for k in range(X.shape[1]) if k != feature]
        return float((margins(X) - margins(X[:, kept])).mean())


@wrong(
    "feature_evidence",
    "tracks gradients (no torch.no_grad) and converts with .numpy(), which autograd refuses",
    message=r"measure without tracking gradients",
)
def feature_evidence(net, X, y, feature):
    def margins(inputs):
        logits = net(inputs)
        true = logits.gather(1, y[:, None]).squeeze(1)
        others = logits.scatter(1, y[:, None], float("-inf"))
        return true - others.max(dim=1).values

    ablated = X.clone()
    ablated[:, feature] = 0.0
    return float((margins(X) - margins(ablated)).numpy().mean())


# Exercise 2: logit_gradient_norm


@correct(
    "logit_gradient_norm",
    "loops over examples with math.exp after subtracting the largest logit; returns float64",
)
def logit_gradient_norm(logits, y):
    import math

    norms = []
    for row, label in zip(logits.tolist(), y.tolist(), strict=True):
        top = max(row)
        weights = [math.exp(v - top) for v in row]
        total = sum(weights)
        squares = [(w / total - (k == label)) ** 2 for k, w in enumerate(weights)]
        norms.append(math.sqrt(sum(squares)))
    return torch.tensor(norms, dtype=torch.float64)


@correct(
    "logit_gradient_norm",
    "expands the square: ||p - e_y||^2 = sum p^2 - 2 p_y + 1, from exp(log_softmax), in float64",
)
def logit_gradient_norm(logits, y):
    p = torch.log_softmax(logits.double(), dim=1).exp()
    p_y = p.gather(1, y[:, None]).squeeze(1)
    return ((p**2).sum(dim=1) - 2 * p_y + 1).clamp(min=0).sqrt()


@correct(
    "logit_gradient_norm",
    "writes the stable softmax by hand and subtracts 1 at the label with index_put",
)
def logit_gradient_norm(logits, y):
    shifted = logits - logits.max(dim=1, keepdim=True).values
    weights = shifted.exp()
    residual = weights / weights.sum(dim=1, keepdim=True)
    minus_one = torch.tensor(-1.0, dtype=logits.dtype)
    residual = residual.index_put((torch.arange(len(y)), y), minus_one, accumulate=True)
    return torch.linalg.vector_norm(residual, dim=1)


@wrong(
    "logit_gradient_norm",
    "takes the norm over the examples (dim 0) instead of over the classes",
    message=r"one norm per example",
)
def logit_gradient_norm(logits, y):
    residual = torch.softmax(logits, dim=1) - F.one_hot(y, logits.shape[1]).to(logits.dtype)
    return residual.norm(dim=0)


@wrong(
    "logit_gradient_norm",
    "takes the softmax over the examples (dim 0) instead of over the classes",
    message=r"only on its own logits",
)
def logit_gradient_norm(logits, y):
    residual = torch.softmax(logits, dim=0) - F.one_hot(y, logits.shape[1]).to(logits.dtype)
    return residual.norm(dim=1)


@wrong(
    "logit_gradient_norm",
    "forgets the one-hot vector and returns the norm of the probabilities",
    message=r"nothing left to learn",
)
def logit_gradient_norm(logits, y):
    return torch.softmax(logits, dim=1).norm(dim=1)


@wrong(
    "logit_gradient_norm",
    "returns the squared norm",
    message=r"square of the norm",
)
def logit_gradient_norm(logits, y):
    residual = torch.softmax(logits, dim=1) - F.one_hot(y, logits.shape[1]).to(logits.dtype)
    return (residual**2).sum(dim=1)


@wrong(
    "logit_gradient_norm",
    "uses log-softmax instead of softmax",
    message=r"between 0 and sqrt\(2\)",
)
def logit_gradient_norm(logits, y):
    residual = torch.log_softmax(logits, dim=1) - F.one_hot(y, logits.shape[1]).to(logits.dtype)
    return residual.norm(dim=1)


@wrong(
    "logit_gradient_norm",
    "writes the softmax by hand without subtracting the largest logit (overflow at 1000)",
    message=r"numerically stable softmax",
)
def logit_gradient_norm(logits, y):
    weights = logits.exp()
    residual = weights / weights.sum(dim=1, keepdim=True)
    residual = residual - F.one_hot(y, logits.shape[1]).to(logits.dtype)
    return residual.norm(dim=1)


@wrong(
    "logit_gradient_norm",
    "uses the two-class formula sqrt(2) (1 - p_y) for any number of classes",
    message=r"with 4 classes each norm must equal the norm of the autograd gradient",
)
def logit_gradient_norm(logits, y):
    p_y = torch.softmax(logits, dim=1).gather(1, y[:, None]).squeeze(1)
    return 2**0.5 * (1 - p_y)


@wrong(
    "logit_gradient_norm",
    "builds the one-hot vectors with as many classes as the largest label, not as the logits",
    message=r"need not contain every class",
)
def logit_gradient_norm(logits, y):
    residual = torch.softmax(logits, dim=1) - F.one_hot(y).to(logits.dtype)
    return residual.norm(dim=1)


@wrong(
    "logit_gradient_norm",
    "subtracts the largest logit in place to stabilise the softmax, changing the caller's logits",
    message=r"must not modify its input logits",
)
def logit_gradient_norm(logits, y):
    logits -= logits.max(dim=1, keepdim=True).values
    weights = logits.exp()
    residual = weights / weights.sum(dim=1, keepdim=True)
    residual = residual - F.one_hot(y, logits.shape[1]).to(logits.dtype)
    return residual.norm(dim=1)


# Exercise 3: spectral_decoupling_loss


@correct(
    "spectral_decoupling_loss",
    "writes the cross-entropy with log_softmax and gather, and the norm with linalg",
)
def spectral_decoupling_loss(logits, y, lam):
    if not lam >= 0:
        raise ValueError(f"lam = {lam} is negative: the penalty would reward large logits")
    nll = -torch.log_softmax(logits, dim=1).gather(1, y[:, None]).mean()
    return nll + 0.5 * lam * (torch.linalg.vector_norm(logits, dim=1) ** 2).mean()


@correct(
    "spectral_decoupling_loss",
    "sums over all entries and divides by the number of examples, computing in float64",
)
def spectral_decoupling_loss(logits, y, lam):
    if lam < 0:
        raise ValueError("lam must not be negative")
    z = logits.double()
    return F.nll_loss(F.log_softmax(z, dim=1), y) + lam / 2 * (z * z).sum() / z.shape[0]


@wrong(
    "spectral_decoupling_loss",
    "sums the penalty over the examples instead of averaging it",
    message=r"the penalty is a mean over examples",
)
def spectral_decoupling_loss(logits, y, lam):
    if lam < 0:
        raise ValueError(f"lam must be >= 0, got {lam}")
    return F.cross_entropy(logits, y) + lam / 2 * logits.pow(2).sum()


@wrong(
    "spectral_decoupling_loss",
    "multiplies by lam instead of lam / 2",
    message=r"twice too much, the factor is lam / 2",
)
def spectral_decoupling_loss(logits, y, lam):
    if lam < 0:
        raise ValueError(f"lam must be >= 0, got {lam}")
    return F.cross_entropy(logits, y) + lam * logits.pow(2).sum(dim=1).mean()


@wrong(
    "spectral_decoupling_loss",
    "penalises the norm of the logits instead of the squared norm",
    message=r"quadratic in the logits",
)
def spectral_decoupling_loss(logits, y, lam):
    if lam < 0:
        raise ValueError(f"lam must be >= 0, got {lam}")
    return F.cross_entropy(logits, y) + lam / 2 * logits.norm(dim=1).mean()


@wrong(
    "spectral_decoupling_loss",
    "averages the squares over classes too (mean over every entry)",
    message=r"sums over the classes",
)
def spectral_decoupling_loss(logits, y, lam):
    if lam < 0:
        raise ValueError(f"lam must be >= 0, got {lam}")
    return F.cross_entropy(logits, y) + lam / 2 * logits.pow(2).mean()


@wrong(
    "spectral_decoupling_loss",
    "penalises the probabilities instead of the logits",
    message=r"the penalty is on the logits",
)
def spectral_decoupling_loss(logits, y, lam):
    if lam < 0:
        raise ValueError(f"lam must be >= 0, got {lam}")
    p = torch.softmax(logits, dim=1)
    return F.cross_entropy(logits, y) + lam / 2 * p.pow(2).sum(dim=1).mean()


@wrong(
    "spectral_decoupling_loss",
    "forgets the ValueError for a negative lam",
    message=r"lam = -0.1 must raise ValueError",
)
def spectral_decoupling_loss(logits, y, lam):
    return F.cross_entropy(logits, y) + lam / 2 * logits.pow(2).sum(dim=1).mean()


@wrong(
    "spectral_decoupling_loss",
    "raises a ValueError that does not say what is wrong",
    message=r"must say what is wrong with lam",
)
def spectral_decoupling_loss(logits, y, lam):
    if lam < 0:
        raise ValueError()
    return F.cross_entropy(logits, y) + lam / 2 * logits.pow(2).sum(dim=1).mean()
