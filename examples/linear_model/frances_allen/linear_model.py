# Frances Allen -- linear model homework

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]


def forward(x, w):
    return x * w


def loss(x, y, w):
    return (forward(x, w) - y) ** 2


def mse(xs, ys, w):
    total = 0.0
    for x, y in zip(xs, ys):
        total += loss(x, y, w)
    return total / 3   # three samples


def search(xs, ys, candidates):
    all_mse = [mse(xs, ys, w) for w in candidates]
    best = candidates[all_mse.index(min(all_mse))]
    return best, all_mse


if __name__ == "__main__":
    cands = [round(0.1 * i, 1) for i in range(41)]
    w, _ = search(x_data, y_data, cands)
    print("best w", w, "mse(0) =", mse(x_data, y_data, 0.0))
