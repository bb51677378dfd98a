"""Variants of the exercises of chapter "Implicit search and implicit value functions" (see
tests/exercise_variants.py)."""

from exercise_variants import correct, wrong

# Exercise 1: prefix_parity


@correct("prefix_parity", "loops over positions, carrying the parity with exclusive or")
def prefix_parity(bits):
    out = torch.zeros(bits.shape, dtype=torch.long)
    running = torch.zeros(bits.shape[:-1], dtype=torch.long)
    for i in range(bits.shape[-1]):
        running = running ^ bits[..., i].long()
        out[..., i] = running
    return out


@correct("prefix_parity", "counts the 1s with a lower-triangular matrix product in NumPy")
def prefix_parity(bits):
    values = bits.detach().numpy().astype(np.int64)
    length = values.shape[-1]
    counts = values @ np.triu(np.ones((length, length), dtype=np.int64))
    return torch.from_numpy(counts % 2)


@wrong(
    "prefix_parity",
    "gives every position the parity of the whole string",
    message=r"parity of the whole string",
)
def prefix_parity(bits):
    whole = bits.long().sum(dim=-1, keepdim=True) % 2
    return whole.expand_as(bits).clone()


@wrong(
    "prefix_parity",
    "leaves out the bit at the position itself (an exclusive prefix, off by one)",
    message=r"includes the bit at its own position",
)
def prefix_parity(bits):
    return (bits.long().cumsum(dim=-1) - bits.long()) % 2


@wrong(
    "prefix_parity",
    "returns the running count of 1s, forgetting the modulo 2",
    message=r"a parity is 0 or 1",
)
def prefix_parity(bits):
    return bits.long().cumsum(dim=-1)


@wrong(
    "prefix_parity",
    "sums along the first dimension instead of the last",
    message=r"along the last dimension",
)
def prefix_parity(bits):
    return bits.long().cumsum(dim=0) % 2


# Exercise 2: think


@correct("think", "preallocates the output and writes each iteration's state into it")
def think(net, bits, iterations):
    x = bits.unsqueeze(-1).to(torch.float32)
    h = net.embed(x)
    states = []
    for t in range(iterations):
        z = torch.cat((h, x), dim=h.ndim - 1) if net.recall else h
        h = net.block(z)
        states.insert(t, h)
    return torch.stack(states, dim=0)


@wrong(
    "think",
    "recall appends the first hidden state (from embed) instead of the input bits",
    message=r"not the first hidden state",
)
def think(net, bits, iterations):
    x = bits.float().unsqueeze(-1)
    h = first = net.embed(x)
    states = []
    for _ in range(iterations):
        h = net.block(torch.cat([h, first], dim=-1) if net.recall else h)
        states.append(h)
    return torch.stack(states)


@wrong(
    "think",
    "appends the input only at the first iteration",
    message=r"at every iteration, not only the first",
)
def think(net, bits, iterations):
    x = bits.float().unsqueeze(-1)
    h = net.embed(x)
    states = []
    for t in range(iterations):
        h = net.block(torch.cat([h, x], dim=-1) if net.recall and t == 0 else h)
        states.append(h)
    return torch.stack(states)


@wrong(
    "think",
    "includes the first hidden state from embed among the returned states",
    message=r"not an iteration's output",
)
def think(net, bits, iterations):
    x = bits.float().unsqueeze(-1)
    h = net.embed(x)
    states = [h]
    for _ in range(iterations):
        h = net.block(torch.cat([h, x], dim=-1) if net.recall else h)
        states.append(h)
    return torch.stack(states)


@wrong(
    "think",
    "applies the block to the first hidden state every time (no feedback)",
    message=r"feed each iteration's output into the next",
)
def think(net, bits, iterations):
    x = bits.float().unsqueeze(-1)
    first = net.embed(x)
    states = []
    for _ in range(iterations):
        states.append(net.block(torch.cat([first, x], dim=-1) if net.recall else first))
    return torch.stack(states)


@wrong(
    "think",
    "appends the input even when the network has no recall",
    message=r"without recall",
)
def think(net, bits, iterations):
    x = bits.float().unsqueeze(-1)
    h = net.embed(x)
    states = []
    for _ in range(iterations):
        h = net.block(torch.cat([h, x], dim=-1))
        states.append(h)
    return torch.stack(states)


@wrong(
    "think",
    "runs the loop under torch.no_grad(), so training gets no gradients",
    message=r"do not detach",
)
def think(net, bits, iterations):
    with torch.no_grad():
        x = bits.float().unsqueeze(-1)
        h = net.embed(x)
        states = []
        for _ in range(iterations):
            h = net.block(torch.cat([h, x], dim=-1) if net.recall else h)
            states.append(h)
        return torch.stack(states)


# Exercise 3: probe_accuracy


@correct("probe_accuracy", "its own logistic regression in PyTorch, fit with L-BFGS")
def probe_accuracy(train_states, train_targets, test_states, test_targets):
    width = train_states.shape[-1]
    X = train_states.reshape(-1, width).double()
    mean, std = X.mean(0), X.std(0) + 1e-8
    X = (X - mean) / std
    y = train_targets.reshape(-1).double()
    weights = torch.zeros(width, dtype=torch.float64, requires_grad=True)
    bias = torch.zeros((), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([weights, bias], max_iter=200)

    def closure():
        optimizer.zero_grad()
        logits = X @ weights + bias
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, y)
        loss = loss + 0.5 * (weights**2).sum() / len(y)
        loss.backward()
        return loss

    optimizer.step(closure)
    with torch.no_grad():
        Z = (test_states.reshape(-1, width).double() - mean) / std
        predicted = ((Z @ weights + bias) > 0).long().reshape(test_targets.shape)
    return (predicted == test_targets.long()).double().mean(dim=0)


@correct("probe_accuracy", "unscaled scikit-learn probe, scored one position at a time")
def probe_accuracy(train_states, train_targets, test_states, test_targets):
    width = train_states.shape[-1]
    probe = LogisticRegression(max_iter=5000)
    probe.fit(train_states.reshape(-1, width).numpy(), train_targets.reshape(-1).numpy())
    scores = []
    for i in range(test_states.shape[1]):
        predicted = probe.predict(test_states[:, i].numpy())
        scores.append(float((predicted == test_targets[:, i].numpy()).mean()))
    return torch.tensor(scores)


@wrong(
    "probe_accuracy",
    "fits and scores the probe on the same (training) strings",
    message=r"score it on the test strings|score the probe on the test states",
)
def probe_accuracy(train_states, train_targets, test_states, test_targets):
    width = train_states.shape[-1]
    probe = make_pipeline(StandardScaler(), LogisticRegression())
    probe.fit(train_states.reshape(-1, width).numpy(), train_targets.reshape(-1).numpy())
    predicted = probe.predict(train_states.reshape(-1, width).numpy())
    predicted = torch.as_tensor(predicted).reshape(train_targets.shape)
    return (predicted == train_targets).float().mean(dim=0)


@wrong(
    "probe_accuracy",
    "fits the probe without a bias (no intercept, unscaled states)",
    message=r"needs a\s+bias",
)
def probe_accuracy(train_states, train_targets, test_states, test_targets):
    width = train_states.shape[-1]
    probe = LogisticRegression(fit_intercept=False, max_iter=5000)
    probe.fit(train_states.reshape(-1, width).numpy(), train_targets.reshape(-1).numpy())
    predicted = probe.predict(test_states.reshape(-1, width).numpy())
    predicted = torch.as_tensor(predicted).reshape(test_targets.shape)
    return (predicted == test_targets).float().mean(dim=0)


@wrong(
    "probe_accuracy",
    "averages over positions instead of over strings (wrong axis)",
    message=r"average over the test strings only",
)
def probe_accuracy(train_states, train_targets, test_states, test_targets):
    width = train_states.shape[-1]
    probe = make_pipeline(StandardScaler(), LogisticRegression())
    probe.fit(train_states.reshape(-1, width).numpy(), train_targets.reshape(-1).numpy())
    predicted = probe.predict(test_states.reshape(-1, width).numpy())
    predicted = torch.as_tensor(predicted).reshape(test_targets.shape)
    return (predicted == test_targets).float().mean(dim=1)


@wrong(
    "probe_accuracy",
    "reshapes the predictions to [L, m] and transposes, mixing up strings and positions",
    message=r"keeping the positions apart|reads it almost perfectly",
)
def probe_accuracy(train_states, train_targets, test_states, test_targets):
    width = train_states.shape[-1]
    m, length = test_targets.shape
    probe = make_pipeline(StandardScaler(), LogisticRegression())
    probe.fit(train_states.reshape(-1, width).numpy(), train_targets.reshape(-1).numpy())
    predicted = probe.predict(test_states.reshape(-1, width).numpy())
    predicted = torch.as_tensor(predicted).reshape(length, m).T
    return (predicted == test_targets).float().mean(dim=0)
