# Bad input: an unfinished submission; search was never written (the other three are correct).


def forward(x, w):
    return x * w


def loss(x, y, w):
    return (forward(x, w) - y) ** 2


def mse(xs, ys, w):
    return sum(loss(x, y, w) for x, y in zip(xs, ys)) / len(xs)
