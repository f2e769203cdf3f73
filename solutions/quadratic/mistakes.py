"""Wrong versions of `train` that students really write, so that the grader can name the mistake.

The grader runs these (never the student's code) on a case the student failed, and when one of
them reproduces the student's result exactly it says so. Each function has the stub's signature;
the first line of its docstring completes "this is what you get when ...". They live with the
solution because they are the solution with one thing changed: students never see them.
"""

import torch


def _sgd(xs, ys, w1, w2, b, lr, epochs, *, not_zeroed=(), record="last"):
    """The reference loop, with one of its details changed."""
    params = {"w1": torch.tensor([w1], requires_grad=True), "w2": torch.tensor([w2], requires_grad=True),
              "b": torch.tensor([b], requires_grad=True)}
    history = []
    for _ in range(epochs):
        losses = []
        for x, y in zip(xs, ys):
            l = (params["w1"] * x ** 2 + params["w2"] * x + params["b"] - y) ** 2
            l.backward()
            for name, p in params.items():
                p.data = p.data - lr * p.grad.data
                if name not in not_zeroed:
                    p.grad.data.zero_()
            losses.append(l.item())
        history.append(sum(losses) / len(losses) if record == "mean" else losses[-1])
    return (params["w1"].item(), params["w2"].item(), params["b"].item()), history


def train_grads_not_zeroed(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    """the gradients are never zeroed, so each step uses the sum of all gradients so far (zero every .grad after its update)"""
    return _sgd(xs, ys, w1, w2, b, lr, epochs, not_zeroed=("w1", "w2", "b"))


def train_w1_grad_not_zeroed(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    """w1.grad is never zeroed, so w1's steps use the sum of all its gradients so far"""
    return _sgd(xs, ys, w1, w2, b, lr, epochs, not_zeroed=("w1",))


def train_w2_grad_not_zeroed(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    """w2.grad is never zeroed, so w2's steps use the sum of all its gradients so far"""
    return _sgd(xs, ys, w1, w2, b, lr, epochs, not_zeroed=("w2",))


def train_b_grad_not_zeroed(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    """b.grad is never zeroed, so b's steps use the sum of all its gradients so far"""
    return _sgd(xs, ys, w1, w2, b, lr, epochs, not_zeroed=("b",))


def train_epoch_mean(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    """history[i] is the mean of the losses of epoch i, where the last sample's loss is asked for"""
    return _sgd(xs, ys, w1, w2, b, lr, epochs, record="mean")


def _sequential(xs, ys, w1, w2, b, lr, epochs, record):
    """Gradients by hand, each computed after the parameters before it were already updated."""
    history = []
    for _ in range(epochs):
        losses = []
        for x, y in zip(xs, ys):
            losses.append((w1 * x ** 2 + w2 * x + b - y) ** 2)
            w1 -= lr * 2 * (w1 * x ** 2 + w2 * x + b - y) * x ** 2
            w2 -= lr * 2 * (w1 * x ** 2 + w2 * x + b - y) * x
            b -= lr * 2 * (w1 * x ** 2 + w2 * x + b - y)
        history.append(sum(losses) / len(losses) if record == "mean" else losses[-1])
    return (w1, w2, b), history


def train_sequential_updates(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    """each parameter's gradient is computed after the parameters before it were updated (compute all three gradients first, then update)"""
    return _sequential(xs, ys, w1, w2, b, lr, epochs, "last")


def train_sequential_updates_epoch_mean(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    """history[i] is the mean of the losses of epoch i (the last sample's loss is asked for), and each parameter's gradient is computed after the parameters before it were updated (compute all three gradients first, then update)"""
    return _sequential(xs, ys, w1, w2, b, lr, epochs, "mean")


MISTAKES = {"train": [train_grads_not_zeroed, train_w1_grad_not_zeroed, train_w2_grad_not_zeroed,
                      train_b_grad_not_zeroed, train_epoch_mean, train_sequential_updates,
                      train_sequential_updates_epoch_mean]}
