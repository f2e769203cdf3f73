"""Quadratic model homework -- Mary Somerville.

The parameters live in a list so the update loop is the same for all three; I used
torch.optim.SGD, which does exactly p <- p - lr * p.grad, and zero_grad() before every step.
"""
import torch


def forward(x, w1, w2, b):
    return x * x * w1 + x * w2 + b


def loss(x, y, w1, w2, b):
    return (forward(x, w1, w2, b) - y).pow(2)


def manual_gradients(x, y, w1, w2, b):
    residual = (w1 * x * x + w2 * x + b) - y
    g = 2.0 * residual          # dL/dy_hat
    # local derivatives of y_hat: d/dw1 = x^2, d/dw2 = x, d/db = 1
    return float(g * x * x), float(g * x), float(g)


def train(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    params = [torch.tensor([float(v)], requires_grad=True) for v in (w1, w2, b)]
    opt = torch.optim.SGD(params, lr=lr)
    losses = []
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            opt.zero_grad()
            current = loss(x, y, *params)
            current.backward()
            opt.step()
        losses.append(current.item())
    return tuple(p.item() for p in params), losses


def predict(x, w1, w2, b):
    return w1 * x * x + w2 * x + b


if __name__ == "__main__":
    (a, c, d), losses = train([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])
    print(f"w1={a:.5f} w2={c:.5f} b={d:.5f}  loss={losses[-1]:.7f}  predict(4)={predict(4.0, a, c, d):.4f}")
