# Leonhard Euler, GD assignment
import numpy as np


def cost(xs, ys, w):
    xs, ys = np.asarray(xs), np.asarray(ys)
    return float(np.mean((xs * w - ys) ** 2))


def gradient(xs, ys, w):
    xs, ys = np.asarray(xs), np.asarray(ys)
    return float(np.mean(2 * xs * (xs * w - ys)))


def sgd_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train_gd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = w0
    history = []
    for _ in range(epochs):
        history.append(cost(xs, ys, w))
        w -= lr * gradient(xs, ys, w)
    return w, history


def train_sgd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = w0
    history = []
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            sample_loss = (x * w - y) ** 2
            w -= lr * sgd_gradient(x, y, w)
        history.append(sample_loss)
    return w, history


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2):
    w = w0
    history = []
    n_batches = len(xs) // batch_size          # number of full batches
    for _ in range(epochs):
        for b in range(n_batches):
            bx = xs[b * batch_size:(b + 1) * batch_size]
            by = ys[b * batch_size:(b + 1) * batch_size]
            w -= lr * gradient(bx, by, w)
        history.append(cost(xs, ys, w))
    return w, history


if __name__ == "__main__":
    xs, ys = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
    w, h = train_minibatch(xs, ys)
    print("mini-batch: w =", w, "final cost", h[-1])
