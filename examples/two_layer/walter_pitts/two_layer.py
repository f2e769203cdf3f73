"""Walter Pitts -- two-layer net, gradients by hand.

I check my backward() against autograd at the bottom (only when run as a script, autograd is
not used in backward itself).
"""
import torch


def sigmoid(z):
    return torch.reciprocal(1 + torch.exp(-z))


def forward(X, params):
    hidden = sigmoid(torch.addmm(params["b1"], X, params["W1"]))
    return torch.addmm(params["b2"], hidden, params["W2"])


def mse_loss(y_hat, y):
    diff = y_hat - y
    return (diff * diff).sum() / diff.numel()


def backward(X, y, params):
    h = sigmoid(X.mm(params["W1"]) + params["b1"])
    out = h.mm(params["W2"]) + params["b2"]
    g_out = (out - y) * (2.0 / out.numel())
    g_h = g_out.mm(params["W2"].t())
    g_z = g_h * h * (1 - h)
    return {
        "W2": h.t().mm(g_out),
        "b2": g_out.sum(0),
        "W1": X.t().mm(g_z),
        "b1": g_z.sum(0),
    }


def train(X, y, params, lr=0.5, epochs=2000):
    current = {name: t.detach().clone() for name, t in params.items()}
    losses = []
    for _ in range(epochs):
        losses.append(float(mse_loss(forward(X, current), y)))
        g = backward(X, y, current)
        current = {name: current[name] - lr * g[name] for name in current}
    return current, losses


if __name__ == "__main__":
    torch.manual_seed(1)
    X = torch.randn(5, 2, dtype=torch.float64)
    y = torch.randn(5, 1, dtype=torch.float64)
    params = {"W1": torch.randn(2, 3, dtype=torch.float64), "b1": torch.randn(3, dtype=torch.float64),
              "W2": torch.randn(3, 1, dtype=torch.float64), "b2": torch.randn(1, dtype=torch.float64)}
    mine = backward(X, y, params)
    leaves = {k: v.clone().requires_grad_() for k, v in params.items()}
    mse_loss(forward(X, leaves), y).backward()
    for k in params:
        print(k, torch.allclose(mine[k], leaves[k].grad))
