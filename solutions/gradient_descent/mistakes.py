"""Other versions of the training loops: one more right convention, and mistakes students make.

The grader runs these (never the student's code) on a case the student failed. A result that
matches one in ACCEPTED passes, and the report says which convention it follows; one that
matches a function in MISTAKES is named. Each function has the stub's signature; the first line
of its docstring completes "this is what you get when ...". They live with the solution because
they are the solution with one thing changed: students never see them.
"""


def _sgd(xs, ys, w0, lr, epochs, record):
    w = w0
    history = []
    for _ in range(epochs):
        losses = []
        for x, y in zip(xs, ys):
            before = (x * w - y) ** 2
            w = w - lr * 2 * x * (x * w - y)
            losses.append((x * w - y) ** 2 if record == "after" else before)
        history.append(sum(losses) / len(losses) if record == "mean" else losses[-1])
    return w, history


def train_sgd_loss_after_update(xs, ys, w0=1.0, lr=0.01, epochs=100):
    """history[i] is the last sample's loss computed after its update, as the lecture prints it"""
    return _sgd(xs, ys, w0, lr, epochs, "after")


def train_sgd_epoch_mean(xs, ys, w0=1.0, lr=0.01, epochs=100):
    """history[i] is the mean of the losses of epoch i, where the last sample's loss is asked for"""
    return _sgd(xs, ys, w0, lr, epochs, "mean")


def _cost(xs, ys, w):
    return sum((x * w - y) ** 2 for x, y in zip(xs, ys)) / len(xs)


def _minibatch(xs, ys, w0, lr, epochs, batch_size, *, drop_last=False, summed=False):
    w = w0
    history = []
    for _ in range(epochs):
        stop = len(xs) - batch_size + 1 if drop_last else len(xs)
        for start in range(0, stop, batch_size):
            bx, by = xs[start:start + batch_size], ys[start:start + batch_size]
            grad = sum(2 * x * (x * w - y) for x, y in zip(bx, by))
            w = w - lr * (grad if summed else grad / len(bx))
        history.append(_cost(xs, ys, w))
    return w, history


def train_minibatch_drops_last(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2):
    """the last, smaller batch is dropped, so some samples are never used"""
    return _minibatch(xs, ys, w0, lr, epochs, batch_size, drop_last=True)


def train_minibatch_summed(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2):
    """each batch's gradient is the sum of its samples' gradients instead of their mean"""
    return _minibatch(xs, ys, w0, lr, epochs, batch_size, summed=True)


ACCEPTED = {"train_sgd": [train_sgd_loss_after_update]}
MISTAKES = {"train_sgd": [train_sgd_epoch_mean],
            "train_minibatch": [train_minibatch_drops_last, train_minibatch_summed]}
