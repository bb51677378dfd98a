"""Variants of the exercises of chapter "Adversarial examples: detect vs generate" (see
tests/exercise_variants.py)."""

from exercise_variants import correct, wrong

# Exercise 1: fgsm


@correct("fgsm", "loss.backward() with a summed loss and torch.where for the box")
def fgsm(model, X, y, eps):
    X_var = X.clone().detach()
    X_var.requires_grad = True
    F.cross_entropy(model(X_var), y, reduction="sum").backward()
    stepped = X + eps * torch.sign(X_var.grad)
    stepped = torch.where(stepped < 0, torch.zeros_like(stepped), stepped)
    stepped = torch.where(stepped > 1, torch.ones_like(stepped), stepped)
    return stepped.detach()


@correct("fgsm", "writes the softmax gradient by hand for each example, in a loop")
def fgsm(model, X, y, eps):
    rows = []
    for i in range(X.shape[0]):
        x = X[i : i + 1].detach().clone().requires_grad_(True)
        log_p = torch.log_softmax(model(x), dim=1)
        (grad,) = torch.autograd.grad(-log_p[0, y[i]], x)
        rows.append(torch.clamp(X[i : i + 1] + eps * grad.sign(), 0.0, 1.0))
    return torch.cat(rows).detach()


@wrong("fgsm", "subtracts the step (gradient descent on the loss)", message=r"gradient descent")
def fgsm(model, X, y, eps):
    X_var = X.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(F.cross_entropy(model(X_var), y), X_var)
    return (X - eps * grad.sign()).clamp(0.0, 1.0).detach()


@wrong("fgsm", "forgets the sign and steps along the raw gradient", message=r"SIGN of the gradient")
def fgsm(model, X, y, eps):
    X_var = X.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(F.cross_entropy(model(X_var), y), X_var)
    return (X + eps * grad).clamp(0.0, 1.0).detach()


@wrong("fgsm", "forgets to clip to the valid pixel range", message=r"inside the valid range")
def fgsm(model, X, y, eps):
    X_var = X.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(F.cross_entropy(model(X_var), y), X_var)
    return (X + eps * grad.sign()).detach()


@wrong("fgsm", "attacks the model's predicted labels instead of the true ones", message=r"true lab")
def fgsm(model, X, y, eps):
    with torch.no_grad():
        predicted = model(X).argmax(dim=1)
    X_var = X.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(F.cross_entropy(model(X_var), predicted), X_var)
    return (X + eps * grad.sign()).clamp(0.0, 1.0).detach()


@wrong("fgsm", "steps X itself in place", message=r"must not modify X")
def fgsm(model, X, y, eps):
    X_var = X.detach().clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(F.cross_entropy(model(X_var), y), X_var)
    X.add_(eps * grad.sign()).clamp_(0.0, 1.0)
    return X.clone()


@wrong("fgsm", "returns the images still attached to the graph", message=r"gradient history")
def fgsm(model, X, y, eps):
    X_var = X.detach().clone().requires_grad_(True)
    loss = F.cross_entropy(model(X_var), y)
    (grad,) = torch.autograd.grad(loss, X_var, create_graph=True)
    return (X_var + eps * grad.sign()).clamp(0.0, 1.0)


# Exercise 2: pgd


@correct("pgd", "keeps a perturbation delta, clips it to the ball, then clips X + delta to the box")
def pgd(loss_fn, X, eps, step_size, steps):
    delta = torch.zeros_like(X)
    for _ in range(steps):
        delta.requires_grad_(True)
        loss_fn(X + delta).mean().backward()
        with torch.no_grad():
            delta = (delta + step_size * delta.grad.sign()).clamp(-eps, eps)
            delta = (X + delta).clamp(0.0, 1.0) - X
    return (X + delta).detach()


@correct("pgd", "clips to the box first, then to the ball, with torch.max and torch.min")
def pgd(loss_fn, X, eps, step_size, steps):
    X_adv = X.clone().detach()
    for _ in range(steps):
        X_adv.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(X_adv).sum(), X_adv)
        X_adv = (X_adv.detach() + step_size * torch.sign(grad)).clamp(0.0, 1.0)
        X_adv = torch.min(torch.max(X_adv, X - eps), X + eps)
    return X_adv


@wrong("pgd", "descends the loss instead of ascending it", message=r"gradient descent")
def pgd(loss_fn, X, eps, step_size, steps):
    X_adv = X.detach().clone()
    for _ in range(steps):
        X_adv.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(X_adv).sum(), X_adv)
        X_adv = X_adv.detach() - step_size * grad.sign()
        X_adv = torch.clamp(X_adv, X - eps, X + eps).clamp(0.0, 1.0)
    return X_adv.detach()


@wrong("pgd", "projects onto the ball but not onto the pixel box", message=r"inside \[0, 1\]")
def pgd(loss_fn, X, eps, step_size, steps):
    X_adv = X.detach().clone()
    for _ in range(steps):
        X_adv.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(X_adv).sum(), X_adv)
        X_adv = X_adv.detach() + step_size * grad.sign()
        X_adv = torch.clamp(X_adv, X - eps, X + eps)
    return X_adv.detach()


@wrong("pgd", "uses the step size as the radius of the ball", message=r"that is step_size")
def pgd(loss_fn, X, eps, step_size, steps):
    X_adv = X.detach().clone()
    for _ in range(steps):
        X_adv.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(X_adv).sum(), X_adv)
        X_adv = X_adv.detach() + step_size * grad.sign()
        X_adv = torch.clamp(X_adv, X - step_size, X + step_size).clamp(0.0, 1.0)
    return X_adv.detach()


@wrong("pgd", "forgets the sign and steps along the raw gradient", message=r"SIGN of the gradient")
def pgd(loss_fn, X, eps, step_size, steps):
    X_adv = X.detach().clone()
    for _ in range(steps):
        X_adv.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(X_adv).sum(), X_adv)
        X_adv = X_adv.detach() + step_size * grad
        X_adv = torch.clamp(X_adv, X - eps, X + eps).clamp(0.0, 1.0)
    return X_adv.detach()


@wrong(
    "pgd",
    "projects onto the ball around the previous step instead of the original X",
    message=r"ORIGINAL X",
)
def pgd(loss_fn, X, eps, step_size, steps):
    X_adv = X.detach().clone()
    for _ in range(steps):
        X_adv.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(X_adv).sum(), X_adv)
        previous = X_adv.detach()
        X_adv = previous + step_size * grad.sign()
        X_adv = torch.clamp(X_adv, previous - eps, previous + eps).clamp(0.0, 1.0)
    return X_adv.detach()


@wrong("pgd", "takes one step too many (range(steps + 1))", message=r"3 steps are 3 steps")
def pgd(loss_fn, X, eps, step_size, steps):
    X_adv = X.detach().clone()
    for _ in range(steps + 1):
        X_adv.requires_grad_(True)
        (grad,) = torch.autograd.grad(loss_fn(X_adv).sum(), X_adv)
        X_adv = X_adv.detach() + step_size * grad.sign()
        X_adv = torch.clamp(X_adv, X - eps, X + eps).clamp(0.0, 1.0)
    return X_adv.detach()


# Exercise 3: adaptive_loss


@correct("adaptive_loss", "subtracts the detector's cross-entropy for the label CLEAN")
def adaptive_loss(classifier, detector, X, y, weight):
    clean = torch.full_like(y, CLEAN)
    fooled = F.cross_entropy(classifier(X), y, reduction="none")
    return fooled - weight * F.cross_entropy(detector(X), clean, reduction="none")


@correct("adaptive_loss", "writes both log-probabilities with logsumexp")
def adaptive_loss(classifier, detector, X, y, weight):
    logits = classifier(X)
    true = logits.gather(1, y[:, None]).squeeze(1)
    ce = torch.logsumexp(logits, dim=1) - true
    d = detector(X)
    log_clean = d[:, CLEAN] - torch.logsumexp(d, dim=1)
    return ce + weight * log_clean


@wrong("adaptive_loss", "subtracts log P(clean), helping the detector", message=r"wrong sign")
def adaptive_loss(classifier, detector, X, y, weight):
    fooled = F.cross_entropy(classifier(X), y, reduction="none")
    return fooled - weight * F.log_softmax(detector(X), dim=1)[:, CLEAN]


@wrong("adaptive_loss", "uses the detector's ADVERSARIAL column", message=r"ADVERSARIAL column")
def adaptive_loss(classifier, detector, X, y, weight):
    fooled = F.cross_entropy(classifier(X), y, reduction="none")
    return fooled + weight * F.log_softmax(detector(X), dim=1)[:, ADVERSARIAL]


@wrong("adaptive_loss", "averages over the batch into one number", message=r"one loss per example")
def adaptive_loss(classifier, detector, X, y, weight):
    fooled = F.cross_entropy(classifier(X), y)
    return fooled + weight * F.log_softmax(detector(X), dim=1)[:, CLEAN].mean()


@wrong("adaptive_loss", "adds P(clean) instead of its logarithm", message=r"add its logarithm")
def adaptive_loss(classifier, detector, X, y, weight):
    fooled = F.cross_entropy(classifier(X), y, reduction="none")
    return fooled + weight * torch.softmax(detector(X), dim=1)[:, CLEAN]


@wrong(
    "adaptive_loss",
    "uses the detector's hard verdict, which carries no gradient",
    message=r"gradient must reach X through the detector",
)
def adaptive_loss(classifier, detector, X, y, weight):
    fooled = F.cross_entropy(classifier(X), y, reduction="none")
    says_clean = (detector(X).argmax(dim=1) == CLEAN).float()
    return fooled + weight * torch.log(says_clean.clamp(min=0.25))


@wrong("adaptive_loss", "ignores the weight", message=r"weight 0 must give")
def adaptive_loss(classifier, detector, X, y, weight):
    fooled = F.cross_entropy(classifier(X), y, reduction="none")
    return fooled + F.log_softmax(detector(X), dim=1)[:, CLEAN]
