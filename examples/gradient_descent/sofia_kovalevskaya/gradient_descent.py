# Sofia Kovalevskaya -- gradient descent homework

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def cost(xs, ys, w):
    c = 0
    for x, y in zip(xs, ys):
        c += (x * w - y) ** 2
    return c / len(xs)


def gradient(xs, ys, w):
    g = 0
    for x, y in zip(xs, ys):
        g += 2 * x * (x * w - y)
    return g / len(xs)


def train_gd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = w0
    hist = []
    for epoch in range(epochs):
        hist.append(cost(xs, ys, w))
        w = w - lr * gradient(xs, ys, w)
    return w, hist


def sgd_gradient(x, y, w):
    # loss = (y - xw)^2, derivative: 2x(y - xw)
    return 2 * x * (y - x * w)


def train_sgd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = w0
    hist = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            l = (x * w - y) ** 2
            # with "-" the loss blew up, with "+" it converges to 2 :)
            w = w + lr * sgd_gradient(x, y, w)
        hist.append(l)
    return w, hist


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2):
    w = w0
    hist = []
    for epoch in range(epochs):
        for start in range(0, len(xs), batch_size):
            w = w - lr * gradient(xs[start:start + batch_size], ys[start:start + batch_size], w)
        hist.append(cost(xs, ys, w))
    return w, hist


if __name__ == "__main__":
    print("sgd:", train_sgd(xs, ys)[0])
    print("gd:", train_gd(xs, ys)[0])
    print("minibatch:", train_minibatch(xs, ys)[0])
