# Typical mistake: `return` inside the loop, so gradient uses only the first sample (divided by n).


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
        for x, y in zip(xs, ys):
            last = (x * w - y) ** 2
            w = w - lr * sgd_gradient(x, y, w)
        history.append(last)
    return w, history


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2):
    w = w0
    history = []
    for epoch in range(epochs):
        for start in range(0, len(xs), batch_size):
            bx, by = xs[start:start + batch_size], ys[start:start + batch_size]
            w = w - lr * sum(sgd_gradient(x, y, w) for x, y in zip(bx, by)) / len(bx)
        history.append(cost(xs, ys, w))
    return w, history
