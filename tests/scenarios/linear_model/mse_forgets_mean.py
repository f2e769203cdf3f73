# Mistake: mse returns the sum of the losses and forgets to divide by the number of samples.


def forward(x, w):
    return x * w


def loss(x, y, w):
    return (forward(x, w) - y) ** 2


def mse(xs, ys, w):
    return sum(loss(x, y, w) for x, y in zip(xs, ys))


def search(xs, ys, candidates):
    mses = [mse(xs, ys, w) for w in candidates]
    return candidates[mses.index(min(mses))], mses
