"""Variants of the "Memorization and generalization" exercises (see tests/exercise_variants.py)."""

from exercise_variants import correct, wrong

# --- corrupt_labels ----------------------------------------------------------------------------


@correct(
    "corrupt_labels",
    "NumPy's Generator: choice without replacement, then a draw of K - 1 values that skips the "
    "clean label",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    if not 0.0 <= noise_rate <= 1.0:
        raise ValueError(f"noise_rate must be in [0, 1], got {noise_rate}")
    rng = np.random.default_rng(seed)
    clean = y.numpy()
    n = len(clean)
    chosen = rng.choice(n, size=round(noise_rate * n), replace=False)
    new = rng.integers(0, num_classes - 1, size=len(chosen))
    new = new + (new >= clean[chosen])  # skip over the clean label
    noisy = clean.copy()
    noisy[chosen] = new
    mask = np.zeros(n, dtype=bool)
    mask[chosen] = True
    return torch.from_numpy(noisy).long(), torch.from_numpy(mask)


@correct(
    "corrupt_labels",
    "Python's random module in loops: random.sample for the examples, random.choice among the "
    "other classes",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    import random

    if noise_rate < 0 or noise_rate > 1:
        raise ValueError("noise_rate must be between 0 and 1")
    rng = random.Random(seed)
    labels = [int(v) for v in y]
    n = len(labels)
    mask = [False] * n
    for i in rng.sample(range(n), round(noise_rate * n)):
        others = [c for c in range(num_classes) if c != labels[i]]
        labels[i] = rng.choice(others)
        mask[i] = True
    return torch.tensor(labels, dtype=torch.int64), torch.tensor(mask)


@correct(
    "corrupt_labels",
    "orders the examples by uniform random keys and redraws a new label until it differs "
    "(rejection sampling)",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    if not 0.0 <= noise_rate <= 1.0:
        raise ValueError(f"bad noise_rate {noise_rate}")
    g = torch.Generator().manual_seed(seed)
    n = len(y)
    order = torch.argsort(torch.rand(n, generator=g))
    chosen = order[: round(noise_rate * n)]
    y_noisy = y.clone()
    for i in chosen.tolist():
        new = y[i]
        while new == y[i]:
            new = torch.randint(0, num_classes, (), generator=g)
        y_noisy[i] = new
    corrupted = torch.zeros(n, dtype=torch.bool)
    corrupted[chosen] = True
    return y_noisy, corrupted


@wrong(
    "corrupt_labels",
    "draws the new label from all K classes, so some corrupted labels keep their clean value",
    message=r"of the corrupted labels equals? their clean label: draw .*K - 1 other classes",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    if not 0.0 <= noise_rate <= 1.0:
        raise ValueError(f"noise_rate must be in [0, 1], got {noise_rate}")
    g = torch.Generator().manual_seed(seed)
    n = y.shape[0]
    chosen = torch.randperm(n, generator=g)[: round(noise_rate * n)]
    y_noisy = y.clone()
    y_noisy[chosen] = torch.randint(0, num_classes, (len(chosen),), generator=g)
    corrupted = torch.zeros(n, dtype=torch.bool)
    corrupted[chosen] = True
    return y_noisy, corrupted


@wrong(
    "corrupt_labels",
    "draws from all K classes and marks only the labels that changed, so fewer than "
    "round(noise_rate * n) are corrupted",
    message=r"marks 3\d.*K - 1 other classes",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    if not 0.0 <= noise_rate <= 1.0:
        raise ValueError(f"noise_rate must be in [0, 1], got {noise_rate}")
    g = torch.Generator().manual_seed(seed)
    n = y.shape[0]
    chosen = torch.randperm(n, generator=g)[: round(noise_rate * n)]
    y_noisy = y.clone()
    y_noisy[chosen] = torch.randint(0, num_classes, (len(chosen),), generator=g)
    return y_noisy, y_noisy != y


@wrong(
    "corrupt_labels",
    "shifts the label by randint(0, K) classes, and a shift of 0 leaves it unchanged",
    message=r"of the corrupted labels equals? their clean label: draw .*K - 1 other classes",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    if not 0.0 <= noise_rate <= 1.0:
        raise ValueError(f"noise_rate must be in [0, 1], got {noise_rate}")
    g = torch.Generator().manual_seed(seed)
    n = y.shape[0]
    chosen = torch.randperm(n, generator=g)[: round(noise_rate * n)]
    shift = torch.randint(0, num_classes, (len(chosen),), generator=g)
    y_noisy = y.clone()
    y_noisy[chosen] = (y[chosen] + shift) % num_classes
    corrupted = torch.zeros(n, dtype=torch.bool)
    corrupted[chosen] = True
    return y_noisy, corrupted


@wrong(
    "corrupt_labels",
    "truncates with int(noise_rate * n) instead of rounding",
    message=r"noise_rate 0\.29 .* round\(noise_rate \* n\) = 29 .*got 28",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    if not 0.0 <= noise_rate <= 1.0:
        raise ValueError(f"noise_rate must be in [0, 1], got {noise_rate}")
    g = torch.Generator().manual_seed(seed)
    n = y.shape[0]
    chosen = torch.randperm(n, generator=g)[: int(noise_rate * n)]
    shift = torch.randint(1, num_classes, (len(chosen),), generator=g)
    y_noisy = y.clone()
    y_noisy[chosen] = (y[chosen] + shift) % num_classes
    corrupted = torch.zeros(n, dtype=torch.bool)
    corrupted[chosen] = True
    return y_noisy, corrupted


@wrong(
    "corrupt_labels",
    "writes the new labels into y itself instead of a copy",
    message=r"must not modify its input y",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    if not 0.0 <= noise_rate <= 1.0:
        raise ValueError(f"noise_rate must be in [0, 1], got {noise_rate}")
    g = torch.Generator().manual_seed(seed)
    n = y.shape[0]
    chosen = torch.randperm(n, generator=g)[: round(noise_rate * n)]
    shift = torch.randint(1, num_classes, (len(chosen),), generator=g)
    y_noisy = y
    y_noisy[chosen] = (y[chosen] + shift) % num_classes
    corrupted = torch.zeros(n, dtype=torch.bool)
    corrupted[chosen] = True
    return y_noisy, corrupted


@wrong(
    "corrupt_labels",
    "corrupts the first round(noise_rate * n) examples instead of a random subset",
    message=r"chosen uniformly at random .*mean index",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    if not 0.0 <= noise_rate <= 1.0:
        raise ValueError(f"noise_rate must be in [0, 1], got {noise_rate}")
    g = torch.Generator().manual_seed(seed)
    n = y.shape[0]
    chosen = torch.arange(round(noise_rate * n))
    shift = torch.randint(1, num_classes, (len(chosen),), generator=g)
    y_noisy = y.clone()
    y_noisy[chosen] = (y[chosen] + shift) % num_classes
    corrupted = torch.zeros(n, dtype=torch.bool)
    corrupted[chosen] = True
    return y_noisy, corrupted


@wrong(
    "corrupt_labels",
    "ignores the seed and draws from torch's global random state",
    message=r"the same seed must give the same",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    if not 0.0 <= noise_rate <= 1.0:
        raise ValueError(f"noise_rate must be in [0, 1], got {noise_rate}")
    n = y.shape[0]
    chosen = torch.randperm(n)[: round(noise_rate * n)]
    shift = torch.randint(1, num_classes, (len(chosen),))
    y_noisy = y.clone()
    y_noisy[chosen] = (y[chosen] + shift) % num_classes
    corrupted = torch.zeros(n, dtype=torch.bool)
    corrupted[chosen] = True
    return y_noisy, corrupted


@wrong(
    "corrupt_labels",
    "seeds its generator with a fixed 0 instead of seed, so every seed gives the same result",
    message=r"different seeds must",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    if not 0.0 <= noise_rate <= 1.0:
        raise ValueError(f"noise_rate must be in [0, 1], got {noise_rate}")
    g = torch.Generator().manual_seed(0)
    n = y.shape[0]
    chosen = torch.randperm(n, generator=g)[: round(noise_rate * n)]
    shift = torch.randint(1, num_classes, (len(chosen),), generator=g)
    y_noisy = y.clone()
    y_noisy[chosen] = (y[chosen] + shift) % num_classes
    corrupted = torch.zeros(n, dtype=torch.bool)
    corrupted[chosen] = True
    return y_noisy, corrupted


@wrong(
    "corrupt_labels",
    "returns a mask of the first examples while corrupting a random subset",
    message=r"corrupted must be True exactly where the label changed",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    if not 0.0 <= noise_rate <= 1.0:
        raise ValueError(f"noise_rate must be in [0, 1], got {noise_rate}")
    g = torch.Generator().manual_seed(seed)
    n = y.shape[0]
    k = round(noise_rate * n)
    chosen = torch.randperm(n, generator=g)[:k]
    shift = torch.randint(1, num_classes, (k,), generator=g)
    y_noisy = y.clone()
    y_noisy[chosen] = (y[chosen] + shift) % num_classes
    corrupted = torch.zeros(n, dtype=torch.bool)
    corrupted[:k] = True
    return y_noisy, corrupted


@wrong(
    "corrupt_labels",
    "replaces a draw that hit the clean label by the next class, which doubles that class's chance",
    message=r"uniform over the other classes",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    if not 0.0 <= noise_rate <= 1.0:
        raise ValueError(f"noise_rate must be in [0, 1], got {noise_rate}")
    g = torch.Generator().manual_seed(seed)
    n = y.shape[0]
    chosen = torch.randperm(n, generator=g)[: round(noise_rate * n)]
    new = torch.randint(0, num_classes, (len(chosen),), generator=g)
    same = new == y[chosen]
    new[same] = (new[same] + 1) % num_classes
    y_noisy = y.clone()
    y_noisy[chosen] = new
    corrupted = torch.zeros(n, dtype=torch.bool)
    corrupted[chosen] = True
    return y_noisy, corrupted


@wrong(
    "corrupt_labels",
    "works in NumPy and returns arrays instead of tensors",
    message=r"y_noisy must be an int64 tensor, got ndarray",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    if not 0.0 <= noise_rate <= 1.0:
        raise ValueError(f"noise_rate must be in [0, 1], got {noise_rate}")
    rng = np.random.default_rng(seed)
    y_noisy = y.numpy().copy()
    n = len(y_noisy)
    chosen = rng.permutation(n)[: round(noise_rate * n)]
    y_noisy[chosen] = (y_noisy[chosen] + rng.integers(1, num_classes, len(chosen))) % num_classes
    corrupted = np.zeros(n, dtype=bool)
    corrupted[chosen] = True
    return y_noisy, corrupted


@wrong(
    "corrupt_labels",
    "does not check noise_rate, so 1.5 silently corrupts everything and -0.1 most labels",
    message=r"noise_rate=(1\.5|-0\.1) must raise ValueError",
)
def corrupt_labels(y, noise_rate, num_classes, seed):
    g = torch.Generator().manual_seed(seed)
    n = y.shape[0]
    chosen = torch.randperm(n, generator=g)[: round(noise_rate * n)]
    shift = torch.randint(1, num_classes, (len(chosen),), generator=g)
    y_noisy = y.clone()
    y_noisy[chosen] = (y[chosen] + shift) % num_classes
    corrupted = torch.zeros(n, dtype=torch.bool)
    corrupted[chosen] = True
    return y_noisy, corrupted


# --- memorization_fractions --------------------------------------------------------------------


@correct("memorization_fractions", "counts in a Python loop over the examples")
def memorization_fractions(predictions, y_clean, y_noisy, corrupted):
    total = memorized = clean = 0
    for p, c, z, is_corrupted in zip(
        predictions.tolist(), y_clean.tolist(), y_noisy.tolist(), corrupted.tolist(), strict=True
    ):
        if is_corrupted:
            total += 1
            memorized += p == z
            clean += p == c
    if total == 0:
        return float("nan"), float("nan")
    return memorized / total, clean / total


@correct(
    "memorization_fractions",
    "NumPy: sums of boolean products divided by the count, nan from 0 / 0 without a branch",
)
def memorization_fractions(predictions, y_clean, y_noisy, corrupted):
    p, c, z, m = (t.numpy() for t in (predictions, y_clean, y_noisy, corrupted))
    total = m.sum()
    with np.errstate(invalid="ignore"):
        memorized = np.float64(((p == z) & m).sum()) / total
        clean = np.float64(((p == c) & m).sum()) / total
    return float(memorized), float(clean)


@correct("memorization_fractions", "torch's mean over the selected examples returns nan itself")
def memorization_fractions(predictions, y_clean, y_noisy, corrupted):
    selected = predictions[corrupted]
    return (
        (selected == y_noisy[corrupted]).float().mean().item(),
        (selected == y_clean[corrupted]).float().mean().item(),
    )


@wrong(
    "memorization_fractions",
    "counts all examples instead of only the corrupted ones",
    message=r"count only the corrupted examples",
)
def memorization_fractions(predictions, y_clean, y_noisy, corrupted):
    if int(corrupted.sum()) == 0:
        return float("nan"), float("nan")
    memorized = (predictions == y_noisy).double().mean()
    clean = (predictions == y_clean).double().mean()
    return float(memorized), float(clean)


@wrong(
    "memorization_fractions",
    "swaps the two fractions",
    message=r"swapped",
)
def memorization_fractions(predictions, y_clean, y_noisy, corrupted):
    if int(corrupted.sum()) == 0:
        return float("nan"), float("nan")
    predicted = predictions[corrupted]
    clean = (predicted == y_clean[corrupted]).double().mean()
    memorized = (predicted == y_noisy[corrupted]).double().mean()
    return float(clean), float(memorized)


@wrong(
    "memorization_fractions",
    "divides the counts by n instead of the number of corrupted examples",
    message=r"divide by the number of corrupted examples",
)
def memorization_fractions(predictions, y_clean, y_noisy, corrupted):
    n = len(predictions)
    if int(corrupted.sum()) == 0:
        return float("nan"), float("nan")
    memorized = int(((predictions == y_noisy) & corrupted).sum()) / n
    clean = int(((predictions == y_clean) & corrupted).sum()) / n
    return memorized, clean


@wrong(
    "memorization_fractions",
    "takes the clean fraction as 1 - memorized, forgetting predictions of a third class",
    message=r"need not add up to 1",
)
def memorization_fractions(predictions, y_clean, y_noisy, corrupted):
    if int(corrupted.sum()) == 0:
        return float("nan"), float("nan")
    memorized = float((predictions[corrupted] == y_noisy[corrupted]).double().mean())
    return memorized, 1.0 - memorized


@wrong(
    "memorization_fractions",
    "returns 0 instead of nan when no example is corrupted",
    message=r"no corrupted example both must be nan",
)
def memorization_fractions(predictions, y_clean, y_noisy, corrupted):
    if int(corrupted.sum()) == 0:
        return 0.0, 0.0
    predicted = predictions[corrupted]
    memorized = (predicted == y_noisy[corrupted]).double().mean()
    clean = (predicted == y_clean[corrupted]).double().mean()
    return float(memorized), float(clean)


@wrong(
    "memorization_fractions",
    "divides by the number of corrupted examples without handling zero of them",
    message=r"no corrupted example .*instead of dividing by zero",
)
def memorization_fractions(predictions, y_clean, y_noisy, corrupted):
    total = int(corrupted.sum())
    memorized = int((predictions[corrupted] == y_noisy[corrupted]).sum()) / total
    clean = int((predictions[corrupted] == y_clean[corrupted]).sum()) / total
    return memorized, clean


# --- relative_distance -------------------------------------------------------------------------


@correct(
    "relative_distance",
    "flattens and concatenates everything into two vectors and takes torch's vector norm",
)
def relative_distance(params, init_params):
    params, init_params = list(params), list(init_params)
    if len(params) != len(init_params) or any(
        p.shape != q.shape for p, q in zip(params, init_params, strict=True)
    ):
        raise ValueError("params and init_params must match in count and shapes")
    theta = torch.cat([p.detach().reshape(-1) for p in params])
    theta_0 = torch.cat([q.reshape(-1) for q in init_params])
    return float(torch.linalg.vector_norm(theta - theta_0) / torch.linalg.vector_norm(theta_0))


@correct("relative_distance", "NumPy arrays and np.linalg.norm, in float64")
def relative_distance(params, init_params):
    params, init_params = list(params), list(init_params)
    if len(params) != len(init_params):
        raise ValueError("different numbers of tensors")
    current, initial = [], []
    for p, q in zip(params, init_params, strict=True):
        if tuple(p.shape) != tuple(q.shape):
            raise ValueError(f"shapes {tuple(p.shape)} and {tuple(q.shape)} differ")
        current.append(p.detach().numpy().astype(np.float64).ravel())
        initial.append(q.detach().numpy().astype(np.float64).ravel())
    theta, theta_0 = np.concatenate(current), np.concatenate(initial)
    return float(np.linalg.norm(theta - theta_0) / np.linalg.norm(theta_0))


@correct(
    "relative_distance",
    "torch.nn.utils.parameters_to_vector, under torch.no_grad instead of detaching",
)
def relative_distance(params, init_params):
    params, init_params = list(params), list(init_params)
    if len(params) != len(init_params):
        raise ValueError("params and init_params have different lengths")
    for p, q in zip(params, init_params, strict=True):
        if p.shape != q.shape:
            raise ValueError("a parameter's shape differs from its initial shape")
    with torch.no_grad():
        theta = torch.nn.utils.parameters_to_vector(params)
        theta_0 = torch.nn.utils.parameters_to_vector(init_params)
        return ((theta - theta_0).norm() / theta_0.norm()).item()


@wrong(
    "relative_distance",
    "averages the relative distances of the individual tensors",
    message=r"0\.208.*mean of the per-tensor distances",
)
def relative_distance(params, init_params):
    params, init_params = list(params), list(init_params)
    if len(params) != len(init_params):
        raise ValueError("lists differ in length")
    distances = []
    for p, q in zip(params, init_params, strict=True):
        if p.shape != q.shape:
            raise ValueError("shapes differ")
        distances.append(float((p.detach() - q).norm() / q.norm()))
    return sum(distances) / len(distances)


@wrong(
    "relative_distance",
    "adds up the relative distances of the individual tensors",
    message=r"0\.417.*sum or the largest of the per-tensor distances",
)
def relative_distance(params, init_params):
    params, init_params = list(params), list(init_params)
    if len(params) != len(init_params):
        raise ValueError("lists differ in length")
    total = 0.0
    for p, q in zip(params, init_params, strict=True):
        if p.shape != q.shape:
            raise ValueError("shapes differ")
        total += float((p.detach() - q).norm() / q.norm())
    return total


@wrong(
    "relative_distance",
    "forgets the square root: divides the sums of squares",
    message=r"0\.148.*square root",
)
def relative_distance(params, init_params):
    params, init_params = list(params), list(init_params)
    if len(params) != len(init_params):
        raise ValueError("lists differ in length")
    change = init = 0.0
    for p, q in zip(params, init_params, strict=True):
        if p.shape != q.shape:
            raise ValueError("shapes differ")
        change += float(((p.detach() - q) ** 2).sum())
        init += float((q**2).sum())
    return change / init


@wrong(
    "relative_distance",
    "divides by the norm of the current parameters instead of the initial ones",
    message=r"0\.581.*current parameters",
)
def relative_distance(params, init_params):
    params, init_params = list(params), list(init_params)
    if len(params) != len(init_params):
        raise ValueError("lists differ in length")
    if any(p.shape != q.shape for p, q in zip(params, init_params, strict=True)):
        raise ValueError("shapes differ")
    theta = torch.cat([p.detach().flatten() for p in params])
    theta_0 = torch.cat([q.flatten() for q in init_params])
    return float((theta - theta_0).norm() / theta.norm())


@wrong(
    "relative_distance",
    "takes the difference of the norms instead of the norm of the difference",
    message=r"0\.338.*norm of the difference",
)
def relative_distance(params, init_params):
    params, init_params = list(params), list(init_params)
    if len(params) != len(init_params):
        raise ValueError("lists differ in length")
    if any(p.shape != q.shape for p, q in zip(params, init_params, strict=True)):
        raise ValueError("shapes differ")
    theta = torch.cat([p.detach().flatten() for p in params])
    theta_0 = torch.cat([q.flatten() for q in init_params])
    return float(abs(theta_0.norm() - theta.norm()) / theta_0.norm())


@wrong(
    "relative_distance",
    "returns the absolute distance, not divided by the initial norm",
    message=r"5\.000.*divide it by",
)
def relative_distance(params, init_params):
    params, init_params = list(params), list(init_params)
    if len(params) != len(init_params):
        raise ValueError("lists differ in length")
    if any(p.shape != q.shape for p, q in zip(params, init_params, strict=True)):
        raise ValueError("shapes differ")
    theta = torch.cat([p.detach().flatten() for p in params])
    theta_0 = torch.cat([q.flatten() for q in init_params])
    return float((theta - theta_0).norm())


@wrong(
    "relative_distance",
    "converts to NumPy without detaching, which fails on parameters that require grad",
    message=r"require grad",
)
def relative_distance(params, init_params):
    params, init_params = list(params), list(init_params)
    if len(params) != len(init_params):
        raise ValueError("lists differ in length")
    if any(p.shape != q.shape for p, q in zip(params, init_params, strict=True)):
        raise ValueError("shapes differ")
    theta = np.concatenate([p.numpy().ravel() for p in params])
    theta_0 = np.concatenate([q.numpy().ravel() for q in init_params])
    return float(np.linalg.norm(theta - theta_0) / np.linalg.norm(theta_0))


@wrong(
    "relative_distance",
    "pairs the lists with zip and never checks their lengths, so extra tensors are ignored",
    message=r"list of 1 tensor against 2 initial tensors must raise ValueError",
)
def relative_distance(params, init_params):
    change = init = 0.0
    for p, q in zip(params, init_params):  # noqa: B905 (the mistake: no length check)
        if p.shape != q.shape:
            raise ValueError("shapes differ")
        change += float(((p.detach() - q) ** 2).sum())
        init += float((q**2).sum())
    return (change / init) ** 0.5


@wrong(
    "relative_distance",
    "compares only the total number of entries, so tensors of another shape pass",
    message=r"shape \(1, 2\) against an initial \(2,\) must raise ValueError",
)
def relative_distance(params, init_params):
    theta = torch.cat([p.detach().flatten() for p in params])
    theta_0 = torch.cat([q.flatten() for q in init_params])
    if theta.shape != theta_0.shape:
        raise ValueError("params and init_params have different sizes")
    return float((theta - theta_0).norm() / theta_0.norm())


# --- early_stopping_epoch ----------------------------------------------------------------------


@correct(
    "early_stopping_epoch",
    "keeps the best score and a counter of epochs without improvement",
)
def early_stopping_epoch(val_scores, patience):
    best_score, best_epoch, waited = -float("inf"), 0, 0
    for epoch, score in enumerate(float(s) for s in val_scores):
        if score > best_score:
            best_score, best_epoch, waited = score, epoch, 0
        else:
            waited += 1
            if waited == patience:
                break
    return best_epoch


@correct(
    "early_stopping_epoch",
    "vectorised with NumPy: running maximum, epochs since the last improvement, first stop",
)
def early_stopping_epoch(val_scores, patience):
    scores = np.asarray(val_scores, dtype=float)
    epochs = np.arange(len(scores))
    improved = np.r_[True, scores[1:] > np.maximum.accumulate(scores)[:-1]]
    best = np.maximum.accumulate(np.where(improved, epochs, 0))
    stops = np.flatnonzero(epochs - best >= patience)
    end = stops[0] if len(stops) else len(scores) - 1
    return int(best[end])


@wrong(
    "early_stopping_epoch",
    "counts an epoch as an improvement when it beats the previous epoch, not the best so far",
    message=r"must beat the best score so far",
)
def early_stopping_epoch(val_scores, patience):
    best_epoch, waited = 0, 0
    for epoch in range(1, len(val_scores)):
        if val_scores[epoch] > val_scores[epoch - 1]:
            if val_scores[epoch] > val_scores[best_epoch]:
                best_epoch = epoch
            waited = 0
        else:
            waited += 1
            if waited >= patience:
                break
    return int(best_epoch)


@wrong(
    "early_stopping_epoch",
    "stops only after patience + 1 epochs without improvement",
    message=r"never reached",
)
def early_stopping_epoch(val_scores, patience):
    best_epoch, waited = 0, 0
    for epoch in range(1, len(val_scores)):
        if val_scores[epoch] > val_scores[best_epoch]:
            best_epoch, waited = epoch, 0
        else:
            waited += 1
            if waited > patience:
                break
    return int(best_epoch)


@wrong(
    "early_stopping_epoch",
    "stops after patience - 1 epochs without improvement",
    message=r"only two epochs",
)
def early_stopping_epoch(val_scores, patience):
    best_epoch = 0
    for epoch in range(1, len(val_scores)):
        if val_scores[epoch] > val_scores[best_epoch]:
            best_epoch = epoch
        elif epoch - best_epoch >= max(patience - 1, 1):
            break
    return int(best_epoch)


@wrong(
    "early_stopping_epoch",
    "uses >= so that a tie counts as an improvement and moves the best epoch",
    message=r"ties keep the earlier epoch",
)
def early_stopping_epoch(val_scores, patience):
    best_epoch = 0
    for epoch in range(1, len(val_scores)):
        if val_scores[epoch] >= val_scores[best_epoch]:
            best_epoch = epoch
        elif epoch - best_epoch >= patience:
            break
    return int(best_epoch)


@wrong(
    "early_stopping_epoch",
    "returns the epoch where training stops instead of the best epoch",
    message=r"not the epoch where training stops",
)
def early_stopping_epoch(val_scores, patience):
    best_epoch = 0
    for epoch in range(1, len(val_scores)):
        if val_scores[epoch] > val_scores[best_epoch]:
            best_epoch = epoch
        elif epoch - best_epoch >= patience:
            return epoch
    return int(best_epoch)


@wrong(
    "early_stopping_epoch",
    "returns the best epoch of the whole curve, looking at scores after the stop",
    message=r"after the stop",
)
def early_stopping_epoch(val_scores, patience):
    return int(np.argmax(np.asarray(val_scores)))
