# %% [markdown]
# # The quadratic model: three parameters, one computational graph
#
# The homework: replace the linear model by a quadratic one,
#
#     y_hat = w1 * x ** 2 + w2 * x + b
#
# with three parameters, two weights `w1`, `w2` and a bias `b`. Nothing else changes: same
# squared-error loss, same per-sample stochastic gradient descent with autograd. The new
# point is that one `.backward()` call fills the gradients of **all** the tensors that require
# grad, each one following its own path through the computational graph.
#
# In this assignment you will:
#
# - write the quadratic forward pass and its loss on tensors;
# - derive the three partial derivatives by hand from the computational graph;
# - train the three parameters together with `.backward()`, `.data` and `.grad`;
# - predict at `x = 4` and see why the answer is not 8 after 100 epochs.

# %%
import torch

# The course data: three (x, y) examples of the line y = 2 * x.
xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]

# %% [markdown]
# ## 1. The forward pass
#
#     y_hat = w1 * x ** 2 + w2 * x + b
#
# `w1`, `w2` and `b` are tensors of shape `(1,)` created with `requires_grad=True`, and `x` is a
# plain number. As in the previous assignment, compute with the tensors themselves so that
# PyTorch records the graph: `x ** 2` and `x` are constants, the three parameters are leaves.
#
# The data still lies on the line `y = 2 * x`, and a quadratic can represent it exactly
# (`w1 = 0`, `w2 = 2`, `b = 0`); the extra parameters just give the model more freedom.


# %%
def forward(x: float, w1: torch.Tensor, w2: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Return the quadratic model's prediction for ``x``, keeping the graph to the parameters.

    Formula: ``y_hat = w1 * x ** 2 + w2 * x + b``.

    Args:
        x: the input, a float.
        w1: the weight of ``x ** 2``, a tensor of shape ``(1,)`` that requires grad.
        w2: the weight of ``x``, a tensor of shape ``(1,)`` that requires grad.
        b: the bias, a tensor of shape ``(1,)`` that requires grad.

    Returns:
        ``y_hat``, a tensor of shape ``(1,)`` connected to ``w1``, ``w2`` and ``b``.

    Hint: write the formula with the tensors directly; no ``.item()`` or ``.data`` here.
    """
    raise NotImplementedError("forward: write your code here (see the docstring)")


# %% [markdown]
# ## 2. The loss
#
# The squared error of one example, unchanged:
#
#     loss = (y_hat - y) ** 2,   with y_hat = forward(x, w1, w2, b)


# %%
def loss(x, y, w1, w2, b) -> torch.Tensor:
    """Return the squared error of the quadratic model on the sample ``(x, y)``.

    Formula: ``(forward(x, w1, w2, b) - y) ** 2``.

    Args:
        x: the input, a float.
        y: the true output, a float.
        w1, w2, b: the parameters, tensors of shape ``(1,)`` that require grad.

    Returns:
        The loss, a tensor of shape ``(1,)`` on which ``.backward()`` can be called.

    Hint: build on ``forward`` and keep to tensor operations.
    """
    raise NotImplementedError("loss: write your code here (see the docstring)")


# %% [markdown]
# ## 3. The gradients by hand, from the computational graph
#
# Draw the graph: the three parameters feed `y_hat = w1 * x**2 + w2 * x + b`, which feeds
# `loss = (y_hat - y) ** 2`. Backpropagation goes from the loss back to each parameter:
#
#     d loss / d y_hat = 2 * (y_hat - y)                  (shared by all three paths)
#
#     d y_hat / d w1 = x ** 2    so   d loss / d w1 = 2 * (y_hat - y) * x ** 2
#     d y_hat / d w2 = x         so   d loss / d w2 = 2 * (y_hat - y) * x
#     d y_hat / d b  = 1         so   d loss / d b  = 2 * (y_hat - y)
#
# Each parameter's gradient is the shared upstream gradient `d loss / d y_hat` times its own
# local derivative. Computing the shared part once and reusing it is exactly what makes
# backpropagation efficient.
#
# Check: with `x = 2`, `y = 4` and all three parameters at 1, `y_hat = 4 + 2 + 1 = 7`,
# `d loss / d y_hat = 2 * (7 - 4) = 6`, and the gradients are `(24, 12, 6)`.


# %%
def manual_gradients(x, y, w1: float, w2: float, b: float) -> tuple[float, float, float]:
    """Return ``(dL/dw1, dL/dw2, dL/db)`` for one sample, computed by hand (no autograd).

    With ``y_hat = w1 * x ** 2 + w2 * x + b`` and ``L = (y_hat - y) ** 2``, the chain rule gives
    ``dL/dy_hat = 2 * (y_hat - y)`` and then
    ``dL/dw1 = dL/dy_hat * x ** 2``, ``dL/dw2 = dL/dy_hat * x``, ``dL/db = dL/dy_hat * 1``.

    Args:
        x: the input, a float.
        y: the true output, a float.
        w1, w2, b: the parameters, plain floats.

    Returns:
        A tuple of three plain floats ``(dL/dw1, dL/dw2, dL/db)``.
        Check: ``manual_gradients(2.0, 4.0, 1.0, 1.0, 1.0) == (24.0, 12.0, 6.0)``.

    Hints: compute ``y_hat`` and ``dL/dy_hat`` once, then multiply by each local derivative.
    Do not call ``.backward()`` or ``torch.autograd`` here.
    """
    raise NotImplementedError("manual_gradients: write your code here (see the docstring)")


# %% [markdown]
# ## 4. Training the three parameters with autograd
#
# Per-sample SGD, as in the `backprop` assignment, but with three tensors:
#
#     l = loss(x, y, w1, w2, b)     # forward: one graph reaching all three parameters
#     l.backward()                  # fills w1.grad, w2.grad and b.grad at once
#     for each parameter p in (w1, w2, b):
#         p.data = p.data - lr * p.grad.data    # update outside the graph
#         p.grad.data.zero_()                   # gradients accumulate: reset them
#
# Update through `.data` so the step is not recorded in the graph, and zero every `.grad`
# after the step because `.backward()` adds to what is already there. Use `float32` tensors
# created like `torch.tensor([w1], requires_grad=True)`.
#
# The history is the one the course prints: `history[i]` is `l.item()` for the last sample
# of epoch `i`, computed before that sample's update.
#
# From `(1, 1, 1)` with `lr = 0.01`, after 100 epochs the parameters are about
# `(0.24038, 0.92668, 0.99135)` and the last history value is `0.0063181`.


# %%
def train(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100) -> tuple[tuple[float, float, float], list[float]]:
    """Train ``w1``, ``w2`` and ``b`` with per-sample SGD and autograd.

    Make one float32 tensor per parameter, e.g. ``torch.tensor([w1], requires_grad=True)``.
    In every epoch, for each sample ``(x, y)`` in data order:
      1. ``l = loss(x, y, w1, w2, b)`` and ``l.backward()``;
      2. for each of the three tensors ``p``: ``p.data = p.data - lr * p.grad.data`` (through
         ``.data``, so the update is not recorded in the graph), then ``p.grad.data.zero_()``
         (gradients accumulate across ``backward`` calls).
    After the epoch, append ``l.item()`` (the last sample's loss, a plain float) to the history.

    Args:
        xs: the inputs, a list of floats.
        ys: the true outputs, a list of floats.
        w1, w2, b: the starting values of the parameters, floats.
        lr: the learning rate.
        epochs: how many passes over the data to run.

    Returns:
        A tuple ``((w1, w2, b), history)``: the trained parameters as plain floats
        (use ``.item()``) and the list of ``epochs`` loss values.
    """
    raise NotImplementedError("train: write your code here (see the docstring)")


# %% [markdown]
# ## 5. Prediction
#
# With the trained parameters as plain numbers, the prediction is the formula itself:
#
#     y_hat = w1 * x ** 2 + w2 * x + b
#
# After 100 epochs the prediction at `x = 4` is about `8.5442`, **not** 8: the model has not
# converged yet. The `x ** 2` feature makes the loss surface much steeper along `w1` than
# along `b`, so with a learning rate small enough to stay stable the slow directions take a
# long time. After 10,000 epochs the prediction is `8.0020`.


# %%
def predict(x: float, w1: float, w2: float, b: float) -> float:
    """Return the quadratic model's prediction ``w1 * x ** 2 + w2 * x + b`` as a plain float.

    Args:
        x: the input, a float.
        w1, w2, b: the trained parameters, floats.

    Returns:
        The prediction, a Python float.
    """
    raise NotImplementedError("predict: write your code here (see the docstring)")


# %% [markdown]
# ## Try it
#
# Train from `(1, 1, 1)` for 100 epochs, print the progress, and ask about `x = 4`.

# %%
if __name__ == "__main__":
    print("predict (before training)", 4, predict(4.0, 1.0, 1.0, 1.0))
    (w1, w2, b), history = train(xs, ys)
    for epoch, value in enumerate(history):
        if epoch % 10 == 0 or epoch == len(history) - 1:
            print("progress:", epoch, value)
    print("w1, w2, b =", w1, w2, b)
    print("predict (after training)", 4, predict(4.0, w1, w2, b))
