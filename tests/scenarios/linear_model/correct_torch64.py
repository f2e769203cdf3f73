# Correct: torch tensors in float64; every number comes back as a 0-d tensor.
import torch


def forward(x, w):
    return torch.as_tensor(x, dtype=torch.float64) * torch.as_tensor(w, dtype=torch.float64)


def loss(x, y, w):
    return (forward(x, w) - torch.as_tensor(y, dtype=torch.float64)) ** 2


def mse(xs, ys, w):
    x = torch.tensor(xs, dtype=torch.float64)
    y = torch.tensor(ys, dtype=torch.float64)
    return ((x * w - y) ** 2).mean()


def search(xs, ys, candidates):
    mses = torch.stack([mse(xs, ys, w) for w in candidates])
    best = int(torch.argmin(mses))  # the first index of the minimum
    return torch.tensor(candidates[best], dtype=torch.float64), [m for m in mses]
