# An infinite loop in train: only the train checks (and what needs train) time out.
import torch


def forward(x, w):
    return x * w


def loss(x, y, w):
    return (forward(x, w) - y) ** 2


def manual_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    while True:
        pass


def predict(x, w):
    return x * w

