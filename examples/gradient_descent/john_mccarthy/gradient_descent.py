"""Gradient descent three ways -- John McCarthy.

Everything by hand with plain floats, no torch. The training functions share one helper that
takes a list of batches, since batch GD is mini-batch with one big batch anyway.
"""


def cost(xs, ys, w):
    return sum((x * w - y) ** 2 for x, y in zip(xs, ys)) / len(xs)


def gradient(xs, ys, w):
    return sum(2 * x * (x * w - y) for x, y in zip(xs, ys)) / len(xs)


def sgd_gradient(x, y, w):
    return gradient([x], [y], w)


def train_gd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w, costs = w0, []
    for _ in range(epochs):
        costs.append(cost(xs, ys, w))
        w -= lr * gradient(xs, ys, w)
    return w, costs


def train_sgd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w, losses = w0, []
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            last_loss = cost([x], [y], w)
            w -= lr * sgd_gradient(x, y, w)
        losses.append(last_loss)
    return w, losses


def batches(xs, ys, size):
    return [(xs[k:k + size], ys[k:k + size]) for k in range(0, len(xs), size)]


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2):
    w, costs = w0, []
    for _ in range(epochs):
        for bx, by in batches(xs, ys, batch_size):
            w -= lr * gradient(bx, by, w)
        costs.append(cost(xs, ys, w))
    return w, costs


if __name__ == "__main__":
    data_x, data_y = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
    for name, fn in [("gd", train_gd), ("sgd", train_sgd), ("minibatch", train_minibatch)]:
        w, h = fn(data_x, data_y)
        print(f"{name:10s} w={w:.7f} prediction(4)={4 * w:.5f} last={h[-1]:.3g}")
