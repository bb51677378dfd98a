"""Variants of the goal-misgeneralization exercises (see tests/exercise_variants.py): read, not
imported; each function runs in the chapter notebook's namespace (np, torch, the other
exercises' solutions)."""

# ruff: noqa: F821

from exercise_variants import correct, wrong


@correct("encode_observations", "loops over examples and fills a [n, 2, size, size] picture")
def encode_observations(agents, coins, size):
    agents = np.asarray(agents).reshape(-1, 2)
    coins = np.asarray(coins).reshape(-1, 2)
    pictures = np.zeros((len(agents), 2, size, size), dtype=np.float32)
    for i, (agent, coin) in enumerate(zip(agents, coins, strict=True)):
        for channel, (row, col) in enumerate((agent, coin)):
            if not (0 <= row < size and 0 <= col < size):
                raise ValueError(f"cell {(row, col)} is off the grid")
            pictures[i, channel, row, col] = 1.0
    return torch.from_numpy(pictures.reshape(len(agents), -1))


@correct("encode_observations", "torch one_hot of the flat cell indices")
def encode_observations(agents, coins, size):
    agents = torch.as_tensor(np.asarray(agents)).reshape(-1, 2)
    coins = torch.as_tensor(np.asarray(coins)).reshape(-1, 2)
    both = torch.cat([agents, coins])
    if ((both < 0) | (both >= size)).any():
        raise ValueError("positions must lie on the grid")
    cells = size * size
    agent = torch.nn.functional.one_hot(agents[:, 0] * size + agents[:, 1], cells)
    coin = torch.nn.functional.one_hot(coins[:, 0] * size + coins[:, 1], cells)
    return torch.cat([agent, coin], dim=1).float()


@wrong(
    "encode_observations", "rows and columns transposed", message=r"rows and columns are swapped"
)
def encode_observations(agents, coins, size):
    agents = np.asarray(agents).reshape(-1, 2)
    coins = np.asarray(coins).reshape(-1, 2)
    x = torch.zeros(len(agents), 2 * size * size)
    rows = np.arange(len(agents))
    x[rows, agents[:, 1] * size + agents[:, 0]] = 1.0
    x[rows, size * size + coins[:, 1] * size + coins[:, 0]] = 1.0
    return x


@wrong("encode_observations", "coin channel first", message=r"channels are swapped")
def encode_observations(agents, coins, size):
    agents = np.asarray(agents).reshape(-1, 2)
    coins = np.asarray(coins).reshape(-1, 2)
    x = torch.zeros(len(agents), 2 * size * size)
    rows = np.arange(len(agents))
    x[rows, size * size + agents[:, 0] * size + agents[:, 1]] = 1.0
    x[rows, coins[:, 0] * size + coins[:, 1]] = 1.0
    return x


@wrong("encode_observations", "one picture with both objects", message=r"98 entries")
def encode_observations(agents, coins, size):
    agents = np.asarray(agents).reshape(-1, 2)
    coins = np.asarray(coins).reshape(-1, 2)
    x = torch.zeros(len(agents), size * size)
    rows = np.arange(len(agents))
    x[rows, agents[:, 0] * size + agents[:, 1]] += 1.0
    x[rows, coins[:, 0] * size + coins[:, 1]] += 1.0
    return x


@wrong("encode_observations", "NumPy's float64 kept", message=r"torch\.float32")
def encode_observations(agents, coins, size):
    agents = np.asarray(agents).reshape(-1, 2)
    coins = np.asarray(coins).reshape(-1, 2)
    x = np.zeros((len(agents), 2 * size * size))
    rows = np.arange(len(agents))
    x[rows, agents[:, 0] * size + agents[:, 1]] = 1.0
    x[rows, size * size + coins[:, 0] * size + coins[:, 1]] = 1.0
    return torch.from_numpy(x)


@wrong("encode_observations", "hard-coded 7 x 7 grid", message=r"use size")
def encode_observations(agents, coins, size):
    agents = np.asarray(agents).reshape(-1, 2)
    coins = np.asarray(coins).reshape(-1, 2)
    x = torch.zeros(len(agents), 2 * size * size)
    rows = np.arange(len(agents))
    x[rows, agents[:, 0] * 7 + agents[:, 1]] = 1.0
    x[rows, size * size + coins[:, 0] * 7 + coins[:, 1]] = 1.0
    return x


@wrong(
    "encode_observations", "no check of positions off the grid", message=r"must raise ValueError"
)
def encode_observations(agents, coins, size):
    agents = np.asarray(agents).reshape(-1, 2) % size
    coins = np.asarray(coins).reshape(-1, 2) % size
    x = torch.zeros(len(agents), 2 * size * size)
    rows = np.arange(len(agents))
    x[rows, agents[:, 0] * size + agents[:, 1]] = 1.0
    x[rows, size * size + coins[:, 0] * size + coins[:, 1]] = 1.0
    return x


@correct("score_episode", "a loop for the first arrival, ifs on plain tuples")
def score_episode(path, stopped, coin, corner):
    cells = [tuple(int(v) for v in cell) for cell in path]
    end = cells[-1]
    if stopped and end == tuple(coin):
        outcome = "coin"
    elif end == tuple(corner):
        outcome = "corner"
    else:
        outcome = "neither"
    steps = 0
    while cells[steps] != end:
        steps += 1
    distance = abs(end[0] - cells[0][0]) + abs(end[1] - cells[0][1])
    return outcome, (distance / steps if steps else 1.0)


@wrong(
    "score_episode",
    "passing over the coin counts as collecting it",
    message=r"walking over the coin does not collect it",
)
def score_episode(path, stopped, coin, corner):
    path = np.asarray(path).reshape(-1, 2)
    end = tuple(path[-1])
    if any(tuple(cell) == tuple(coin) for cell in path):
        outcome = "coin"
    elif end == tuple(corner):
        outcome = "corner"
    else:
        outcome = "neither"
    first = int(np.flatnonzero((path == path[-1]).all(axis=1))[0])
    distance = int(np.abs(path[-1] - path[0]).sum())
    return outcome, (distance / first if first else 1.0)


@wrong("score_episode", "ending on the coin without stopping counts", message=r"only by stopping")
def score_episode(path, stopped, coin, corner):
    path = np.asarray(path).reshape(-1, 2)
    end = tuple(path[-1])
    if end == tuple(coin):
        outcome = "coin"
    elif end == tuple(corner):
        outcome = "corner"
    else:
        outcome = "neither"
    first = int(np.flatnonzero((path == path[-1]).all(axis=1))[0])
    distance = int(np.abs(path[-1] - path[0]).sum())
    return outcome, (distance / first if first else 1.0)


@wrong(
    "score_episode",
    "efficiency against the shortest path to the coin, not to where it went",
    message=r"not to the coin",
)
def score_episode(path, stopped, coin, corner):
    path = np.asarray(path).reshape(-1, 2)
    end = tuple(path[-1])
    if stopped and end == tuple(coin):
        outcome = "coin"
    elif end == tuple(corner):
        outcome = "corner"
    else:
        outcome = "neither"
    first = int(np.flatnonzero((path == path[-1]).all(axis=1))[0])
    distance = int(np.abs(np.asarray(coin) - path[0]).sum())
    return outcome, (distance / first if first else 1.0)


@wrong("score_episode", "straight-line (Euclidean) distance", message=r"no diagonal moves")
def score_episode(path, stopped, coin, corner):
    path = np.asarray(path).reshape(-1, 2)
    end = tuple(path[-1])
    if stopped and end == tuple(coin):
        outcome = "coin"
    elif end == tuple(corner):
        outcome = "corner"
    else:
        outcome = "neither"
    first = int(np.flatnonzero((path == path[-1]).all(axis=1))[0])
    distance = float(np.linalg.norm(path[-1] - path[0]))
    return outcome, (distance / first if first else 1.0)


@wrong(
    "score_episode",
    "divides by every step, pushes against the edge included",
    message=r"do not count",
)
def score_episode(path, stopped, coin, corner):
    path = np.asarray(path).reshape(-1, 2)
    end = tuple(path[-1])
    if stopped and end == tuple(coin):
        outcome = "coin"
    elif end == tuple(corner):
        outcome = "corner"
    else:
        outcome = "neither"
    steps = len(path) - 1
    distance = int(np.abs(path[-1] - path[0]).sum())
    return outcome, (distance / steps if steps else 1.0)


@wrong("score_episode", "counts the cells of the path, not the steps", message=r"efficiency 1")
def score_episode(path, stopped, coin, corner):
    path = np.asarray(path).reshape(-1, 2)
    end = tuple(path[-1])
    if stopped and end == tuple(coin):
        outcome = "coin"
    elif end == tuple(corner):
        outcome = "corner"
    else:
        outcome = "neither"
    first = int(np.flatnonzero((path == path[-1]).all(axis=1))[0])
    distance = int(np.abs(path[-1] - path[0]).sum())
    return outcome, distance / (first + 1)


@correct("coin_probe", "one forward pass per coin cell, softmax by hand")
def coin_probe(net, agent, size):
    net.eval()
    probs = []
    with torch.no_grad():
        for r in range(size):
            row = []
            for c in range(size):
                logits = net(encode_observations([agent], [(r, c)], size))[0]
                weights = torch.exp(logits - logits.max())
                row.append((weights / weights.sum()).numpy())
            probs.append(row)
    return np.array(probs)


@wrong("coin_probe", "returns the logits, not probabilities", message=r"apply a softmax")
def coin_probe(net, agent, size):
    coins = np.indices((size, size)).reshape(2, -1).T
    agents = np.repeat(np.asarray(agent).reshape(1, 2), len(coins), axis=0)
    net.eval()
    with torch.no_grad():
        logits = net(encode_observations(agents, coins, size))
    return logits.numpy().reshape(size, size, -1)


@wrong(
    "coin_probe", "softmax over the coin cells instead of the actions", message=r"over the actions"
)
def coin_probe(net, agent, size):
    coins = np.indices((size, size)).reshape(2, -1).T
    agents = np.repeat(np.asarray(agent).reshape(1, 2), len(coins), axis=0)
    net.eval()
    with torch.no_grad():
        logits = net(encode_observations(agents, coins, size))
    return torch.softmax(logits, dim=0).numpy().reshape(size, size, -1)


@wrong(
    "coin_probe",
    "grid laid out column by column (transposed)",
    message=r"rows and columns are swapped",
)
def coin_probe(net, agent, size):
    coins = np.indices((size, size)).reshape(2, -1).T
    agents = np.repeat(np.asarray(agent).reshape(1, 2), len(coins), axis=0)
    net.eval()
    with torch.no_grad():
        logits = net(encode_observations(agents, coins, size))
    probs = torch.softmax(logits, dim=1).numpy().reshape(size, size, -1)
    return probs.transpose(1, 0, 2)


@wrong("coin_probe", "agent and coin swapped in the input", message=r"keep the agent fixed")
def coin_probe(net, agent, size):
    coins = np.indices((size, size)).reshape(2, -1).T
    agents = np.repeat(np.asarray(agent).reshape(1, 2), len(coins), axis=0)
    net.eval()
    with torch.no_grad():
        logits = net(encode_observations(coins, agents, size))
    return torch.softmax(logits, dim=1).numpy().reshape(size, size, -1)


@wrong("coin_probe", "network left in training mode", message=r"evaluation mode")
def coin_probe(net, agent, size):
    coins = np.indices((size, size)).reshape(2, -1).T
    agents = np.repeat(np.asarray(agent).reshape(1, 2), len(coins), axis=0)
    with torch.no_grad():
        logits = net(encode_observations(agents, coins, size))
    return torch.softmax(logits, dim=1).numpy().reshape(size, size, -1)
