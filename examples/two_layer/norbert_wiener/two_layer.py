# Norbert Wiener -- assignment 5
import torch


def sigmoid(z):
    return 1.0 / (1.0 + torch.exp(-z))


def forward(X, params):
    a = sigmoid(X @ params["W1"] + params["b1"])
    return a @ params["W2"] + params["b2"]


def mse_loss(y_hat, y):
    return ((y_hat - y) ** 2).mean()


def backward(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    a = sigmoid(X @ W1 + b1)
    y_hat = a @ W2 + b2
    # derivative of (y_hat - y)^2 is 2 (y_hat - y)
    delta2 = 2 * (y_hat - y)
    dW2 = a.T @ delta2
    db2 = delta2.sum(dim=0)
    delta1 = (delta2 @ W2.T) * a * (1 - a)
    dW1 = X.T @ delta1
    db1 = delta1.sum(dim=0)
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def train(X, y, params, lr=0.5, epochs=2000):
    params = {k: v.clone() for k, v in params.items()}
    history = []
    for epoch in range(epochs):
        history.append(mse_loss(forward(X, params), y).item())
        grads = backward(X, y, params)
        for k in params:
            params[k] = params[k] - lr * grads[k]
    return params, history
