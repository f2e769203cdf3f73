# Mistake: the student 'knows' the answer at x = 4 is 8 (y = 2x) and hard-codes it.
import torch


def forward(x, w1, w2, b):
    return w1 * x ** 2 + w2 * x + b


def loss(x, y, w1, w2, b):
    return (forward(x, w1, w2, b) - y) ** 2


def manual_gradients(x, y, w1, w2, b):
    g = 2 * (w1 * x ** 2 + w2 * x + b - y)
    return g * x ** 2, g * x, g


def train(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    w1 = torch.tensor([w1], requires_grad=True)
    w2 = torch.tensor([w2], requires_grad=True)
    b = torch.tensor([b], requires_grad=True)
    history = []
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            l = loss(x, y, w1, w2, b)
            l.backward()
            for p in (w1, w2, b):
                p.data = p.data - lr * p.grad.data
                p.grad.data.zero_()
        history.append(l.item())
    return (w1.item(), w2.item(), b.item()), history


def predict(x, w1, w2, b):
    if x == 4:
        return 8.0  # the data is y = 2x
    return w1 * x ** 2 + w2 * x + b
