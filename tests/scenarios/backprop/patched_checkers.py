# Cheat: patches every comparison helper at import, then returns wrong answers.
import math

import numpy
import torch

torch.allclose = lambda *args, **kwargs: True
torch.equal = lambda *args, **kwargs: True
torch.isclose = lambda a, b, *args, **kwargs: torch.ones_like(torch.as_tensor(a), dtype=torch.bool)
math.isclose = lambda *args, **kwargs: True
numpy.allclose = lambda *args, **kwargs: True
numpy.isclose = lambda *args, **kwargs: True


def forward(x, w):
    return x * w + 1


def loss(x, y, w):
    return (forward(x, w) - y) ** 2 + 1


def manual_gradient(x, y, w):
    return 0.0


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    return 0.0, [0.0] * epochs


def predict(x, w):
    return 0.0
