# Mistake: loss forgets the square and returns the absolute error abs(y_hat - y).


def forward(x, w):
    return x * w


def loss(x, y, w):
    return abs(forward(x, w) - y)


def mse(xs, ys, w):
    return sum(loss(x, y, w) for x, y in zip(xs, ys)) / len(xs)


def search(xs, ys, candidates):
    mses = [mse(xs, ys, w) for w in candidates]
    return candidates[mses.index(min(mses))], mses
