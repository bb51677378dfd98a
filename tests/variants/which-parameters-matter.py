"""Variants of the "Which parameters matter" exercises (see tests/exercise_variants.py)."""

from exercise_variants import correct, wrong

# --- reset_layer -------------------------------------------------------------------------------


@correct(
    "reset_layer",
    "copies a state_dict, writes the layer's entries by name, and draws with nn.init.uniform_",
)
def reset_layer(net, initial, layer, mode, seed=0):
    if mode != "initial" and mode != "random":
        raise ValueError("unknown mode")
    new = copy.deepcopy(net)
    target = linear_layers(new)[layer]
    if mode == "initial":
        state = target.state_dict()
        state["weight"] = initial[2 * layer].clone()
        state["bias"] = initial[2 * layer + 1].clone()
        target.load_state_dict(state)
    else:
        g = torch.Generator().manual_seed(seed)
        fan_in = target.in_features
        with torch.no_grad():
            torch.nn.init.uniform_(target.weight, -(fan_in**-0.5), fan_in**-0.5, generator=g)
            torch.nn.init.uniform_(target.bias, -(fan_in**-0.5), fan_in**-0.5, generator=g)
    return new


@correct(
    "reset_layer",
    "draws the fresh values with NumPy and finds the layer's parameters by counting in a loop",
)
def reset_layer(net, initial, layer, mode, seed=0):
    if mode not in {"initial", "random"}:
        raise ValueError(f"bad mode {mode}")
    new = copy.deepcopy(net)
    params = list(new.parameters())
    weight, bias = params[2 * layer], params[2 * layer + 1]
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        if mode == "initial":
            weight[:] = initial[2 * layer]
            bias[:] = initial[2 * layer + 1]
        else:
            bound = 1 / np.sqrt(weight.shape[1])
            weight[:] = torch.from_numpy(rng.uniform(-bound, bound, tuple(weight.shape)))
            bias[:] = torch.from_numpy(rng.uniform(-bound, bound, tuple(bias.shape)))
    return new


@wrong(
    "reset_layer",
    "resets the bias but not the weight",
    message=r"layer 1's weight was not reset to its initial value",
)
def reset_layer(net, initial, layer, mode, seed=0):
    if mode not in ("initial", "random"):
        raise ValueError(mode)
    new = copy.deepcopy(net)
    target = linear_layers(new)[layer]
    with torch.no_grad():
        if mode == "initial":
            target.bias.copy_(initial[2 * layer + 1])
        else:
            g = torch.Generator().manual_seed(seed)
            bound = 1 / math.sqrt(target.weight.shape[1])
            target.bias.uniform_(-bound, bound, generator=g)
    return new


@wrong(
    "reset_layer",
    "resets the layer in place, so the trained network is lost",
    message=r"must not modify net",
)
def reset_layer(net, initial, layer, mode, seed=0):
    if mode not in ("initial", "random"):
        raise ValueError(mode)
    target = linear_layers(net)[layer]
    with torch.no_grad():
        if mode == "initial":
            target.weight.copy_(initial[2 * layer])
            target.bias.copy_(initial[2 * layer + 1])
        else:
            g = torch.Generator().manual_seed(seed)
            bound = 1 / math.sqrt(target.weight.shape[1])
            target.weight.uniform_(-bound, bound, generator=g)
            target.bias.uniform_(-bound, bound, generator=g)
    return net


@wrong(
    "reset_layer",
    "indexes the nn.Sequential directly, so layer 1 is the ReLU",
    message=r"Count linear layers only",
)
def reset_layer(net, initial, layer, mode, seed=0):
    if mode not in ("initial", "random"):
        raise ValueError(mode)
    new = copy.deepcopy(net)
    target = new[layer]
    with torch.no_grad():
        if mode == "initial":
            target.weight.copy_(initial[2 * layer])
            target.bias.copy_(initial[2 * layer + 1])
        else:
            g = torch.Generator().manual_seed(seed)
            bound = 1 / math.sqrt(target.weight.shape[1])
            target.weight.uniform_(-bound, bound, generator=g)
            target.bias.uniform_(-bound, bound, generator=g)
    return new


@wrong(
    "reset_layer",
    "draws the fresh weights from a standard normal instead of the initial distribution",
    message=r"same distribution as at initialization",
)
def reset_layer(net, initial, layer, mode, seed=0):
    if mode not in ("initial", "random"):
        raise ValueError(mode)
    new = copy.deepcopy(net)
    target = linear_layers(new)[layer]
    with torch.no_grad():
        if mode == "initial":
            target.weight.copy_(initial[2 * layer])
            target.bias.copy_(initial[2 * layer + 1])
        else:
            g = torch.Generator().manual_seed(seed)
            target.weight.copy_(torch.randn(target.weight.shape, generator=g))
            target.bias.copy_(torch.randn(target.bias.shape, generator=g))
    return new


@wrong(
    "reset_layer",
    "uses the number of outputs (fan_out) for the bound",
    message=r"same distribution as at initialization",
)
def reset_layer(net, initial, layer, mode, seed=0):
    if mode not in ("initial", "random"):
        raise ValueError(mode)
    new = copy.deepcopy(net)
    target = linear_layers(new)[layer]
    with torch.no_grad():
        if mode == "initial":
            target.weight.copy_(initial[2 * layer])
            target.bias.copy_(initial[2 * layer + 1])
        else:
            g = torch.Generator().manual_seed(seed)
            bound = 1 / math.sqrt(target.weight.shape[0])
            target.weight.uniform_(-bound, bound, generator=g)
            target.bias.uniform_(-bound, bound, generator=g)
    return new


@wrong(
    "reset_layer",
    "mode 'random' puts back the initial values, the same as mode 'initial'",
    message=r"must draw fresh values, not restore the initial ones",
)
def reset_layer(net, initial, layer, mode, seed=0):
    if mode not in ("initial", "random"):
        raise ValueError(mode)
    new = copy.deepcopy(net)
    target = linear_layers(new)[layer]
    with torch.no_grad():
        target.weight.copy_(initial[2 * layer])
        target.bias.copy_(initial[2 * layer + 1])
    return new


@wrong(
    "reset_layer",
    "draws from torch's global generator, so the same seed gives another draw",
    message=r"same seed must give the same fresh values",
)
def reset_layer(net, initial, layer, mode, seed=0):
    if mode not in ("initial", "random"):
        raise ValueError(mode)
    new = copy.deepcopy(net)
    target = linear_layers(new)[layer]
    with torch.no_grad():
        if mode == "initial":
            target.weight.copy_(initial[2 * layer])
            target.bias.copy_(initial[2 * layer + 1])
        else:
            target.reset_parameters()
    return new


# --- random_subspace ---------------------------------------------------------------------------


@correct("random_subspace", "a [D, d] matrix from NumPy, columns normalised, P @ z")
def random_subspace(initial, dim, seed):
    rng = np.random.default_rng(seed)
    P = rng.standard_normal((initial.numel(), dim))
    P /= np.linalg.norm(P, axis=0, keepdims=True)
    P = torch.tensor(P, dtype=initial.dtype)
    theta0 = initial.clone()
    return lambda z: theta0 + P @ z


@correct(
    "random_subspace",
    "orthonormal directions from a QR decomposition of a Gaussian matrix (unit length too)",
)
def random_subspace(initial, dim, seed):
    g = torch.Generator().manual_seed(seed)
    q, _ = torch.linalg.qr(torch.randn(initial.numel(), dim, generator=g))
    base = initial.detach().clone()

    def point(z):
        return base + q @ z

    return point


@wrong(
    "random_subspace",
    "forgets to normalise: columns of standard normal entries have length about sqrt(D)",
    message=r"each direction \(column of P\) must have length 1",
)
def random_subspace(initial, dim, seed):
    g = torch.Generator().manual_seed(seed)
    P = torch.randn(initial.numel(), dim, generator=g)
    return lambda z: initial + P @ z


@wrong(
    "random_subspace",
    "normalises each row (one per parameter) instead of each column (one per direction)",
    message=r"each direction \(column of P\) must have length 1",
)
def random_subspace(initial, dim, seed):
    g = torch.Generator().manual_seed(seed)
    P = torch.randn(initial.numel(), dim, generator=g)
    P = P / P.norm(dim=1, keepdim=True)
    return lambda z: initial + P @ z


@wrong(
    "random_subspace",
    "draws the projection anew on every call of point",
    message=r"draw P once",
)
def random_subspace(initial, dim, seed):
    g = torch.Generator().manual_seed(seed)

    def point(z):
        P = torch.randn(initial.numel(), dim, generator=g)
        return initial + (P / P.norm(dim=0)) @ z

    return point


@wrong(
    "random_subspace",
    "leaves out theta_0, so z = 0 is the all-zero network",
    message=r"at z = 0 the point must be initial",
)
def random_subspace(initial, dim, seed):
    g = torch.Generator().manual_seed(seed)
    P = torch.randn(initial.numel(), dim, generator=g)
    P = P / P.norm(dim=0)
    return lambda z: P @ z


@wrong(
    "random_subspace",
    "uniform entries in [0, 1): every direction points nearly the same way",
    message=r"must be random directions",
)
def random_subspace(initial, dim, seed):
    g = torch.Generator().manual_seed(seed)
    P = torch.rand(initial.numel(), dim, generator=g)
    P = P / P.norm(dim=0)
    return lambda z: initial + P @ z


@wrong(
    "random_subspace",
    "goes through NumPy inside point, which cuts the gradient to z",
    message=r"no gradient reaches z",
)
def random_subspace(initial, dim, seed):
    rng = np.random.default_rng(seed)
    P = rng.standard_normal((initial.numel(), dim))
    P /= np.linalg.norm(P, axis=0)
    base = initial.numpy().copy()
    return lambda z: torch.tensor(base + P @ z.detach().numpy(), dtype=torch.float32)


# --- magnitude_mask ----------------------------------------------------------------------------


@correct("magnitude_mask", "a threshold at the k-th largest |w| (kthvalue), ties broken by order")
def magnitude_mask(weights, keep_fraction):
    if keep_fraction <= 0 or keep_fraction > 1:
        raise ValueError("keep_fraction must be in (0, 1]")
    flat = torch.cat([w.detach().reshape(-1).abs() for w in weights])
    k = round(keep_fraction * len(flat))
    threshold = torch.kthvalue(flat, len(flat) - k + 1).values if k else float("inf")
    above = flat > threshold
    ties = torch.nonzero(flat == threshold).flatten()[: k - int(above.sum())]
    above[ties] = True
    out, start = [], 0
    for w in weights:
        out.append(above[start : start + w.numel()].reshape(w.shape))
        start += w.numel()
    return out


@correct("magnitude_mask", "NumPy: argsort of the magnitudes, a Python loop over the tensors")
def magnitude_mask(weights, keep_fraction):
    if not (0 < keep_fraction <= 1):
        raise ValueError(f"bad keep_fraction {keep_fraction}")
    arrays = [w.detach().numpy() for w in weights]
    flat = np.concatenate([np.abs(a).ravel() for a in arrays])
    k = int(round(keep_fraction * flat.size))
    keep = np.zeros(flat.size, dtype=bool)
    keep[np.argsort(-flat, kind="stable")[:k]] = True
    masks, start = [], 0
    for a in arrays:
        masks.append(torch.from_numpy(keep[start : start + a.size].reshape(a.shape)))
        start += a.size
    return masks


@wrong(
    "magnitude_mask",
    "ranks each layer on its own (a per-layer mask) where the spec says global",
    message=r"global ranking, not per layer",
)
def magnitude_mask(weights, keep_fraction):
    if not 0 < keep_fraction <= 1:
        raise ValueError("keep_fraction")
    masks = []
    for w in weights:
        flat = w.detach().abs().flatten()
        keep = torch.zeros(flat.numel(), dtype=torch.bool)
        keep[flat.topk(round(keep_fraction * flat.numel())).indices] = True
        masks.append(keep.view(w.shape))
    return masks


@wrong(
    "magnitude_mask",
    "prunes by signed value instead of magnitude",
    message=r"ranks by signed value",
)
def magnitude_mask(weights, keep_fraction):
    if not 0 < keep_fraction <= 1:
        raise ValueError("keep_fraction")
    flat = torch.cat([w.detach().flatten() for w in weights])
    keep = torch.zeros(flat.numel(), dtype=torch.bool)
    keep[flat.topk(round(keep_fraction * flat.numel())).indices] = True
    return [
        p.view(w.shape)
        for p, w in zip(keep.split([w.numel() for w in weights]), weights, strict=True)
    ]


@wrong(
    "magnitude_mask",
    "keeps the smallest magnitudes (sorts ascending)",
    message=r"keeps the smallest magnitudes",
)
def magnitude_mask(weights, keep_fraction):
    if not 0 < keep_fraction <= 1:
        raise ValueError("keep_fraction")
    flat = torch.cat([w.detach().abs().flatten() for w in weights])
    keep = torch.zeros(flat.numel(), dtype=torch.bool)
    keep[flat.argsort()[: round(keep_fraction * flat.numel())]] = True
    return [
        p.view(w.shape)
        for p, w in zip(keep.split([w.numel() for w in weights]), weights, strict=True)
    ]


@wrong(
    "magnitude_mask",
    "takes keep_fraction of the weights still non-zero, not of all weights",
    message=r"fraction of all weights, pruned ones included",
)
def magnitude_mask(weights, keep_fraction):
    if not 0 < keep_fraction <= 1:
        raise ValueError("keep_fraction")
    flat = torch.cat([w.detach().abs().flatten() for w in weights])
    count = round(keep_fraction * int((flat != 0).sum()))
    keep = torch.zeros(flat.numel(), dtype=torch.bool)
    keep[flat.topk(count).indices] = True
    return [
        p.view(w.shape)
        for p, w in zip(keep.split([w.numel() for w in weights]), weights, strict=True)
    ]
