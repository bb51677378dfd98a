"""Variants of the exercises of chapter "Superposition: where do concepts live?"
(tests/exercise_variants.py)."""

from exercise_variants import correct, wrong

# ---------------------------------------------------------------------------------------------
# Exercise 1: reconstruction_loss
# ---------------------------------------------------------------------------------------------


@correct(
    "reconstruction_loss",
    "einsum with named axes: encode to h, decode, weight; importance broadcast by expand",
)
def reconstruction_loss(W, b, x, importance, relu=True):
    hidden = torch.einsum("...mn,...bn->...bm", W, x)
    x_hat = torch.einsum("...mn,...bm->...bn", W, hidden) + b[..., None, :]
    if relu:
        x_hat = x_hat.clamp(min=0)
    weights = importance[..., None, :].expand_as(x_hat)
    return (weights * (x_hat - x).pow(2)).sum(-1).sum(-1) / x.shape[-2]


@correct(
    "reconstruction_loss",
    "W^T W formed first as an [n, n] matrix; mean over all entries times n_features",
)
def reconstruction_loss(W, b, x, importance, relu=True):
    gram = W.transpose(-1, -2) @ W  # [..., n, n], symmetric
    x_hat = torch.matmul(x, gram) + torch.unsqueeze(b, -2)
    if relu:
        x_hat = torch.nn.functional.relu(x_hat)
    error = torch.unsqueeze(importance, -2) * torch.square(x - x_hat)
    return error.mean(dim=(-1, -2)) * x.shape[-1]


@wrong(
    "reconstruction_loss",
    "W and W^T swapped: x @ W @ W.T (a square W lets it run)",
    message=r"W W\^T x: encode with W",
)
def reconstruction_loss(W, b, x, importance, relu=True):
    x_hat = x @ W @ W.transpose(-1, -2) + b.unsqueeze(-2)
    if relu:
        x_hat = torch.relu(x_hat)
    return (importance.unsqueeze(-2) * (x - x_hat) ** 2).sum(-1).mean(-1)


@wrong(
    "reconstruction_loss",
    "loss unweighted: the importance is ignored",
    message=r"weight each feature's squared error by its importance",
)
def reconstruction_loss(W, b, x, importance, relu=True):
    x_hat = x @ W.transpose(-1, -2) @ W + b.unsqueeze(-2)
    if relu:
        x_hat = torch.relu(x_hat)
    return ((x - x_hat) ** 2).sum(-1).mean(-1)


@wrong(
    "reconstruction_loss",
    "ReLU applied before the bias is added",
    message=r"ReLU were not applied after the bias",
)
def reconstruction_loss(W, b, x, importance, relu=True):
    x_hat = x @ W.transpose(-1, -2) @ W
    if relu:
        x_hat = torch.relu(x_hat)
    x_hat = x_hat + b.unsqueeze(-2)
    return (importance.unsqueeze(-2) * (x - x_hat) ** 2).sum(-1).mean(-1)


@wrong(
    "reconstruction_loss",
    "sums over the batch instead of averaging",
    message=r"average over the batch, do not sum",
)
def reconstruction_loss(W, b, x, importance, relu=True):
    x_hat = x @ W.transpose(-1, -2) @ W + b.unsqueeze(-2)
    if relu:
        x_hat = torch.relu(x_hat)
    return (importance.unsqueeze(-2) * (x - x_hat) ** 2).sum(-1).sum(-1)


@wrong(
    "reconstruction_loss",
    "squares the importance along with the error",
    message=r"do not square it",
)
def reconstruction_loss(W, b, x, importance, relu=True):
    x_hat = x @ W.transpose(-1, -2) @ W + b.unsqueeze(-2)
    if relu:
        x_hat = torch.relu(x_hat)
    return ((importance.unsqueeze(-2) * (x - x_hat)) ** 2).sum(-1).mean(-1)


# ---------------------------------------------------------------------------------------------
# Exercise 2: sample_features
# ---------------------------------------------------------------------------------------------


@correct(
    "sample_features",
    "torch.bernoulli for presence (another random stream), uniform_ for the values",
)
def sample_features(sparsity, n_samples, n_features, generator):
    sparsity = torch.as_tensor(sparsity, dtype=torch.float32)
    shape = (*sparsity.shape, n_samples, n_features)
    keep = (1 - sparsity)[..., None, None].expand(shape).contiguous()
    present = torch.bernoulli(keep, generator=generator)
    values = torch.empty(shape).uniform_(0, 1, generator=generator)
    return values * present


@correct(
    "sample_features",
    "one uniform draw: rescales the part above the sparsity to [0, 1]",
)
def sample_features(sparsity, n_samples, n_features, generator):
    s = torch.as_tensor(sparsity, dtype=torch.float32)[..., None, None]
    u = torch.rand((*s.shape[:-2], n_samples, n_features), generator=generator)
    # given u >= s, (u - s) / (1 - s) is uniform on [0, 1]
    scaled = (u - s) / torch.clamp(1 - s, min=1e-12)
    return torch.where(u >= s, scaled.clamp(1e-12, 1), torch.zeros_like(u))


@wrong(
    "sample_features",
    "sparsity applied to the whole vector instead of each feature",
    message=r"to each feature separately, not to the whole vector",
)
def sample_features(sparsity, n_samples, n_features, generator):
    sparsity = torch.as_tensor(sparsity, dtype=torch.float32)
    shape = (*sparsity.shape, n_samples, n_features)
    present = torch.rand((*sparsity.shape, n_samples, 1), generator=generator)
    present = present >= sparsity[..., None, None]
    return torch.rand(shape, generator=generator) * present


@wrong(
    "sample_features",
    "sparsity taken as the probability of being present",
    message=r"probability of being zero, not of being present",
)
def sample_features(sparsity, n_samples, n_features, generator):
    sparsity = torch.as_tensor(sparsity, dtype=torch.float32)
    shape = (*sparsity.shape, n_samples, n_features)
    present = torch.rand(shape, generator=generator) < sparsity[..., None, None]
    return torch.rand(shape, generator=generator) * present


@wrong(
    "sample_features",
    "present features are all 1 instead of uniform on [0, 1]",
    message=r"uniform on \[0, 1\] \(mean 0.5",
)
def sample_features(sparsity, n_samples, n_features, generator):
    sparsity = torch.as_tensor(sparsity, dtype=torch.float32)
    shape = (*sparsity.shape, n_samples, n_features)
    return (torch.rand(shape, generator=generator) >= sparsity[..., None, None]).float()


@wrong(
    "sample_features",
    "one mask per feature, shared by every sample",
    message=r"every sample needs its own coin",
)
def sample_features(sparsity, n_samples, n_features, generator):
    sparsity = torch.as_tensor(sparsity, dtype=torch.float32)
    shape = (*sparsity.shape, n_samples, n_features)
    present = torch.rand((*sparsity.shape, 1, n_features), generator=generator)
    present = present >= sparsity[..., None, None]
    return torch.rand(shape, generator=generator) * present


@wrong(
    "sample_features",
    "draws from the global random generator, ignoring the one passed in",
    message=r"draw every random number from",
)
def sample_features(sparsity, n_samples, n_features, generator):
    sparsity = torch.as_tensor(sparsity, dtype=torch.float32)
    shape = (*sparsity.shape, n_samples, n_features)
    present = torch.rand(shape) >= sparsity[..., None, None]
    return torch.rand(shape) * present


# ---------------------------------------------------------------------------------------------
# Exercise 3: feature_dimensionality
# ---------------------------------------------------------------------------------------------


@correct(
    "feature_dimensionality",
    "from the Gram matrix: D_i = G_ii^2 / sum_j G_ij^2, no unit vectors",
)
def feature_dimensionality(W):
    gram = W.transpose(-1, -2) @ W  # [..., n, n]
    diagonal = torch.diagonal(gram, dim1=-2, dim2=-1)
    total = (gram**2).sum(-1)
    return torch.where(diagonal > 0, diagonal**2 / total.clamp_min(1e-30), 0.0)


@correct(
    "feature_dimensionality",
    "plain loops over models and features, in float64",
)
def feature_dimensionality(W):
    flat = W.detach().to(torch.float64).reshape(-1, W.shape[-2], W.shape[-1])
    out = torch.zeros(flat.shape[0], flat.shape[2], dtype=torch.float64)
    for k in range(flat.shape[0]):
        for i in range(flat.shape[2]):
            column = flat[k, :, i]
            norm = float(column.norm())
            if norm == 0:
                continue
            total = sum(float(column @ flat[k, :, j] / norm) ** 2 for j in range(flat.shape[2]))
            out[k, i] = norm**2 / total
    return out.reshape(W.shape[:-2] + (W.shape[-1],)).to(W.dtype)


@wrong(
    "feature_dimensionality",
    "dimensionality without normalising W_i in the dot products",
    message=r"use the unit vector W_i / \|W_i\|",
)
def feature_dimensionality(W):
    norms = W.norm(dim=-2)
    total = ((W.transpose(-1, -2) @ W) ** 2).sum(-1)
    return torch.where(norms > 0, norms**2 / total.clamp_min(1e-30), 0.0)


@wrong(
    "feature_dimensionality",
    "features taken as the rows of W instead of its columns",
    message=r"five features are its columns",
)
def feature_dimensionality(W):
    norms = W.norm(dim=-1)  # rows
    directions = W / norms.clamp_min(1e-30).unsqueeze(-1)
    total = ((directions @ W.transpose(-1, -2)) ** 2).sum(-1)
    return torch.where(norms > 0, norms**2 / total.clamp_min(1e-30), 0.0)


@wrong(
    "feature_dimensionality",
    "leaves the feature itself (j = i) out of the sum",
    message=r"includes j = i",
)
def feature_dimensionality(W):
    norms = W.norm(dim=-2)
    directions = W / norms.clamp_min(1e-30).unsqueeze(-2)
    overlaps = (directions.transpose(-1, -2) @ W) ** 2
    others = overlaps.sum(-1) - torch.diagonal(overlaps, dim1=-2, dim2=-1)
    return torch.where(norms > 0, norms**2 / others.clamp_min(1e-12), 0.0)


@wrong(
    "feature_dimensionality",
    "no guard for zero columns: 0 / 0 gives nan",
    message=r"D = 0 \(not nan\)",
)
def feature_dimensionality(W):
    norms = W.norm(dim=-2)
    directions = W / norms.unsqueeze(-2)
    return norms**2 / ((directions.transpose(-1, -2) @ W) ** 2).sum(-1)
