# Emmy Noether - Assignment 2: gradient descent (batch / stochastic / mini-batch)

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def cost(xs, ys, w):
    total = 0.0
    for x, y in zip(xs, ys):
        y_pred = x * w
        total += (y_pred - y) ** 2
    return total / len(xs)


def gradient(xs, ys, w):
    # d cost/dw = 1/N * sum 2x(xw - y)
    grad = 0.0
    for x, y in zip(xs, ys):
        grad += 2 * x * (x * w - y)
    return grad / len(xs)


def train_gd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = w0
    history = []
    for epoch in range(epochs):
        cost_val = cost(xs, ys, w)
        grad_val = gradient(xs, ys, w)
        w = w - lr * grad_val
        history.append(cost_val)   # cost before this epoch's update
    return w, history


def sgd_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train_sgd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = w0
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            l = (x * w - y) ** 2
            grad = sgd_gradient(x, y, w)
            w = w - lr * grad
        history.append(l)
    return w, history


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2):
    w = w0
    history = []
    n = len(xs)
    for epoch in range(epochs):
        i = 0
        while i < n:
            bx = xs[i:i + batch_size]
            by = ys[i:i + batch_size]
            w = w - lr * gradient(bx, by, w)
            i += batch_size
        history.append(cost(xs, ys, w))
    return w, history


if __name__ == "__main__":
    w, hist = train_gd(xs, ys)
    print("GD:  w =", w, "predict(4) =", 4 * w)
    w, hist = train_sgd(xs, ys)
    print("SGD: w =", w, "predict(4) =", 4 * w)
    w, hist = train_minibatch(xs, ys)
    print("MB:  w =", w, "predict(4) =", 4 * w)
