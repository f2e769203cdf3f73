# Frank Rosenblatt - assignment 5: two layers with a sigmoid, backprop by hand
import torch


def sigmoid(z):
    return 1.0 / (1.0 + torch.exp(-z))


def forward(X, params):
    z1 = X @ params["W1"] + params["b1"]
    a1 = sigmoid(z1)
    return a1 @ params["W2"] + params["b2"]


def mse_loss(y_hat, y):
    return torch.mean((y_hat - y) ** 2)


def backward(X, y, params):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    # forward again, keeping what we need
    z1 = X @ W1 + b1
    a1 = sigmoid(z1)
    y_hat = a1 @ W2 + b2
    n = y.shape[0]
    # backward
    d_yhat = 2.0 * (y_hat - y) / n            # (n, 1)
    d_W2 = a1.T @ d_yhat                      # (h, 1)
    d_b2 = d_yhat.sum(dim=0)                  # (1,)
    d_a1 = d_yhat @ W2.T                      # (n, h)
    d_z1 = d_a1 * a1 * (1.0 - a1)             # sigmoid'(z) = s(1-s)
    d_W1 = X.T @ d_z1                         # (d, h)
    d_b1 = d_z1.sum(dim=0)                    # (h,)
    return {"W1": d_W1, "b1": d_b1, "W2": d_W2, "b2": d_b2}


def train(X, y, params, lr=0.5, epochs=2000):
    p = {k: v.clone() for k, v in params.items()}   # don't touch the caller's tensors
    history = []
    for epoch in range(epochs):
        history.append(mse_loss(forward(X, p), y).item())
        grads = backward(X, y, p)
        for k in p:
            p[k] = p[k] - lr * grads[k]
    return p, history


if __name__ == "__main__":
    torch.manual_seed(0)
    X = torch.linspace(-2, 2, 64, dtype=torch.float64).reshape(-1, 1)
    y = torch.sin(X)
    params = {
        "W1": torch.randn(1, 8, dtype=torch.float64),
        "b1": torch.zeros(8, dtype=torch.float64),
        "W2": 0.5 * torch.randn(8, 1, dtype=torch.float64),
        "b2": torch.zeros(1, dtype=torch.float64),
    }
    trained, hist = train(X, y, params)
    print("loss: start", hist[0], "end", hist[-1])
