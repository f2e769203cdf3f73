# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/Saksham355/ml_library/blob/a3bac318503bed63c4060139fb062b9c36ac277e/ml_library/neural_net_utils.py
# Author: Saksham355; date unknown; licence: none stated.
# Changed to fit the stub: forward_pass and backward_pass are kept as written; forward returns
# forward_pass's A2, backward returns the gradients backward_pass computes (its lines up to db1)
# as a dict, mse_loss is the mean of squares, and train calls backward_pass once per epoch on
# the params it is given (which updates them in place, as the library function does). The
# student's code is NumPy, so the stub functions first turn the tensors they get into arrays
# (np.asarray, which shares their memory) and return arrays.
import numpy as np

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def sigmoid_derivative(z):
    return sigmoid(z) * (1 - sigmoid(z))

def forward_pass(X, W1, b1, W2, b2):
    Z1 = np.dot(X, W1) + b1
    A1 = sigmoid(Z1)
    Z2 = np.dot(A1, W2) + b2
    A2 = Z2
    return Z1, A1, Z2, A2

def backward_pass(X, y_true, Z1, A1, Z2, A2, W1, b1, W2, b2, lr=0.1):
    m = len(X)
    y_true = y_true.reshape(-1, 1)
    dZ2 = (A2 - y_true) / m
    dW2 = np.dot(A1.T, dZ2)
    db2 = np.sum(dZ2, axis=0)
    dA1 = np.dot(dZ2, W2.T)
    dZ1 = dA1 * sigmoid_derivative(Z1)
    dW1 = np.dot(X.T, dZ1)
    db1 = np.sum(dZ1, axis=0)
    W2 -= lr * dW2
    b2 -= lr * db2
    W1 -= lr * dW1
    b1 -= lr * db1
    return W1, b1, W2, b2

def _arrays(params):
    return tuple(np.asarray(params[k]) for k in ("W1", "b1", "W2", "b2"))

def forward(X, params):
    Z1, A1, Z2, A2 = forward_pass(np.asarray(X), *_arrays(params))
    return A2

def mse_loss(y_hat, y):
    return np.mean((np.asarray(y_hat) - np.asarray(y)) ** 2)

def backward(X, y_true, params):
    X, y_true = np.asarray(X), np.asarray(y_true)
    W1, b1, W2, b2 = _arrays(params)
    Z1, A1, Z2, A2 = forward_pass(X, W1, b1, W2, b2)
    m = len(X)
    y_true = y_true.reshape(-1, 1)
    dZ2 = (A2 - y_true) / m
    dW2 = np.dot(A1.T, dZ2)
    db2 = np.sum(dZ2, axis=0)
    dA1 = np.dot(dZ2, W2.T)
    dZ1 = dA1 * sigmoid_derivative(Z1)
    dW1 = np.dot(X.T, dZ1)
    db1 = np.sum(dZ1, axis=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}

def train(X, y, params, lr=0.1, epochs=2000):
    X, y = np.asarray(X), np.asarray(y)
    W1, b1, W2, b2 = _arrays(params)
    history = []
    for epoch in range(epochs):
        Z1, A1, Z2, A2 = forward_pass(X, W1, b1, W2, b2)
        history.append(mse_loss(A2, y))
        W1, b1, W2, b2 = backward_pass(X, y, Z1, A1, Z2, A2, W1, b1, W2, b2, lr=lr)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, history
