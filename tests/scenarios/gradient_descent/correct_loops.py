# Correct: plain loops with indices, every formula written out in full.


def cost(xs, ys, w):
    total = 0.0
    for i in range(len(xs)):
        total += (xs[i] * w - ys[i]) ** 2
    return total / len(xs)


def gradient(xs, ys, w):
    total = 0.0
    for i in range(len(xs)):
        total += 2 * xs[i] * (xs[i] * w - ys[i])
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
        last = None
        for i in range(len(xs)):
            last = (xs[i] * w - ys[i]) ** 2
            w = w - lr * sgd_gradient(xs[i], ys[i], w)
        history.append(last)
    return w, history


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2):
    w = w0
    history = []
    for epoch in range(epochs):
        start = 0
        while start < len(xs):
            end = min(start + batch_size, len(xs))
            g = 0.0
            for i in range(start, end):
                g += sgd_gradient(xs[i], ys[i], w)
            w = w - lr * g / (end - start)
            start = end
        history.append(cost(xs, ys, w))
    return w, history
