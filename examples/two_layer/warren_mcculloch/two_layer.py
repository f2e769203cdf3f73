# Warren McCulloch -- two layer network
import torch


def sigmoid(z):
    return 1 / (1 + torch.exp(-z))


def forward(X, params):
    H = sigmoid(X @ params["W1"] + params["b1"])
    return H @ params["W2"] + params["b2"]


def mse_loss(y_hat, y):
    return ((y_hat - y) ** 2).mean()


def backward(X, y, params):
    H = sigmoid(X @ params["W1"] + params["b1"])
    y_hat = H @ params["W2"] + params["b2"]
    dy = 2 * (y_hat - y) / y_hat.numel()
    dH = dy @ params["W2"].T
    dZ = dH * H * (1 - H)
    return {
        "W1": X.T @ dZ,
        "b1": dZ.sum(dim=0),
        "W2": H.T @ dy,
        "b2": dy.sum(dim=0),
    }


def train(X, y, params, lr=0.5, epochs=2000):
    history = []
    for epoch in range(epochs):
        history.append(mse_loss(forward(X, params), y).item())
        grads = backward(X, y, params)
        # in-place update, saves memory
        for name in params:
            params[name] -= lr * grads[name]
    return params, history


if __name__ == "__main__":
    torch.manual_seed(0)
    X = torch.linspace(-2, 2, 64, dtype=torch.float64).unsqueeze(1)
    params = {"W1": torch.randn(1, 8, dtype=torch.float64), "b1": torch.zeros(8, dtype=torch.float64),
              "W2": torch.randn(8, 1, dtype=torch.float64) * 0.5, "b2": torch.zeros(1, dtype=torch.float64)}
    params, history = train(X, torch.sin(X), params)
    print("final loss", history[-1])
