# seymour cray, linear model + brute force search for w
xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w):
    return x * w


def loss(x, y, w):
    return (forward(x, w) - y) ** 2


def mse(xs, ys, w):
    return sum(loss(x, y, w) for x, y in zip(xs, ys)) / len(xs)


def search(xs, ys, candidates):
    mses = [mse(xs, ys, w) for w in candidates]
    # position of the smallest mse
    best = mses.index(min(mses))
    return best, mses


if __name__ == "__main__":
    candidates = [i * 0.1 for i in range(41)]
    best, mses = search(xs, ys, candidates)
    print("best:", best, "mse:", mses[best])
