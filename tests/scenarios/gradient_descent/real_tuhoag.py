# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/tuhoag/pytorch-zero2all/blob/31bf132265e2765616f18ca4278e832301c27e89/3_manual_gradient.py
# Author: tuhoag (Tu Hoang); last commit 2018-12-16; licence: MIT (Copyright (c) 2018 Tu Hoang).
# Changed to fit the stub: w is a parameter instead of the global; gradient is named
# sgd_gradient; the loop is train_sgd returning (w, the per-epoch loss it prints). The lecture
# has no batch or mini-batch version: cost, gradient, train_gd and train_minibatch keep the
# stub's bodies.
x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = 1.0

def forward(x, w):
    return x * w

def loss(x, y, w):
    y_pred = forward(x, w)

    return (y_pred - y) * (y_pred - y)

def sgd_gradient(x, y, w):
    return 2 * x * (x * w - y)


def cost(xs, ys, w: float) -> float:
    raise NotImplementedError("cost: write your code here (see the docstring)")


def gradient(xs, ys, w: float) -> float:
    raise NotImplementedError("gradient: write your code here (see the docstring)")


def train_gd(xs, ys, w0=1.0, lr=0.01, epochs=100) -> tuple[float, list[float]]:
    raise NotImplementedError("train_gd: write your code here (see the docstring)")


def train_sgd(x_data, y_data, w=1.0, lr=0.01, epochs=100):
    history = []
    for epoch in range(epochs):
        for x_val, y_val in zip(x_data, y_data):
            grad = sgd_gradient(x_val, y_val, w)
            w = w - lr * grad

            print('\tgrad: ', x_val, y_val, grad)
            l = loss(x_val, y_val, w)

        print('progress: ', epoch, 'w=', w, 'loss=', l)
        history.append(l)
    return w, history


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2) -> tuple[float, list[float]]:
    raise NotImplementedError("train_minibatch: write your code here (see the docstring)")


print('print (before training)', 4, forward(4, w))
w, _ = train_sgd(x_data, y_data, w)
print('print (after training', forward(4, w))
