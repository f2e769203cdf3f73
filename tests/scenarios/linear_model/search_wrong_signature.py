# Bad input: search builds its own candidate grid and takes no `candidates` parameter.


def forward(x, w):
    return x * w


def loss(x, y, w):
    return (forward(x, w) - y) ** 2


def mse(xs, ys, w):
    return sum(loss(x, y, w) for x, y in zip(xs, ys)) / len(xs)


def search(xs, ys):
    candidates = [i / 10 for i in range(41)]
    mses = [mse(xs, ys, w) for w in candidates]
    return candidates[mses.index(min(mses))], mses
