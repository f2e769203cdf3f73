"""Wrong versions of `train` that students really write, so that the grader can name the mistake.

The grader runs these (never the student's code) on a case the student failed, and when one of
them reproduces the student's result exactly it says so. Each function has the stub's signature;
the first line of its docstring completes "this is what you get when ...". They live with the
solution because they are the solution with one thing changed: students never see them.
"""

import torch


def _sgd(xs, ys, w0, lr, epochs, *, zero_grad=True, record="last"):
    """The seed's loop, with one of its details changed."""
    w = torch.tensor([w0], requires_grad=True)
    history = []
    for _ in range(epochs):
        losses = []
        for x, y in zip(xs, ys):
            l = (x * w - y) ** 2
            l.backward()
            w.data = w.data - lr * w.grad.data
            if zero_grad:
                w.grad.data.zero_()
            losses.append(l.item() if record != "after" else ((x * w - y) ** 2).item())
        history.append(sum(losses) / len(losses) if record == "mean" else sum(losses) if record == "sum"
                       else losses[-1])
    return w.item(), history


def train_grad_not_zeroed(xs, ys, w0=1.0, lr=0.01, epochs=100):
    """w.grad is never zeroed, so each step uses the sum of all gradients so far (call w.grad.data.zero_() after every update)"""
    return _sgd(xs, ys, w0, lr, epochs, zero_grad=False)


def train_epoch_mean(xs, ys, w0=1.0, lr=0.01, epochs=100):
    """history[i] is the mean of the losses of epoch i, where the last sample's loss is asked for"""
    return _sgd(xs, ys, w0, lr, epochs, record="mean")


def train_epoch_sum(xs, ys, w0=1.0, lr=0.01, epochs=100):
    """history[i] is the sum of the losses of epoch i, where the last sample's loss is asked for"""
    return _sgd(xs, ys, w0, lr, epochs, record="sum")


def train_loss_after_update(xs, ys, w0=1.0, lr=0.01, epochs=100):
    """history[i] is the last sample's loss computed after its update, where l.item() from before the update is asked for"""
    return _sgd(xs, ys, w0, lr, epochs, record="after")


MISTAKES = {"train": [train_grad_not_zeroed, train_epoch_mean, train_epoch_sum, train_loss_after_update]}
