# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/lizhuofan-curry/LiuErDaRenPyTorch/tree/ad55f8dfa95f82d9161bc5ddee7ac632f3817c86/Chapter03_GradientDescent
#   (gradient_descent.py, stochastic_gradient_descent.py, mini_batch_gradient_descent.py)
# Author: lizhuofan-curry (ZhuofanLi); repository dated 2026; licence: MIT (Copyright (c) 2026 ZhuofanLi).
# Changed to fit the stub: the three scripts in one file; w, lr and epochs are parameters instead
# of the global w, 0.01 and 100; the per-sample helpers of the SGD script are renamed
# sgd_cost/sgd_gradient so they do not clash with the batch ones; each loop returns (w, history)
# where history collects the loss the script prints (the mini-batch script prints none).
x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = 1.0


def forward(x, w):
    return x * w


def cost(xs, ys, w):
    cost_value = 0
    for x, y in zip(xs, ys):
        y_pred = forward(x, w)
        cost_value += (y_pred - y) ** 2
    return cost_value / len(xs)


def gradient(xs, ys, w):
    grad = 0
    for x, y in zip(xs, ys):
        grad += 2 * x * (x * w - y)
    return grad / len(xs)


def train_gd(xs, ys, w=1.0, lr=0.01, epochs=100):
    history = []
    for epoch in range(epochs):
        cost_val = cost(xs, ys, w)
        grad_val = gradient(xs, ys, w)
        w -= lr * grad_val
        print("Epoch", epoch, "w=", w, "loss=", cost_val)
        history.append(cost_val)
    return w, history


# SGD: stochastic gradient descent
def sgd_cost(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) ** 2


def sgd_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train_sgd(xs, ys, w=1.0, lr=0.01, epochs=100):
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            cost_val = sgd_cost(x, y, w)
            grad_val = sgd_gradient(x, y, w)
            w -= lr * grad_val
            print("Epoch", epoch, "w=", w, "loss=", cost_val)
            history.append(cost_val)
    return w, history


# Mini-batch gradient descent
def train_minibatch(x_data, y_data, w=1.0, lr=0.01, epochs=100, batch_size=2):
    history = []
    for epoch in range(epochs):
        for i in range(0, len(x_data), batch_size):
            x_batch = x_data[i : i + batch_size]
            y_batch = y_data[i : i + batch_size]

            grad = gradient(x_batch, y_batch, w)
            w = w - lr * grad
    return w, history


print("Predict(before training)", 4, forward(4, w))
w, _ = train_gd(x_data, y_data, w)
print("Predict(after training)", 4, forward(4, w))

w = 1.0
print("Predict(before training)", 4, forward(4, w))
w, _ = train_sgd(x_data, y_data, w)
print("Predict(after training)", 4, forward(4, w))

w = 1.0
batch_size = 2
print("Predict(before training)", 4, forward(4, w))
w, _ = train_minibatch(x_data, y_data, w, batch_size=batch_size)
print("Predict(after training)", 4, forward(4, w))
