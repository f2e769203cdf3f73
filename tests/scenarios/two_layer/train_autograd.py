# Mistake: train gets its gradients from autograd (.backward()) instead of calling backward; train is by hand.
import torch


def sigmoid(z):
    return 1 / (1 + torch.exp(-z))


def forward(X, params):
    hidden = sigmoid(X @ params["W1"] + params["b1"])
    return hidden @ params["W2"] + params["b2"]


def mse_loss(y_hat, y):
    return torch.mean((y_hat - y) ** 2)


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
        leaves = {k: v.detach().requires_grad_(True) for k, v in params.items()}
        mse_loss(forward(X, leaves), y).backward()
        params = {k: (v - lr * v.grad).detach() for k, v in leaves.items()}
    return params, history
