# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/Layotiver/Cloak-of-Invisibility/tree/4bd09a3ffec5f9dd29994bff2a8a7a3ce807f0ff/lx/PyTorch-Deep-Learning
#   (GD.py, SGD.py)
# Author: Layotiver; date unknown; licence: none stated.
# Changed to fit the stub: the two scripts in one file; w, 0.01 and the epoch count are
# parameters instead of the global w and literals; the SGD script's gradient is sgd_gradient;
# each loop returns (w, the per-epoch loss it prints). The scripts' own runs (1000 epochs for
# GD) stay at the top level. train_minibatch was not written (the stub's body is kept).
import numpy as np

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = 1.0

def forward(x, w):
    return w * x

def cost(xs, ys, w):
    cost = 0
    for x, y in zip(xs, ys):
        y_pred = forward(x, w)
        cost += (y_pred - y) ** 2
    return cost / len(xs)

def gradient(xs, ys, w):
    grad = 0
    for x, y in zip(xs, ys):
        grad += 2 * x * (x * w - y)
        return grad / len(xs)

def train_gd(x_data, y_data, w=1.0, lr=0.01, epochs=100):
    history = []
    for epoch in range(epochs):
        cost_val = cost(x_data, y_data, w)
        grad_val = gradient(x_data, y_data, w)
        w -= lr * grad_val
        print("Epoch:", epoch, "w=", w, "loss=", cost_val)
        history.append(cost_val)
    return w, history

def loss(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) ** 2

def sgd_gradient(x, y, w):
    return 2 * x * (x * w - y)

def train_sgd(x_data, y_data, w=1.0, lr=0.01, epochs=100):
    history = []
    for epoch in range(epochs):
        for x, y in zip(x_data, y_data):
            grad_val = sgd_gradient(x, y, w)
            w -= lr * grad_val
            # print("\tgrad: ", x, y, grad_val)
            l = loss(x, y, w)

        print("progress:", epoch, "w=", w, "loss=", l)
        history.append(l)
    return w, history

def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2) -> tuple[float, list[float]]:
    raise NotImplementedError("train_minibatch: write your code here (see the docstring)")

print("Predict (before training)", 4, forward(4, w))
w, _ = train_gd(x_data, y_data, w, 0.01, 1000)
print("Predict (after training)",4 ,forward(4, w))

w = 1.0
print("Predict (before training)", 4, forward(4, w))
w, _ = train_sgd(x_data, y_data, w)
print("Predict (after training)", 4, forward(4, w))
