# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/KrikunovEV/study/blob/d9efe17132960b265aa9af436fd5d6fdb11fe9fb/ML/Backprop.py
# Author: KrikunovEV; last commit 2022-03-03; licence: none stated.
# Changed to fit the stub: the loop's body became forward, mse_loss (the student's `loss`),
# backward (returning the student's grad_w1 and grad_w2 under the stub's names) and train (the
# loop, with the step size as a parameter instead of 1e-4, updating the given weights in place as
# the original did with its globals, and keeping the loss it prints); the student never wrote a
# sigmoid function (the stub's body is kept) and has no biases. The student's code is NumPy, so
# the stub functions first turn the tensors they get into arrays (np.asarray, which shares their
# memory). The student's own run on random data (64 x 1000, 2000 steps) stays at the top level.
import numpy as np
from numpy.random import randn


def sigmoid(z):
    raise NotImplementedError("sigmoid: write your code here (see the docstring)")


def forward(x, params):
    x, w1, w2 = np.asarray(x), np.asarray(params["W1"]), np.asarray(params["W2"])
    # 1 layer
    h = 1 / (1 + np.exp(-x.dot(w1)))
    # 2 layer
    y_pred = h.dot(w2)
    return y_pred


def mse_loss(y_pred, y):
    # loss
    loss = np.square(np.asarray(y_pred) - np.asarray(y)).sum()
    return loss


def backward(x, y, params):
    x, y, w1, w2 = np.asarray(x), np.asarray(y), np.asarray(params["W1"]), np.asarray(params["W2"])
    # 1 layer
    h = 1 / (1 + np.exp(-x.dot(w1)))
    # 2 layer
    y_pred = h.dot(w2)

    # find gradient (backpropagation) and optimize
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h.T.dot(grad_y_pred)
    grad_h = grad_y_pred.dot(w2.T)
    grad_w1 = x.T.dot(grad_h * h * (1 - h))
    return {"W1": grad_w1, "W2": grad_w2}


def train(x, y, params, lr=1e-4, epochs=2000):
    w1, w2 = np.asarray(params["W1"]), np.asarray(params["W2"])
    history = []
    for t in range(epochs):
        y_pred = forward(x, params)
        loss = mse_loss(y_pred, y)
        print(t, loss)
        history.append(loss)

        grads = backward(x, y, params)
        grad_w1, grad_w2 = grads["W1"], grads["W2"]

        w1 -= lr * grad_w1
        w2 -= lr * grad_w2
    return params, history


N, D_in, H, D_out = 64, 1000, 100, 10
x, y = randn(N, D_in), randn(N, D_out)
w1, w2 = randn(D_in, H), randn(H, D_out)

params, history = train(x, y, {"W1": w1, "W2": w2})

print(w2)
