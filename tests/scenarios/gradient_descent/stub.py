# %% [markdown]
# # Gradient descent: batch, stochastic and mini-batch
#
# In the previous assignment we found the best weight by trying 41 candidates. That does not
# scale: real models have millions of weights. *Gradient descent* finds a good weight by
# starting somewhere and taking many small steps downhill on the cost curve.
#
# The model is still `y_hat = x * w` with the squared-error loss. In this assignment you will:
#
# - compute the *cost* (the mean squared error over the data set);
# - derive its *gradient* `d cost / d w` **by hand**, with pencil and paper, and code the formula;
# - train with three flavours of gradient descent: full batch (one step per epoch), stochastic
#   (one step per sample) and mini-batch (one step per small group of samples);
# - record a *loss history*, the number printed once per epoch, to watch training progress.
#
# Everything uses plain Python floats; PyTorch's automatic gradients come in the next assignment.

# %%
# The course data: three (x, y) examples of the line y = 2 * x.
xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]

# %% [markdown]
# ## 1. The cost
#
# The *cost* is the mean squared error of the model over the whole data set of `N` examples:
#
#     cost(w) = (1 / N) * sum over i of (x_i * w - y_i) ** 2
#
# ("Loss" usually means the error on one example, "cost" the average over the data set.)
# Training means: find the `w` that makes the cost small.


# %%
def cost(xs, ys, w: float) -> float:
    """Return the mean squared error of the model ``y_hat = x * w`` on the data ``(xs, ys)``.

    Formula: ``cost = (1 / N) * sum over i of (xs[i] * w - ys[i]) ** 2``, ``N = len(xs)``.

    Args:
        xs: the inputs, a list of floats.
        ys: the true outputs, a list of floats of the same length.
        w: the model's weight, a float.

    Returns:
        The cost, a float.

    Hint: loop over ``zip(xs, ys)``, add up the squared errors, divide by the number of samples.
    """
    raise NotImplementedError("cost: write your code here (see the docstring)")


# %% [markdown]
# ## 2. The gradient of the cost, by hand
#
# The *gradient* `d cost / d w` tells how the cost changes when `w` grows a little. If it is
# positive, increasing `w` increases the cost, so we should decrease `w`, and the other way
# round. Its size tells how steep the curve is.
#
# "By hand" means we derive the formula ourselves with the rules of calculus, and the code
# only evaluates that formula; no library computes derivatives for us.
#
# For one example, write the loss as a function of `w`: `loss = (x * w - y) ** 2`. By the
# chain rule (derivative of the outside times derivative of the inside):
#
#     d loss / d w = 2 * (x * w - y) * d(x * w - y)/dw = 2 * (x * w - y) * x
#
# The cost is the mean of the losses, and the derivative of a mean is the mean of the
# derivatives:
#
#     d cost / d w = (1 / N) * sum over i of 2 * x_i * (x_i * w - y_i)
#
# Check: on the course data with `w = 1`, the terms are `2*1*(1-2) = -2`, `2*2*(2-4) = -8`
# and `2*3*(3-6) = -18`; their mean is `-28 / 3 = -9.3333`. It is negative, so the cost goes
# down when `w` goes up, towards `w = 2`.


# %%
def gradient(xs, ys, w: float) -> float:
    """Return ``d cost / d w`` on the data ``(xs, ys)``, computed by hand (no autograd).

    Formula: ``(1 / N) * sum over i of 2 * xs[i] * (xs[i] * w - ys[i])``.

    Args:
        xs: the inputs, a list of floats.
        ys: the true outputs, a list of floats of the same length.
        w: the model's weight, a float.

    Returns:
        The gradient, a float.

    Hints: for one sample the chain rule gives
    ``d loss / d w = d loss / d y_hat * d y_hat / d w = 2 * (y_hat - y) * x``;
    the gradient of the mean is the mean of these per-sample gradients.
    Check: ``gradient(xs, ys, 1.0)`` on the course data is ``-28 / 3``.
    """
    raise NotImplementedError("gradient: write your code here (see the docstring)")


# %% [markdown]
# ## 3. Batch gradient descent
#
# Gradient descent repeats one simple step: move `w` a little *against* the gradient.
#
#     w = w - lr * gradient(xs, ys, w)
#
# `lr` is the *learning rate*: how big a step we take. Too small and training is slow; too
# large and `w` jumps over the minimum and can even run away.
#
# One pass over the data set is called an *epoch*. In *batch* (full-batch) gradient descent
# each epoch makes exactly one update, using the gradient over all samples.
#
# To watch the progress we keep a *loss history*: `history[i]` is the cost at the **start** of
# epoch `i`, measured before that epoch's update. So `history[0]` is the cost of the initial
# weight `w0`. From `w0 = 1.0`, with `lr = 0.01` and 100 epochs, you should reach `w = 1.99994`
# (prediction `7.99978` at `x = 4`): close to 2 but not there yet.


# %%
def train_gd(xs, ys, w0=1.0, lr=0.01, epochs=100) -> tuple[float, list[float]]:
    """Train ``w`` with full-batch gradient descent; return ``(w, history)``.

    Start from ``w = w0``. In every epoch:
      1. record the cost at the start of the epoch: ``history.append(cost(xs, ys, w))``;
      2. make one update with the gradient over the whole data set:
         ``w = w - lr * gradient(xs, ys, w)``.

    Args:
        xs: the inputs, a list of floats.
        ys: the true outputs, a list of floats.
        w0: the starting weight.
        lr: the learning rate (step size).
        epochs: how many epochs (passes over the data) to run.

    Returns:
        A tuple ``(w, history)``: the trained weight (a float) and the list of ``epochs``
        costs, ``history[i]`` being the cost at the start of epoch ``i`` (before its update).

    Hint: use the ``cost`` and ``gradient`` functions you wrote above.
    """
    raise NotImplementedError("train_gd: write your code here (see the docstring)")


# %% [markdown]
# ## 4. The gradient of one sample, by hand
#
# Computing the gradient over the whole data set before every step is expensive when the
# data set is large. *Stochastic* gradient descent (SGD) uses the gradient of a single
# sample instead. With `y_hat = x * w` and `loss = (y_hat - y) ** 2`, the chain rule gives:
#
#     d loss / d w = d loss / d y_hat * d y_hat / d w
#                  = 2 * (y_hat - y)  * x
#                  = 2 * x * (x * w - y)
#
# Check: with `x = 2`, `y = 4`, `w = 1`: `2 * 2 * (2 - 4) = -8`.


# %%
def sgd_gradient(x: float, y: float, w: float) -> float:
    """Return ``d loss / d w`` for the single sample ``(x, y)``, by hand (no autograd).

    Formula: ``2 * x * (x * w - y)``, from the chain rule
    ``d loss / d w = d loss / d y_hat * d y_hat / d w = 2 * (y_hat - y) * x``.

    Args:
        x: the input, a float.
        y: the true output, a float.
        w: the model's weight, a float.

    Returns:
        The gradient, a float. Check: ``sgd_gradient(2.0, 4.0, 1.0) == -8.0``.
    """
    raise NotImplementedError("sgd_gradient: write your code here (see the docstring)")


# %% [markdown]
# ## 5. Stochastic gradient descent
#
# In SGD we update `w` after **every sample**, in data order:
#
#     for each (x, y) in the data set:
#         w = w - lr * sgd_gradient(x, y, w)
#
# so one epoch makes `N` small updates instead of one. Each step follows a noisier direction
# (one sample's opinion), but there are many more steps, and in practice it often converges
# in fewer epochs.
#
# The history here follows what the course prints: `history[i]` is the loss `(x * w - y) ** 2`
# of the **last sample** of epoch `i`, computed with the weight **before** that sample's update.
# From `w0 = 1.0` with `lr = 0.01`, 100 epochs reach `w = 2.0000000` (prediction `8.0000`).


# %%
def train_sgd(xs, ys, w0=1.0, lr=0.01, epochs=100) -> tuple[float, list[float]]:
    """Train ``w`` with SGD, one update per sample; return ``(w, history)``.

    Start from ``w = w0``. In every epoch, for each sample ``(x, y)`` in data order:
      1. compute the sample's loss ``(x * w - y) ** 2`` with the current ``w``;
      2. update ``w = w - lr * sgd_gradient(x, y, w)``.
    At the end of the epoch, append the loss of the epoch's last sample (the one computed in
    step 1, before that sample's update) to the history.

    Args:
        xs: the inputs, a list of floats.
        ys: the true outputs, a list of floats.
        w0: the starting weight.
        lr: the learning rate.
        epochs: how many passes over the data to run.

    Returns:
        A tuple ``(w, history)``: the trained weight (a float) and the list of ``epochs``
        losses described above.

    Hint: keep the loss in a variable inside the inner loop; after the loop it holds the
    loss of the last sample.
    """
    raise NotImplementedError("train_sgd: write your code here (see the docstring)")


# %% [markdown]
# ## 6. Mini-batch gradient descent
#
# Mini-batch gradient descent sits between the two: the data is cut into small *batches* of
# `batch_size` consecutive samples, in data order, and each batch makes one update with the
# **mean** gradient over its samples. With 3 samples and `batch_size = 2`, an epoch has two
# batches: samples 0 and 1, then sample 2 alone (the last batch may be smaller).
#
#     for each batch (bxs, bys):
#         w = w - lr * gradient(bxs, bys, w)
#
# This is how almost all neural networks are trained: batches are big enough to give a good
# direction and small enough to make many updates per epoch.
#
# Here `history[i]` is the cost over the **whole** data set at the **end** of epoch `i`, after
# all of that epoch's updates.


# %%
def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2) -> tuple[float, list[float]]:
    """Train ``w`` with mini-batch gradient descent; return ``(w, history)``.

    Start from ``w = w0``. In every epoch, cut the data into consecutive batches of
    ``batch_size`` samples, in data order (the last batch may be smaller). For each batch
    update ``w = w - lr * (mean gradient over the batch's samples)``. At the end of the epoch,
    append the cost over the whole data set, ``cost(xs, ys, w)``, to the history.

    Args:
        xs: the inputs, a list of floats.
        ys: the true outputs, a list of floats.
        w0: the starting weight.
        lr: the learning rate.
        epochs: how many passes over the data to run.
        batch_size: how many samples each batch holds (the last one may hold fewer).

    Returns:
        A tuple ``(w, history)``: the trained weight (a float) and the list of ``epochs``
        costs, ``history[i]`` being the whole data set's cost at the end of epoch ``i``.

    Hints: ``range(0, len(xs), batch_size)`` gives the start of every batch, and slicing
    ``xs[start:start + batch_size]`` stops at the end of the list by itself. Your
    ``gradient`` function already computes the mean gradient over the samples it is given.
    """
    raise NotImplementedError("train_minibatch: write your code here (see the docstring)")


# %% [markdown]
# ## Try it
#
# Train with each method from `w = 1.0` and ask the model about `x = 4`.

# %%
if __name__ == "__main__":
    print("predict (before training)", 4.0, 4.0 * 1.0)
    methods = [("batch GD", train_gd), ("SGD", train_sgd), ("mini-batch GD", train_minibatch)]
    for name, train in methods:
        w, history = train(xs, ys)
        print(f"== {name}")
        for epoch, value in enumerate(history):
            if epoch % 10 == 0 or epoch == len(history) - 1:
                print("progress:", epoch, "loss=", f"{value:.6g}")
        print("predict (after training)", 4.0, 4.0 * w, "w=", w)
