# Mistake: gradient uses autograd (.backward()) although it must be derived by hand.

import torch


def cost(xs, ys, w):
    total = 0.0
    for x, y in zip(xs, ys):
        total += (x * w - y) ** 2
    return total / len(xs)


def gradient(xs, ys, w):
    w_t = torch.tensor(float(w), dtype=torch.float64, requires_grad=True)
    c = cost(xs, ys, w_t)
    c.backward()
    return w_t.grad.item()


def train_gd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = w0
    history = []
    for epoch in range(epochs):
        history.append(cost(xs, ys, w))
        w = w - lr * gradient(xs, ys, w)
    return w, history


def sgd_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train_sgd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = w0
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            sample_loss = (x * w - y) ** 2
            w = w - lr * sgd_gradient(x, y, w)
        history.append(sample_loss)
    return w, history


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2):
    w = w0
    history = []
    for epoch in range(epochs):
        for start in range(0, len(xs), batch_size):
            batch_xs = xs[start:start + batch_size]
            batch_ys = ys[start:start + batch_size]
            w = w - lr * gradient(batch_xs, batch_ys, w)
        history.append(cost(xs, ys, w))
    return w, history
