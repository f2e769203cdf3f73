# Correct: plain index loops, no helpers from the standard library.


def forward(x: float, w: float) -> float:
    return x * w


def loss(x: float, y: float, w: float) -> float:
    error = forward(x, w) - y
    return error * error


def mse(xs, ys, w):
    total = 0.0
    for i in range(len(xs)):
        total = total + loss(xs[i], ys[i], w)
    return total / len(xs)


def search(xs, ys, candidates):
    mses = []
    best_w = None
    best_mse = None
    for w in candidates:
        value = mse(xs, ys, w)
        mses.append(value)
        if best_mse is None or value < best_mse:
            best_mse = value
            best_w = w
    return best_w, mses


if __name__ == "__main__":
    print(search([1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [i / 10 for i in range(41)])[0])
