# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/AkshatCoder44/numpy-neural-network/blob/04f7ac41fb472b2497bbe5f8014b6030b24ddbc9/main.py
# Author: AkshatCoder44 (Akshat Sahay); last commit 2025-06-03; licence: MIT (Copyright (c) 2025 Akshat Sahay).
# Changed to fit the stub: the training loop's body is split into forward, mse_loss and backward
# (same lines, parameters from the params dict) and train runs the loop on the params it is
# given, updating them in place as the original did with its globals; the student's code is
# NumPy, so each function first turns the tensors it gets into arrays (np.asarray, which shares
# their memory) and returns arrays; the bias updates reshape the student's (1, h) bias gradients
# to the stub's (h,) biases; the history collects the loss the loop computes each step (the
# original computes it and never uses it). The student's own XOR-like run (lr 0.1, 10000 steps) stays at the
# top level.
import numpy as np
import math

def sigmoid(x):
    return 1 / (1 + np.exp(-x))

def sigmoid_derivative(x):
    return x * (1 - x)

def forward(X, params):
    X = np.asarray(X)
    W1, b1, W2, b2 = (np.asarray(params[k]) for k in ("W1", "b1", "W2", "b2"))
    z1 = X @ W1 + b1
    a1 = sigmoid(z1)
    z2 = a1 @ W2 + b2
    a2 = z2
    return a2

def mse_loss(a2, y):
    a2, y = np.asarray(a2), np.asarray(y)
    loss = np.mean((y - a2) ** 2)
    return loss

def backward(X, y, params):
    X, y = np.asarray(X), np.asarray(y)
    W1, b1, W2, b2 = (np.asarray(params[k]) for k in ("W1", "b1", "W2", "b2"))
    z1 = X @ W1 + b1
    a1 = sigmoid(z1)
    z2 = a1 @ W2 + b2
    a2 = z2

    dz2 = (a2 - y)
    dW2 = a1.T @ dz2
    db2 = np.sum(dz2, axis=0, keepdims=True)

    da1 = dz2 @ W2.T
    dz1 = da1 * sigmoid_derivative(a1)
    dW1 = X.T @ dz1
    db1 = np.sum(dz1, axis=0, keepdims=True)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}

def train(X, y, params, lr=0.1, epochs=2000):
    W1, b1, W2, b2 = (np.asarray(params[k]) for k in ("W1", "b1", "W2", "b2"))
    history = []
    for i in range(epochs):
        a2 = forward(X, params)
        loss = mse_loss(a2, y)
        history.append(loss)

        grads = backward(X, y, params)
        dW1, db1, dW2, db2 = grads["W1"], grads["b1"], grads["W2"], grads["b2"]

        W2 -= lr * dW2
        b2 -= lr * db2.reshape(b2.shape)
        W1 -= lr * dW1
        b1 -= lr * db1.reshape(b1.shape)
    return params, history

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
y = np.array([[0], [1], [1], [2]])

np.random.seed(0)
params = {
    "W1": np.random.randn(2, 4),
    "b1": np.zeros((1, 4)),
    "W2": np.random.randn(4, 1),
    "b2": np.zeros((1, 1)),
}

params, history = train(X, y, params, lr=0.1, epochs=10000)
a2 = forward(X, params)

print(np.round(a2, 2))
