# %% [markdown]
# # The linear model and mean squared error
#
# We start with the smallest model there is: one input `x`, one output `y_hat` and one
# weight `w`. The data comes from the line `y = 2 * x`, but the model does not know that; it
# has to find a good `w` from the examples alone.
#
# In this assignment you will learn to:
#
# - write the model's *forward* pass, `y_hat = x * w`;
# - measure how wrong one prediction is with the *squared error*;
# - average that error over a data set: the *mean squared error* (MSE);
# - find the best `w` by trying many candidates and keeping the one with the lowest MSE
#   (exhaustive search), then answer the course's question: what is the prediction at `x = 4`?
#
# Everything here uses plain Python floats; no PyTorch yet.

# %%
# The course data: three (x, y) examples of the line y = 2 * x.
xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]

# %% [markdown]
# ## 1. The forward pass
#
# A *model* turns an input into a prediction. Ours multiplies the input by a weight:
#
#     y_hat = x * w
#
# `y_hat` ("y hat") is the usual name for a prediction, to tell it apart from the true
# value `y`. Running the model on an input is called the *forward* pass.


# %%
def forward(x: float, w: float) -> float:
    """Return the linear model's prediction for the input ``x``.

    Formula: ``y_hat = x * w``.

    Args:
        x: the input, a float.
        w: the model's weight, a float.

    Returns:
        The prediction ``y_hat``, a float.

    Hint: one multiplication, nothing more.
    """
    raise NotImplementedError("forward: write your code here (see the docstring)")


# %% [markdown]
# ## 2. The loss of one example
#
# To learn we must measure how wrong a prediction is. The *loss* of one example is the
# squared difference between the prediction and the truth:
#
#     loss = (y_hat - y) ** 2
#
# Squaring makes every error positive (being 2 too high is as bad as being 2 too low) and
# punishes big errors much more than small ones. A loss of 0 means a perfect prediction.
#
# Example: with `x = 2`, `y = 4` and `w = 1`, the prediction is `2`, so the loss is
# `(2 - 4) ** 2 = 4`.


# %%
def loss(x: float, y: float, w: float) -> float:
    """Return the squared error of the model's prediction for one example ``(x, y)``.

    Formula: ``(y_hat - y) ** 2`` where ``y_hat = forward(x, w) = x * w``.

    Args:
        x: the input, a float.
        y: the true output for ``x``, a float.
        w: the model's weight, a float.

    Returns:
        The loss, a float that is never negative.

    Hint: compute the prediction with ``forward`` first, then square its difference to ``y``.
    Check: ``loss(2.0, 4.0, 1.0) == 4.0``.
    """
    raise NotImplementedError("loss: write your code here (see the docstring)")


# %% [markdown]
# ## 3. Mean squared error over the data set
#
# One example is not enough to judge a weight: a `w` can be perfect for one point and bad for
# the others. So we average the loss over all `N` examples:
#
#     mse = (loss(x_1, y_1, w) + loss(x_2, y_2, w) + ... + loss(x_N, y_N, w)) / N
#
# This number is the *mean squared error* (MSE). It is the quantity that training tries to make
# as small as possible. On the course data with `w = 0` every prediction is 0, so
#
#     mse = ((0 - 2) ** 2 + (0 - 4) ** 2 + (0 - 6) ** 2) / 3 = (4 + 16 + 36) / 3 = 18.6667


# %%
def mse(xs: list[float], ys: list[float], w: float) -> float:
    """Return the mean squared error of the model with weight ``w`` on the data ``(xs, ys)``.

    Formula: ``mse = (1 / N) * sum over i of (xs[i] * w - ys[i]) ** 2``, with ``N = len(xs)``.

    Args:
        xs: the inputs, a list of floats.
        ys: the true outputs, a list of floats of the same length as ``xs``.
        w: the model's weight, a float.

    Returns:
        The mean of ``loss`` over all samples, a float.

    Hints: walk over the pairs with ``zip(xs, ys)``, add up ``loss(x, y, w)``, then divide
    by the number of samples. Check: on the course data, ``mse(xs, ys, 0.0)`` is ``18.6667``.
    """
    raise NotImplementedError("mse: write your code here (see the docstring)")


# %% [markdown]
# ## 4. Finding the best weight by exhaustive search
#
# The simplest way to train a model with a single weight is to try many values and keep the
# best one. For every candidate `w` we compute the MSE on the data set; the candidate with
# the lowest MSE wins. If two candidates tie, keep the one that comes first.
#
# Plotting the MSE against `w` gives a bowl-shaped curve (a parabola) whose lowest point is
# the best weight. On the course data, with candidates `0.0, 0.1, ..., 4.0`, the bottom is at
# `w = 2.0`, and the prediction at `x = 4` is then `8.0`.
#
# Exhaustive search only works for one or two weights: with a million weights there are far
# too many combinations to try. The next assignment replaces it by *gradient descent*.


# %%
def search(xs, ys, candidates: list[float]) -> tuple[float, list[float]]:
    """Try every candidate weight and return the best one together with all the MSEs.

    For each ``w`` in ``candidates`` (in the given order), compute ``mse(xs, ys, w)``.
    The best weight is the candidate with the lowest MSE; on a tie, keep the first one.

    Args:
        xs: the inputs, a list of floats.
        ys: the true outputs, a list of floats.
        candidates: the weights to try, a list of floats.

    Returns:
        A tuple ``(best_w, mses)``: ``best_w`` is the winning candidate (a float) and
        ``mses`` is the list ``[mse for each candidate, in the same order as candidates]``.

    Hints: build the list of MSEs first; then find the position of the smallest value.
    Compare with a strict ``<`` so that the first of several equal values is kept.
    """
    raise NotImplementedError("search: write your code here (see the docstring)")


# %% [markdown]
# ## Try it
#
# Run the search over `w = 0.0, 0.1, ..., 4.0` and ask the model about `x = 4`.

# %%
if __name__ == "__main__":
    candidates = [i / 10 for i in range(41)]
    best_w, mses = search(xs, ys, candidates)
    for w, value in zip(candidates, mses):
        print("w=", round(w, 1), "MSE=", round(value, 4))
    print("best w:", best_w)
    print("predict (after search)", 4.0, forward(4.0, best_w))
