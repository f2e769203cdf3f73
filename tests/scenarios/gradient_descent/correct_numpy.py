# Correct: NumPy vectorised cost and gradients, NumPy scalars returned, batches sliced with a stride.
import numpy as np


def cost(xs, ys, w):
    x = np.asarray(xs, dtype=np.float64)
    y = np.asarray(ys, dtype=np.float64)
    return np.mean((x * w - y) ** 2)


def gradient(xs, ys, w):
    x = np.asarray(xs, dtype=np.float64)
    y = np.asarray(ys, dtype=np.float64)
    return np.mean(2 * x * (x * w - y))


def train_gd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = np.float64(w0)
    history = np.empty(epochs)
    for epoch in range(epochs):
        history[epoch] = cost(xs, ys, w)
        w -= lr * gradient(xs, ys, w)
    return w, history.tolist()


def sgd_gradient(x, y, w):
    return np.float64(2.0) * x * (x * w - y)


def train_sgd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    x = np.asarray(xs, dtype=np.float64)
    y = np.asarray(ys, dtype=np.float64)
    w = np.float64(w0)
    history = []
    for _ in range(epochs):
        for xi, yi in zip(x, y):
            sample_loss = (xi * w - yi) ** 2
            w -= lr * sgd_gradient(xi, yi, w)
        history.append(float(sample_loss))
    return w, history


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2):
    x = np.asarray(xs, dtype=np.float64)
    y = np.asarray(ys, dtype=np.float64)
    w = np.float64(w0)
    history = []
    for _ in range(epochs):
        for start in range(0, len(x), batch_size):
            w -= lr * gradient(x[start:start + batch_size], y[start:start + batch_size], w)
        history.append(float(cost(x, y, w)))
    return w, history
