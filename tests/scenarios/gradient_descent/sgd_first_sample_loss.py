# Mistake: train_sgd records the loss of the FIRST sample of each epoch instead of the last one.


def cost(xs, ys, w):
    total = 0.0
    for x, y in zip(xs, ys):
        total += (x * w - y) ** 2
    return total / len(xs)


def gradient(xs, ys, w):
    total = 0.0
    for x, y in zip(xs, ys):
        total += 2 * x * (x * w - y)
    return total / len(xs)


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
        history.append((xs[0] * w - ys[0]) ** 2)
        for x, y in zip(xs, ys):
            w = w - lr * sgd_gradient(x, y, w)
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
