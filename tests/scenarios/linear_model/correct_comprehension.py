# Correct: sum() over a generator, a list comprehension and min() with a key (first minimum wins).
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
    best = min(range(len(candidates)), key=lambda i: mses[i])
    return candidates[best], mses


best_w, mses = search(xs, ys, [i / 10 for i in range(41)])
print("best w:", best_w, "prediction at 4:", forward(4.0, best_w))
