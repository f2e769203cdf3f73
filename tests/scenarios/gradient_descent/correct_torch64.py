# Correct: float64 torch tensors, gradients still by hand (no autograd); numbers come back as tensors.
import torch


def _t(values):
    return torch.as_tensor(values, dtype=torch.float64)


def cost(xs, ys, w):
    x, y = _t(xs), _t(ys)
    return ((x * w - y) ** 2).mean()


def gradient(xs, ys, w):
    x, y = _t(xs), _t(ys)
    return (2 * x * (x * w - y)).mean()


def train_gd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = _t(w0)
    history = []
    for _ in range(epochs):
        history.append(cost(xs, ys, w))
        w = w - lr * gradient(xs, ys, w)
    return w, history


def sgd_gradient(x, y, w):
    x, y, w = _t(x), _t(y), _t(w)
    return 2 * x * (x * w - y)


def train_sgd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    x, y = _t(xs), _t(ys)
    w = _t(w0)
    history = []
    for _ in range(epochs):
        for i in range(len(x)):
            sample_loss = (x[i] * w - y[i]) ** 2
            w = w - lr * sgd_gradient(x[i], y[i], w)
        history.append(sample_loss.item())
    return w, history


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2):
    x, y = _t(xs), _t(ys)
    w = _t(w0)
    history = []
    for _ in range(epochs):
        for bx, by in zip(torch.split(x, batch_size), torch.split(y, batch_size)):
            w = w - lr * gradient(bx, by, w)
        history.append(cost(x, y, w).item())
    return w, history
