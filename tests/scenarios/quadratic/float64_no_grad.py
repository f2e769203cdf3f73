# Correct, float64 tensors and in-place updates under torch.no_grad() instead of .data.
import torch


def forward(x, w1, w2, b):
    return w1 * x ** 2 + w2 * x + b


def loss(x, y, w1, w2, b):
    return (forward(x, w1, w2, b) - y).pow(2)


def manual_gradients(x, y, w1, w2, b):
    residual = (w1 * x ** 2 + w2 * x + b) - y
    return (2.0 * residual * x ** 2, 2.0 * residual * x, 2.0 * residual)


def train(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    params = [torch.tensor([v], dtype=torch.float64, requires_grad=True) for v in (w1, w2, b)]
    history = []
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            l = loss(x, y, *params)
            l.backward()
            with torch.no_grad():
                for p in params:
                    p -= lr * p.grad
                    p.grad.zero_()
        history.append(float(l))
    return tuple(p.item() for p in params), history


def predict(x, w1, w2, b):
    return torch.tensor(w1 * x ** 2 + w2 * x + b, dtype=torch.float64)
