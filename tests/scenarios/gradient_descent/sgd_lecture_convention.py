# Correct, the lecture's way: train_sgd computes l = loss(x, y) after w -= lr * grad and records
# that; the contract accepts it (and the report says which convention it follows).

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]


def forward(x, w):
    return x * w


def loss(x, y, w):
    return (forward(x, w) - y) ** 2


def cost(xs, ys, w):
    return sum(loss(x, y, w) for x, y in zip(xs, ys)) / len(xs)


def gradient(xs, ys, w):
    return sum(2 * x * (x * w - y) for x, y in zip(xs, ys)) / len(xs)


def train_gd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w, history = w0, []
    for epoch in range(epochs):
        history.append(cost(xs, ys, w))
        w -= lr * gradient(xs, ys, w)
    return w, history


def sgd_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train_sgd(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w, history = w0, []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            grad = sgd_gradient(x, y, w)
            w = w - lr * grad
            print("\tgrad: ", x, y, grad)
            l = loss(x, y, w)
        print("progress:", epoch, "w=", w, "loss=", l)
        history.append(l)
    return w, history


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2):
    w, history = w0, []
    for epoch in range(epochs):
        for start in range(0, len(xs), batch_size):
            w -= lr * gradient(xs[start:start + batch_size], ys[start:start + batch_size], w)
        history.append(cost(xs, ys, w))
    return w, history


print("predict (after training)", 4, forward(4, train_sgd(x_data, y_data)[0]))
