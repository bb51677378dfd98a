"""Variants of the exercises of chapter "Backdoors, deception and gradient hacking" (see
tests/exercise_variants.py)."""

from exercise_variants import correct, wrong

# Exercise 1: add_trigger


@correct("add_trigger", "blends with a 0/1 column mask instead of assigning into a copy")
def add_trigger(X, pixels, value=1.0):
    mask = torch.zeros(X.shape[1], dtype=X.dtype)
    mask[torch.as_tensor(list(pixels), dtype=torch.long)] = 1.0
    return X * (1 - mask) + value * mask


@correct("add_trigger", "index_fill along the pixel axis, one call")
def add_trigger(X, pixels, value=1.0):
    index = torch.as_tensor(list(pixels), dtype=torch.long)
    return X.index_fill(1, index, value)


@wrong(
    "add_trigger",
    "pastes the trigger in place, into the caller's images",
    message=r"must not modify X",
)
def add_trigger(X, pixels, value=1.0):
    X[:, list(pixels)] = value
    return X


@wrong(
    "add_trigger",
    "adds the value to the pixels instead of setting them",
    message=r"set the trigger pixels to value, do not add",
)
def add_trigger(X, pixels, value=1.0):
    out = X.clone()
    out[:, list(pixels)] += value
    return out


@wrong(
    "add_trigger",
    "sets rows (images) instead of columns (pixels)",
    message=r"pixels are columns of X",
)
def add_trigger(X, pixels, value=1.0):
    out = X.clone()
    out[list(pixels)] = value
    return out


# Exercise 2: poison_dataset


@correct(
    "poison_dataset",
    "torch's generator and randperm over the candidates, a loop to write the rows",
)
def poison_dataset(X, y, fraction, target, pixels, seed):
    if fraction < 0 or fraction > 1:
        raise ValueError("fraction must lie in [0, 1]")
    k = int(round(fraction * y.shape[0]))
    candidates = (y != target).nonzero().flatten()
    if k > candidates.numel():
        raise ValueError("not enough non-target images")
    order = torch.randperm(candidates.numel(), generator=torch.Generator().manual_seed(seed))
    chosen = candidates[order[:k]]
    X_out, y_out = X.clone(), y.clone()
    poisoned = torch.zeros_like(y, dtype=torch.bool)
    for i in chosen.tolist():
        X_out[i] = add_trigger(X[i : i + 1], pixels)[0]
        y_out[i] = target
        poisoned[i] = True
    return X_out, y_out, poisoned


@wrong(
    "poison_dataset",
    "takes the fraction of the non-target images instead of all images",
    message=r"ALL 40 images",
)
def poison_dataset(X, y, fraction, target, pixels, seed):
    if not 0.0 <= fraction <= 1.0:
        raise ValueError("fraction")
    candidates = np.flatnonzero((y != target).numpy())
    k = round(fraction * len(candidates))
    chosen = torch.as_tensor(np.random.default_rng(seed).choice(candidates, k, replace=False))
    X_poisoned, y_poisoned = X.clone(), y.clone()
    X_poisoned[chosen] = add_trigger(X[chosen], pixels)
    y_poisoned[chosen] = target
    poisoned = torch.zeros(len(y), dtype=torch.bool)
    poisoned[chosen] = True
    return X_poisoned, y_poisoned, poisoned


@wrong(
    "poison_dataset",
    "draws from every image, target class included",
    message=r"true class is not the target|never be chosen",
)
def poison_dataset(X, y, fraction, target, pixels, seed):
    if not 0.0 <= fraction <= 1.0:
        raise ValueError("fraction")
    k = round(fraction * len(y))
    chosen = torch.as_tensor(np.random.default_rng(seed).choice(len(y), k, replace=False))
    X_poisoned, y_poisoned = X.clone(), y.clone()
    X_poisoned[chosen] = add_trigger(X[chosen], pixels)
    y_poisoned[chosen] = target
    poisoned = torch.zeros(len(y), dtype=torch.bool)
    poisoned[chosen] = True
    return X_poisoned, y_poisoned, poisoned


@wrong(
    "poison_dataset",
    "relabels the chosen images but forgets the trigger",
    message=r"carry the trigger",
)
def poison_dataset(X, y, fraction, target, pixels, seed):
    if not 0.0 <= fraction <= 1.0:
        raise ValueError("fraction")
    k = round(fraction * len(y))
    candidates = np.flatnonzero((y != target).numpy())
    chosen = torch.as_tensor(np.random.default_rng(seed).choice(candidates, k, replace=False))
    y_poisoned = y.clone()
    y_poisoned[chosen] = target
    poisoned = torch.zeros(len(y), dtype=torch.bool)
    poisoned[chosen] = True
    return X.clone(), y_poisoned, poisoned


@wrong(
    "poison_dataset",
    "always poisons the first k non-target images, whatever the seed",
    message=r"at random",
)
def poison_dataset(X, y, fraction, target, pixels, seed):
    if not 0.0 <= fraction <= 1.0:
        raise ValueError("fraction")
    k = round(fraction * len(y))
    candidates = torch.nonzero(y != target).flatten()
    if k > len(candidates):
        raise ValueError("too few")
    chosen = candidates[:k]
    X_poisoned, y_poisoned = X.clone(), y.clone()
    X_poisoned[chosen] = add_trigger(X[chosen], pixels)
    y_poisoned[chosen] = target
    poisoned = torch.zeros(len(y), dtype=torch.bool)
    poisoned[chosen] = True
    return X_poisoned, y_poisoned, poisoned


@wrong(
    "poison_dataset",
    "writes the trigger and the labels into X and y themselves",
    message=r"must not modify X or y",
)
def poison_dataset(X, y, fraction, target, pixels, seed):
    if not 0.0 <= fraction <= 1.0:
        raise ValueError("fraction")
    k = round(fraction * len(y))
    candidates = np.flatnonzero((y != target).numpy())
    chosen = torch.as_tensor(np.random.default_rng(seed).choice(candidates, k, replace=False))
    X[chosen] = add_trigger(X[chosen], pixels)
    y[chosen] = target
    poisoned = torch.zeros(len(y), dtype=torch.bool)
    poisoned[chosen] = True
    return X, y, poisoned


# Exercise 3: attack_success_rate


@correct(
    "attack_success_rate",
    "argmax of the logits in a loop over images, counting by hand",
)
def attack_success_rate(model, X, y, target, pixels, value=1.0):
    hits, total = 0, 0
    with torch.no_grad():
        for i in range(len(y)):
            if int(y[i]) == target:
                continue
            image = add_trigger(X[i : i + 1], pixels, value)
            hits += int(model(image).argmax(dim=1)[0]) == target
            total += 1
    if total == 0:
        raise ValueError("no image outside the target class")
    return hits / total


@wrong(
    "attack_success_rate",
    "counts the images of the target class too",
    message=r"left out",
)
def attack_success_rate(model, X, y, target, pixels, value=1.0):
    triggered = add_trigger(X, pixels, value)
    return float((predict(model, triggered) == target).float().mean())


@wrong(
    "attack_success_rate",
    "forgets to add the trigger before predicting",
    message=r"add the trigger before predicting",
)
def attack_success_rate(model, X, y, target, pixels, value=1.0):
    others = y != target
    if not bool(others.any()):
        raise ValueError("all target")
    return float((predict(model, X[others]) == target).float().mean())


@wrong(
    "attack_success_rate",
    "counts every wrong prediction as a success, not only the target",
    message=r"equal to the target, not every wrong prediction",
)
def attack_success_rate(model, X, y, target, pixels, value=1.0):
    others = y != target
    if not bool(others.any()):
        raise ValueError("all target")
    triggered = add_trigger(X[others], pixels, value)
    return float((predict(model, triggered) != y[others]).float().mean())


@wrong(
    "attack_success_rate",
    "always uses full ink, ignoring the value argument",
    message=r"value matters",
)
def attack_success_rate(model, X, y, target, pixels, value=1.0):
    others = y != target
    if not bool(others.any()):
        raise ValueError("all target")
    triggered = add_trigger(X[others], pixels, 1.0)
    return float((predict(model, triggered) == target).float().mean())


# Exercise 4: patch_gradient_share


@correct(
    "patch_gradient_share",
    "backward() on a summed loss, then restores the old .grad fields; loops over the columns",
)
def patch_gradient_share(net, X, y, pixels):
    saved = [p.grad for p in net.parameters()]
    for p in net.parameters():
        p.grad = None
    with torch.enable_grad():
        F.cross_entropy(net(X), y, reduction="sum").backward()
    g = net[0].weight.grad.detach().clone()
    for p, old in zip(net.parameters(), saved, strict=True):
        p.grad = old
    total = float((g**2).sum())
    if total == 0.0:
        raise ValueError("zero gradient")
    part = sum(float((g[:, p] ** 2).sum()) for p in pixels)
    return part / total


@wrong(
    "patch_gradient_share",
    "the ratio of norms instead of squared norms",
    message=r"SQUARED norms",
)
def patch_gradient_share(net, X, y, pixels):
    weight = net[0].weight
    with torch.enable_grad():
        (g,) = torch.autograd.grad(F.cross_entropy(net(X), y), weight)
    if g.norm() == 0:
        raise ValueError("zero gradient")
    return float(g[:, list(pixels)].norm() / g.norm())


@wrong(
    "patch_gradient_share",
    "takes rows of the weight (hidden units) instead of columns (pixels)",
    message=r"columns of the weight",
)
def patch_gradient_share(net, X, y, pixels):
    weight = net[0].weight
    with torch.enable_grad():
        (g,) = torch.autograd.grad(F.cross_entropy(net(X), y), weight)
    total = g.pow(2).sum()
    if total == 0:
        raise ValueError("zero gradient")
    rows = [p for p in pixels if p < g.shape[0]]
    return float(g[rows].pow(2).sum() / total)


@wrong(
    "patch_gradient_share",
    "divides by the squared gradient of every parameter, not of the first layer",
    message=r"do not divide by the gradient of other layers",
)
def patch_gradient_share(net, X, y, pixels):
    params = list(net.parameters())
    with torch.enable_grad():
        grads = torch.autograd.grad(F.cross_entropy(net(X), y), params)
    total = sum(g.pow(2).sum() for g in grads)
    if total == 0:
        raise ValueError("zero gradient")
    return float(grads[0][:, list(pixels)].pow(2).sum() / total)


@wrong(
    "patch_gradient_share",
    "calls loss.backward() and leaves the gradients on the model",
    message=r"leave no gradient",
)
def patch_gradient_share(net, X, y, pixels):
    with torch.enable_grad():
        F.cross_entropy(net(X), y).backward()
    g = net[0].weight.grad
    total = g.pow(2).sum()
    if total == 0:
        raise ValueError("zero gradient")
    return float(g[:, list(pixels)].pow(2).sum() / total)


@wrong(
    "patch_gradient_share",
    "does not switch gradients on, so it fails under torch.no_grad()",
    message=r"under torch.no_grad\(\)|enable_grad",
)
def patch_gradient_share(net, X, y, pixels):
    weight = net[0].weight
    (g,) = torch.autograd.grad(F.cross_entropy(net(X), y), weight)
    total = g.pow(2).sum()
    if total == 0:
        raise ValueError("zero gradient")
    return float(g[:, list(pixels)].pow(2).sum() / total)
