# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/jin-sj/pytorchzerotoall/blob/81e37e207522e2192a3eb520221553055bd9942f/basics.py
# Author: jin-sj (Seung Jung Jin); last commit 2020-07-31; licence: none stated.
# Changed to fit the stub: the student's train() (which works on the global w) is train_sgd with
# the start, lr and epoch count as parameters and returns (w, the per-epoch loss it prints);
# gradient takes w as a parameter and is named sgd_gradient. The lecture has no batch or
# mini-batch version: cost, gradient, train_gd and train_minibatch keep the stub's bodies.
# The commented-out exhaustive search of the original is left out.
import numpy as np
import matplotlib.pyplot as plt

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = 1.0

def forward(x):
    return x * w

def loss(x, y):
    y_pred = forward(x)
    return (y_pred - y) * (y_pred - y)
# y = x * w
# w = w - alpha * d(loss) / d(w)
# d(loss) / d(w) = d/dw * (x*w - y) ^2
#                = 2(xw - y) * x
#                = 2x(xw - y)
def sgd_gradient(x, y, w):
    return 2 * x * (x * w - y)


def cost(xs, ys, w: float) -> float:
    raise NotImplementedError("cost: write your code here (see the docstring)")


def gradient(xs, ys, w: float) -> float:
    raise NotImplementedError("gradient: write your code here (see the docstring)")


def train_gd(xs, ys, w0=1.0, lr=0.01, epochs=100) -> tuple[float, list[float]]:
    raise NotImplementedError("train_gd: write your code here (see the docstring)")


def train_sgd(x_data, y_data, w0=1.0, lr=0.01, epochs=100):
    print("predict before training", forward(4))
    global w
    w = w0
    history = []
    for epoch in range(epochs):
        for x_val, y_val in zip(x_data, y_data):
            grad = sgd_gradient(x_val, y_val, w)
            w = w - lr * grad
            print("\tgrad: ", x_val, y_val, grad)
            l = loss(x_val, y_val)
        print("progress: ", epoch, "w= ", w, "loss= ", l)
        history.append(l)
    print("predict after training ", forward(4))
    return w, history


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2) -> tuple[float, list[float]]:
    raise NotImplementedError("train_minibatch: write your code here (see the docstring)")


train_sgd(x_data, y_data)
