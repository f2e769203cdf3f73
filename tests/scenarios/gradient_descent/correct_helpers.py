# Correct: sum() and comprehensions, a helper that cuts the batches, enumerate() for the slicing.
xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def cost(xs, ys, w):
    return sum((x * w - y) ** 2 for x, y in zip(xs, ys)) / len(xs)


def gradient(xs, ys, w):
    return sum(sgd_gradient(x, y, w) for x, y in zip(xs, ys)) / len(xs)


def sgd_gradient(x, y, w):
    y_hat = x * w
    d_loss_d_yhat = 2 * (y_hat - y)
    d_yhat_d_w = x
    return d_loss_d_yhat * d_yhat_d_w


def step(w, lr, grad):
    return w - lr * grad


def train_gd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w, history = w0, []
    for _ in range(epochs):
        history.append(cost(xs, ys, w))
        w = step(w, lr, gradient(xs, ys, w))
    return w, history


def train_sgd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w, history = w0, []
    for _ in range(epochs):
        losses = []
        for x, y in zip(xs, ys):
            losses.append((x * w - y) ** 2)
            w = step(w, lr, sgd_gradient(x, y, w))
        history.append(losses[-1])
    return w, history


def batches(xs, ys, batch_size):
    """Consecutive (xs, ys) slices of batch_size samples; the last one may be smaller."""
    out = []
    for i, _ in enumerate(xs):
        if i % batch_size == 0:
            out.append((xs[i:i + batch_size], ys[i:i + batch_size]))
    return out


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2):
    w, history = w0, []
    for _ in range(epochs):
        for batch_xs, batch_ys in batches(xs, ys, batch_size):
            w = step(w, lr, gradient(batch_xs, batch_ys, w))
        history.append(cost(xs, ys, w))
    return w, history


for name, train in [("GD", train_gd), ("SGD", train_sgd), ("mini-batch", train_minibatch)]:
    w, history = train(xs, ys)
    print(name, "w =", w, "prediction at 4:", 4.0 * w)
