"""Variants of the amplification-and-debate chapter's exercises: other correct implementations,
which must pass every test, and plausible mistakes, which must fail with a message naming them."""

from exercise_variants import correct, wrong

# --- judge_input ----------------------------------------------------------------------------


@correct("judge_input", "torch.where for the hidden pixels, mask cast with .to")
def judge_input(images, revealed):
    shown = torch.where(revealed, images, torch.zeros_like(images))
    return torch.cat([shown, revealed.to(torch.float32)], dim=1)


@correct("judge_input", "fills a new tensor column by column")
def judge_input(images, revealed):
    n, pixels = images.shape
    out = torch.zeros(n, 2 * pixels)
    for p in range(pixels):
        out[:, p] = images[:, p] * revealed[:, p]
        out[:, pixels + p] = revealed[:, p].float()
    return out


@wrong("judge_input", "hidden pixels keep their ink", message=r"leak their ink")
def judge_input(images, revealed):
    return torch.cat([images, revealed.float()], dim=1)


@wrong("judge_input", "mask inverted", message=r"mask is inverted")
def judge_input(images, revealed):
    shown = revealed.float()
    return torch.cat([images * shown, 1.0 - shown], dim=1)


@wrong("judge_input", "mask before the image", message=r"halves are swapped")
def judge_input(images, revealed):
    shown = revealed.float()
    return torch.cat([shown, images * shown], dim=1)


@wrong(
    "judge_input",
    "mask read off the ink, so revealed blanks look hidden",
    message=r"revealed blank pixel .* must differ from a hidden one",
)
def judge_input(images, revealed):
    masked = images * revealed.float()
    return torch.cat([masked, (masked > 0).float()], dim=1)


@wrong("judge_input", "zeroes the hidden pixels in place", message=r"must not modify")
def judge_input(images, revealed):
    images[~revealed] = 0.0
    return torch.cat([images, revealed.float()], dim=1)


# --- greedy_move ----------------------------------------------------------------------------


@correct("greedy_move", "loops over pixels, one judge call per candidate")
def greedy_move(judge, images, revealed, mine, theirs):
    n, pixels = revealed.shape
    best = torch.full((n,), -float("inf"))
    choice = torch.zeros(n, dtype=torch.int64)
    rows = torch.arange(n)
    for p in range(pixels):
        candidate = revealed.clone()
        candidate[:, p] = True
        with torch.no_grad():
            logits = judge(judge_input(images, candidate))
        margin = logits[rows, mine] - logits[rows, theirs]
        better = (margin > best) & ~revealed[:, p]
        best = torch.where(better, margin, best)
        choice = torch.where(better, torch.full_like(choice, p), choice)
    return choice


@correct("greedy_move", "log-probability of mine against theirs (same ordering as the margin)")
def greedy_move(judge, images, revealed, mine, theirs):
    n, pixels = revealed.shape
    candidates = revealed[:, None, :] | torch.eye(pixels, dtype=torch.bool)[None]
    many = images[:, None, :].expand(n, pixels, pixels).reshape(-1, pixels)
    with torch.no_grad():
        logits = judge(judge_input(many, candidates.reshape(-1, pixels)))
    logits = logits.reshape(n, pixels, -1)
    pair = torch.stack([logits[torch.arange(n), :, mine], logits[torch.arange(n), :, theirs]])
    score = torch.log_softmax(pair, dim=0)[0]
    score[revealed] = -float("inf")
    return score.argmax(dim=1)


@wrong("greedy_move", "may reveal an already revealed pixel", message=r"already revealed")
def greedy_move(judge, images, revealed, mine, theirs):
    n, pixels = revealed.shape
    candidates = (revealed.unsqueeze(1) | torch.eye(pixels, dtype=torch.bool)).reshape(-1, pixels)
    with torch.no_grad():
        logits = judge(judge_input(images.repeat_interleave(pixels, 0), candidates))
    logits = logits.reshape(n, pixels, -1)
    rows = torch.arange(n)
    return (logits[rows, :, mine] - logits[rows, :, theirs]).argmax(dim=1)


@wrong("greedy_move", "maximizes the opponent's label", message=r"argues for the opponent")
def greedy_move(judge, images, revealed, mine, theirs):
    n, pixels = revealed.shape
    candidates = (revealed.unsqueeze(1) | torch.eye(pixels, dtype=torch.bool)).reshape(-1, pixels)
    with torch.no_grad():
        logits = judge(judge_input(images.repeat_interleave(pixels, 0), candidates))
    logits = logits.reshape(n, pixels, -1)
    rows = torch.arange(n)
    margin = logits[rows, :, theirs] - logits[rows, :, mine]
    return margin.masked_fill(revealed, -torch.inf).argmax(dim=1)


@wrong(
    "greedy_move",
    "maximizes its own logit, ignoring the opponent's",
    message=r"maximize logit\[mine\] - logit\[theirs\]",
)
def greedy_move(judge, images, revealed, mine, theirs):
    n, pixels = revealed.shape
    candidates = (revealed.unsqueeze(1) | torch.eye(pixels, dtype=torch.bool)).reshape(-1, pixels)
    with torch.no_grad():
        logits = judge(judge_input(images.repeat_interleave(pixels, 0), candidates))
    logits = logits.reshape(n, pixels, -1)
    own = logits[torch.arange(n), :, mine]
    return own.masked_fill(revealed, -torch.inf).argmax(dim=1)


@wrong(
    "greedy_move",
    "uses the first debate's labels for every debate",
    message=r"each debate's own labels",
)
def greedy_move(judge, images, revealed, mine, theirs):
    n, pixels = revealed.shape
    candidates = (revealed.unsqueeze(1) | torch.eye(pixels, dtype=torch.bool)).reshape(-1, pixels)
    with torch.no_grad():
        logits = judge(judge_input(images.repeat_interleave(pixels, 0), candidates))
    logits = logits.reshape(n, pixels, -1)
    margin = logits[:, :, int(mine[0])] - logits[:, :, int(theirs[0])]
    return margin.masked_fill(revealed, -torch.inf).argmax(dim=1)


@wrong(
    "greedy_move",
    "marks the chosen pixel revealed in the caller's mask",
    message=r"must not modify the mask",
)
def greedy_move(judge, images, revealed, mine, theirs):
    n, pixels = revealed.shape
    candidates = (revealed.unsqueeze(1) | torch.eye(pixels, dtype=torch.bool)).reshape(-1, pixels)
    with torch.no_grad():
        logits = judge(judge_input(images.repeat_interleave(pixels, 0), candidates))
    logits = logits.reshape(n, pixels, -1)
    rows = torch.arange(n)
    margin = logits[rows, :, mine] - logits[rows, :, theirs]
    choice = margin.masked_fill(revealed, -torch.inf).argmax(dim=1)
    revealed[rows, choice] = True
    return choice


# --- amplify --------------------------------------------------------------------------------


@correct("amplify", "a loop over questions, the larger half asked first")
def amplify(answer, human, xs, ks):
    out = []
    for x, k in zip(xs, ks, strict=True):
        if k == 1:
            out.append(int(human(np.array([x]))[0]))
            continue
        larger = k - k // 2
        y = answer(np.array([x]), np.array([larger]))
        out.append(int(answer(y, np.array([k // 2]))[0]))
    return np.array(out, dtype=np.int64)


@correct("amplify", "np.where over the whole batch, human answers discarded for k >= 2 only")
def amplify(answer, human, xs, ks):
    hard = ks > 1
    first = np.where(hard, ks // 2, 1)
    out = np.zeros(len(xs), dtype=np.int64)
    if hard.any():
        middle = answer(xs[hard], first[hard])
        out[hard] = answer(middle, ks[hard] - first[hard])
    if (~hard).any():
        out[~hard] = human(xs[~hard])
    return out


@wrong("amplify", "double-counts the first half", message=r"first half was used twice")
def amplify(answer, human, xs, ks):
    out = np.empty(len(xs), dtype=np.int64)
    easy = ks == 1
    out[easy] = human(xs[easy])
    half = ks[~easy] // 2
    out[~easy] = answer(answer(xs[~easy], half), half)
    return out


@wrong("amplify", "second sub-question asks the whole power again", message=r"must add up to k")
def amplify(answer, human, xs, ks):
    out = np.empty(len(xs), dtype=np.int64)
    easy = ks == 1
    out[easy] = human(xs[easy])
    middle = answer(xs[~easy], ks[~easy] // 2)
    out[~easy] = answer(middle, np.minimum(ks[~easy], 32))
    return out


@wrong("amplify", "asks the human for every question", message=r"only the k = 1 questions")
def amplify(answer, human, xs, ks):
    out = np.empty(len(xs), dtype=np.int64)
    easy = ks == 1
    out[easy] = human(xs[easy])
    out[~easy] = answer(human(xs[~easy]), ks[~easy] - 1)
    return out


@wrong("amplify", "peels one step at a time with the model", message=r"halves k // 2")
def amplify(answer, human, xs, ks):
    out = np.empty(len(xs), dtype=np.int64)
    easy = ks == 1
    out[easy] = human(xs[easy])
    hard = ~easy
    out[hard] = answer(answer(xs[hard], ks[hard] - 1), np.ones(hard.sum(), dtype=int))
    return out


@wrong("amplify", "the model answers k = 1 too", message=r"human was asked nothing")
def amplify(answer, human, xs, ks):
    out = np.empty(len(xs), dtype=np.int64)
    easy = ks == 1
    out[easy] = answer(xs[easy], ks[easy])
    first = ks[~easy] // 2
    out[~easy] = answer(answer(xs[~easy], first), ks[~easy] - first)
    return out
