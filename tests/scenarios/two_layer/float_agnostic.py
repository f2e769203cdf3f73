# Correct and dtype-agnostic: sums as products with a ones row of X's dtype, works in float32 and float64.
import torch


def sigmoid(z):
    return torch.reciprocal(torch.exp(-z) + 1)


def forward(X, params):
    ones = torch.ones(X.shape[0], 1, dtype=X.dtype)
    hidden = sigmoid(X @ params["W1"] + ones @ params["b1"].reshape(1, -1))
    return hidden @ params["W2"] + ones @ params["b2"].reshape(1, -1)


def mse_loss(y_hat, y):
    diff = (y_hat - y).reshape(-1)
    return diff.dot(diff) / diff.numel()


def backward(X, y, params):
    ones_row = torch.ones(1, X.shape[0], dtype=X.dtype)
    hidden = sigmoid(X @ params["W1"] + params["b1"])
    y_hat = hidden @ params["W2"] + params["b2"]
    d_out = (y_hat - y) * (2.0 / y_hat.numel())
    d_hidden = (d_out @ params["W2"].T) * hidden * (1 - hidden)
    return {
        "W1": X.T @ d_hidden,
        "b1": (ones_row @ d_hidden).reshape(params["b1"].shape),
        "W2": hidden.T @ d_out,
        "b2": (ones_row @ d_out).reshape(params["b2"].shape),
    }


def train(X, y, params, lr=0.5, epochs=2000):
    params = {k: v.detach().clone() for k, v in params.items()}
    history = []
    for _ in range(epochs):
        history.append(mse_loss(forward(X, params), y).item())
        grads = backward(X, y, params)
        for k in params:
            params[k] = params[k] - lr * grads[k]
    return params, history


if __name__ == "__main__":
    torch.manual_seed(0)
    for dtype in (torch.float32, torch.float64):
        X = torch.linspace(-2, 2, 64, dtype=dtype).unsqueeze(1)
        start = {"W1": torch.randn(1, 8, dtype=dtype), "b1": torch.zeros(8, dtype=dtype),
                 "W2": torch.randn(8, 1, dtype=dtype) * 0.5, "b2": torch.zeros(1, dtype=dtype)}
        print(dtype, train(X, torch.sin(X), start)[1][-1])
