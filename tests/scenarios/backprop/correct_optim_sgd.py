# torch.optim.SGD does the update and the zeroing; numbers come back as numpy scalars.
import numpy as np
import torch


def forward(x, w):
    return torch.mul(w, x)


def loss(x, y, w):
    return torch.nn.functional.mse_loss(forward(x, w), torch.tensor([y], dtype=w.dtype), reduction="sum")


def manual_gradient(x, y, w):
    return np.float64(2 * x * (x * w - y))


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            optimizer.zero_grad()
            l = loss(x, y, w)
            l.backward()
            optimizer.step()
        history.append(float(l))
    return np.float32(w.item()), history


def predict(x, w):
    return np.float64(x) * w
