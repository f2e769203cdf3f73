# Typical mistake: backward() and zero_() but no update of w, so the parameter never changes.
import torch


def forward(x, w):
    return x * w


def loss(x, y, w):
    return (forward(x, w) - y) ** 2


def manual_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            l = loss(x, y, w)
            l.backward()
            step = lr * w.grad.data  # computed, never applied
            w.grad.data.zero_()
        history.append(l.item())
    return w.item(), history


def predict(x, w):
    return x * w
