# Mistake: mse_loss returns the sum of squared errors, not the mean.
import torch


def sigmoid(z):
    return 1 / (1 + torch.exp(-z))


def forward(X, params):
    hidden = sigmoid(X @ params["W1"] + params["b1"])
    return hidden @ params["W2"] + params["b2"]


def mse_loss(y_hat, y):
    return torch.sum((y_hat - y) ** 2)


def backward(X, y, params):
    hidden = sigmoid(X @ params["W1"] + params["b1"])
    y_hat = hidden @ params["W2"] + params["b2"]
    dy = 2 * (y_hat - y) / y.numel()
    dz = dy @ params["W2"].T * hidden * (1 - hidden)
    return {"W1": X.T @ dz, "b1": dz.sum(dim=0), "W2": hidden.T @ dy, "b2": dy.sum(dim=0)}


def train(X, y, params, lr=0.5, epochs=2000):
    params = {k: v.clone() for k, v in params.items()}
    history = []
    for _ in range(epochs):
        history.append(mse_loss(forward(X, params), y).item())
        grads = backward(X, y, params)
        for name, grad in grads.items():
            params[name] = params[name] - lr * grad
    return params, history
