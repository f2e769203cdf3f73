# Correct: explicit step-by-step backward with named intermediates, a plain loop in train.
import torch


def sigmoid(z):
    return 1.0 / (1.0 + torch.exp(-z))


def forward(X, params):
    z1 = X @ params["W1"] + params["b1"]
    a1 = sigmoid(z1)
    z2 = a1 @ params["W2"] + params["b2"]
    return z2


def mse_loss(y_hat, y):
    error = y_hat - y
    squared = error ** 2
    return squared.mean()


def backward(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = X.shape[0]
    # forward, keeping every intermediate
    z1 = X @ W1 + b1              # (n, h)
    a1 = sigmoid(z1)              # (n, h)
    y_hat = a1 @ W2 + b2          # (n, 1)
    # backward
    dL_dyhat = 2.0 * (y_hat - y) / n          # (n, 1)
    dL_dW2 = a1.T @ dL_dyhat                  # (h, 1)
    dL_db2 = dL_dyhat.sum(dim=0)              # (1,)
    dL_da1 = dL_dyhat @ W2.T                  # (n, h)
    da1_dz1 = a1 * (1.0 - a1)                 # sigmoid'(z1)
    dL_dz1 = dL_da1 * da1_dz1                 # (n, h)
    dL_dW1 = X.T @ dL_dz1                     # (d, h)
    dL_db1 = dL_dz1.sum(dim=0)                # (h,)
    return {"W1": dL_dW1, "b1": dL_db1, "W2": dL_dW2, "b2": dL_db2}


def train(X, y, params, lr=0.5, epochs=2000):
    current = {}
    for name in params:
        current[name] = params[name].clone()
    history = []
    for epoch in range(epochs):
        y_hat = forward(X, current)
        history.append(mse_loss(y_hat, y).item())
        grads = backward(X, y, current)
        for name in current:
            current[name] = current[name] - lr * grads[name]
        if epoch % 500 == 0:
            print("progress:", epoch, history[-1])
    return current, history
