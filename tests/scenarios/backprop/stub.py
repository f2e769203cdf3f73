# %% [markdown]
# # Backpropagation with autograd: `.backward()`, `.data` and `.grad`
#
# In the last assignment you derived `d loss / d w` on paper. For a model with one weight that
# is easy; for a network with millions of weights nobody does it by hand. PyTorch does it for us:
# every operation on a tensor that *requires grad* is recorded in a *computational graph*, and
# calling `.backward()` on the loss walks that graph backwards, applying the chain rule at
# every node (*backpropagation*), and stores `d loss / d w` in `w.grad`.
#
# In this assignment you will:
#
# - build the same linear model `y_hat = x * w` on a PyTorch tensor, keeping the graph;
# - compute the gradient once more by hand through the chain rule, to know what autograd does;
# - train with stochastic gradient descent using `.backward()`, updating through `w.data`
#   and zeroing `w.grad` after every step;
# - predict at `x = 4`.
#
# PyTorch tensors are `float32` unless you ask otherwise, so results differ from the
# float64 ones of plain Python in the last digits.

# %%
import torch

# The course data: three (x, y) examples of the line y = 2 * x.
xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]

# %% [markdown]
# ## 1. The forward pass, keeping the graph
#
# The weight is now a tensor created with `requires_grad=True`, for example
# `w = torch.tensor([1.0], requires_grad=True)`. The model is unchanged:
#
#     y_hat = x * w
#
# Because `w` requires grad, PyTorch remembers that `y_hat` was made by multiplying `w` by `x`.
# That record (the graph) is what `.backward()` later uses. So the forward pass must compute
# with `w` itself: turning it into a Python number (`w.item()`) or using `w.data` would cut the
# graph and leave nothing to differentiate.


# %%
def forward(x: float, w: torch.Tensor) -> torch.Tensor:
    """Return the prediction ``x * w`` as a tensor that stays connected to ``w``'s graph.

    Formula: ``y_hat = x * w``.

    Args:
        x: the input, a float.
        w: the weight, a tensor of shape ``(1,)`` that requires grad.

    Returns:
        ``y_hat``, a tensor of the same shape as ``w`` with a ``grad_fn``
        (the graph that leads back to ``w``).

    Hint: multiply ``x`` by ``w`` directly; do not call ``.item()`` or use ``.data`` here.
    """
    raise NotImplementedError("forward: write your code here (see the docstring)")


# %% [markdown]
# ## 2. The loss, as a graph
#
# The loss of one example is the squared error, exactly as before:
#
#     loss = (y_hat - y) ** 2,   with y_hat = forward(x, w)
#
# The result is a tensor at the end of the graph `w -> y_hat = x * w -> y_hat - y -> (.)**2`.
# Calling `.backward()` on it fills `w.grad` with `d loss / d w`.


# %%
def loss(x: float, y: float, w: torch.Tensor) -> torch.Tensor:
    """Return the squared error of the prediction for ``(x, y)`` as a tensor, keeping the graph.

    Formula: ``(forward(x, w) - y) ** 2``.

    Args:
        x: the input, a float.
        y: the true output, a float.
        w: the weight, a tensor of shape ``(1,)`` that requires grad.

    Returns:
        The loss, a tensor of the same shape as ``w``, on which ``.backward()`` can be called.

    Hint: build on ``forward``; stay with tensor operations so the graph is kept.
    """
    raise NotImplementedError("loss: write your code here (see the docstring)")


# %% [markdown]
# ## 3. What `.backward()` computes: the chain rule by hand
#
# The graph has two steps, `y_hat = x * w` and `loss = (y_hat - y) ** 2`. Backpropagation
# starts at the loss and multiplies the *local* derivatives of the steps, from the end
# towards `w`:
#
#     d loss / d y_hat = 2 * (y_hat - y)          (derivative of the square)
#     d y_hat / d w    = x                        (derivative of x * w with respect to w)
#     d loss / d w     = d loss / d y_hat * d y_hat / d w = 2 * (y_hat - y) * x
#
# "By hand" means you evaluate this formula yourself with plain numbers: no tensors that
# require grad, no `.backward()`, no `torch.autograd`. Check: with `x = 2`, `y = 4`, `w = 1`,
# `y_hat = 2` and the gradient is `2 * (2 - 4) * 2 = -8`, the same number that autograd
# puts in `w.grad`.


# %%
def manual_gradient(x: float, y: float, w: float) -> float:
    """Return ``d loss / d w`` for one sample by the chain rule, computed by hand (no autograd).

    Chain rule: ``d loss / d w = d loss / d y_hat * d y_hat / d w = 2 * (y_hat - y) * x``,
    where ``y_hat = x * w``.

    Args:
        x: the input, a float.
        y: the true output, a float.
        w: the weight, a plain float (not a tensor that requires grad).

    Returns:
        The gradient, a plain Python float. Check: ``manual_gradient(2.0, 4.0, 1.0) == -8.0``.

    Hints: compute ``y_hat`` first, then the two local derivatives, then their product.
    Do not call ``.backward()`` or ``torch.autograd`` here: that would not be "by hand".
    """
    raise NotImplementedError("manual_gradient: write your code here (see the docstring)")


# %% [markdown]
# ## 4. Training with autograd
#
# Stochastic gradient descent as before (one update per sample, in data order), but PyTorch
# now computes the gradient. For every sample:
#
#     l = loss(x, y, w)                      # forward pass: builds the graph
#     l.backward()                           # backward pass: w.grad = d l / d w
#     w.data = w.data - lr * w.grad.data     # the gradient descent step
#     w.grad.data.zero_()                    # reset the gradient for the next sample
#
# Two details matter:
#
# - **Why `w.data`?** The update itself is not part of the model, and we do not want PyTorch to
#   record it in the graph: `w = w - lr * w.grad` would make `w` a new tensor computed from
#   the old one (no longer a leaf, so `.backward()` would not fill its `.grad`), and the
#   in-place `w -= lr * w.grad` is refused on a leaf that requires grad. `w.data` is the same
#   numbers without the autograd bookkeeping, so changing it updates the weight silently.
#   (`with torch.no_grad(): w -= lr * w.grad` is the modern way to say the same.)
# - **Why zero `w.grad`?** `.backward()` *adds* the new gradient to whatever `w.grad` already
#   holds. Without zeroing, every step would use the sum of all previous gradients.
#
# The loss history is what the course prints as `progress:` once per epoch: `history[i]` is
# `l.item()` for the **last sample** of epoch `i` (computed before that sample's update).
# `.item()` turns a one-element tensor into a plain Python float, so the history holds no
# tensors (and no graphs). From `w0 = 1.0` the history starts `7.3159, 3.9988, ...` and after
# 100 epochs `w` is 2 up to float32 rounding (`1.9999996`): the prediction at `x = 4` is 8.0000.


# %%
def train(xs, ys, w0=1.0, lr=0.01, epochs=100) -> tuple[float, list[float]]:
    """Train the weight with per-sample SGD and autograd; return ``(w, history)``.

    Create ``w = torch.tensor([w0], requires_grad=True)`` (float32). In every epoch, for each
    sample ``(x, y)`` in data order:
      1. ``l = loss(x, y, w)``;
      2. ``l.backward()`` fills ``w.grad`` with ``d l / d w``;
      3. ``w.data = w.data - lr * w.grad.data``: update through ``.data`` so that the update
         itself is not recorded in the graph;
      4. ``w.grad.data.zero_()``: gradients accumulate across ``backward`` calls, so reset them.
    After the epoch, append ``l.item()`` (the last sample's loss) to the history.

    Args:
        xs: the inputs, a list of floats.
        ys: the true outputs, a list of floats.
        w0: the starting weight, a float.
        lr: the learning rate.
        epochs: how many passes over the data to run.

    Returns:
        A tuple ``(w, history)``: the trained weight as a plain float (``w.item()``) and the
        list of ``epochs`` plain floats described above.

    Hint: ``.item()`` turns a one-element tensor into a Python float; use it for both the
    history values and the returned weight.
    """
    raise NotImplementedError("train: write your code here (see the docstring)")


# %% [markdown]
# ## 5. Prediction
#
# Once trained, the model is used with a plain number for the weight: no graph is needed to
# answer a question, only `y_hat = x * w`.


# %%
def predict(x: float, w: float) -> float:
    """Return the trained model's prediction ``x * w`` as a plain float.

    Args:
        x: the input, a float.
        w: the trained weight, a float (for example the one ``train`` returns).

    Returns:
        ``x * w`` as a Python float.
    """
    raise NotImplementedError("predict: write your code here (see the docstring)")


# %% [markdown]
# ## Try it
#
# The course's program: train for 100 epochs from `w = 1.0`, print the progress, and ask
# the model about `x = 4`.

# %%
if __name__ == "__main__":
    print("predict (before training)", 4, predict(4.0, 1.0))
    w, history = train(xs, ys)
    for epoch, value in enumerate(history):
        if epoch % 10 == 0 or epoch == len(history) - 1:
            print("progress:", epoch, value)
    print("predict (after training)", 4, predict(4.0, w))
    print("manual gradient at (x=2, y=4, w=1):", manual_gradient(2.0, 4.0, 1.0))
