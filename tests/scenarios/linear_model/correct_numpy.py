# Correct: NumPy arrays; returns NumPy scalars (allowed by the contract) and np.argmin (first minimum).
import numpy as np


def forward(x, w):
    return np.float64(x) * w


def loss(x, y, w):
    return np.square(forward(x, w) - y)


def mse(xs, ys, w):
    xs = np.asarray(xs, dtype=np.float64)
    ys = np.asarray(ys, dtype=np.float64)
    return np.mean((xs * w - ys) ** 2)


def search(xs, ys, candidates):
    mses = np.array([mse(xs, ys, w) for w in candidates])
    best = int(np.argmin(mses))
    return np.asarray(candidates, dtype=np.float64)[best], list(mses)
