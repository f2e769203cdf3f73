# %% [markdown]
# # A two-layer network with a sigmoid, and backpropagation by hand
#
# So far the model had one, then three parameters. A real network stacks *layers*: each one is a
# matrix product plus a bias, followed by a non-linear *activation*. Here we build the smallest
# interesting one, for `n` samples with `d` input features and `h` hidden units:
#
#     hidden = sigmoid(X @ W1 + b1)        X (n, d), W1 (d, h), b1 (h,)  -> hidden (n, h)
#     y_hat  = hidden @ W2 + b2            W2 (h, 1), b2 (1,)            -> y_hat (n, 1)
#
# Why the sigmoid? Without it the two layers collapse into one: `(X @ W1 + b1) @ W2 + b2` is
# just `X @ (W1 @ W2) + (b1 @ W2 + b2)`, a single linear layer, no matter how many you stack.
# The non-linearity is what lets the network fit curves such as `y = sin(x)`.
#
# In this assignment you will:
#
# - write the sigmoid, the forward pass and the mean squared error on whole matrices;
# - run backpropagation **by hand**: the chain rule, but through matrix products;
# - train the network with full-batch gradient descent using your own gradients, and check them
#   against PyTorch's autograd.
#
# Every function works on tensors of any floating dtype (the checks use `float64`).

# %%
import torch

# %% [markdown]
# ## 1. The sigmoid
#
#     sigmoid(z) = 1 / (1 + exp(-z))
#
# It squashes any real number into `(0, 1)`: large negative `z` gives about 0, large positive
# about 1, and `sigmoid(0) = 0.5`. It is applied element by element, so the output has the shape
# of the input.
#
# Its derivative has a handy form, which the backward pass will use:
#
#     sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z))


# %%
def sigmoid(z: torch.Tensor) -> torch.Tensor:
    """Return the logistic sigmoid of ``z``, element by element.

    Formula: ``sigmoid(z) = 1 / (1 + exp(-z))``.

    Args:
        z: a tensor of any shape and floating dtype.

    Returns:
        A tensor of the same shape and dtype as ``z``, with values in ``(0, 1)``.

    Hint: ``torch.exp`` works element by element; write the formula rather than calling
    ``torch.sigmoid``, to see what it computes.
    """
    raise NotImplementedError("sigmoid: write your code here (see the docstring)")


# %% [markdown]
# ## 2. The forward pass
#
# The parameters live in a dictionary, `params = {"W1": ..., "b1": ..., "W2": ..., "b2": ...}`:
#
#     z1     = X @ W1 + b1          (n, h)   every sample times every hidden unit's weights
#     hidden = sigmoid(z1)          (n, h)
#     y_hat  = hidden @ W2 + b2     (n, 1)
#
# `@` is the matrix product. Adding `b1` of shape `(h,)` to an `(n, h)` matrix *broadcasts*: the
# same bias row is added to every sample's row.


# %%
def forward(X: torch.Tensor, params: dict[str, torch.Tensor]) -> torch.Tensor:
    """Return the network's predictions ``sigmoid(X @ W1 + b1) @ W2 + b2``.

    Args:
        X: the inputs, a tensor of shape ``(n, d)``: one row per sample.
        params: a dict with ``"W1"`` ``(d, h)``, ``"b1"`` ``(h,)``, ``"W2"`` ``(h, 1)`` and
            ``"b2"`` ``(1,)``.

    Returns:
        ``y_hat``, a tensor of shape ``(n, 1)``.

    Hint: use your ``sigmoid`` and the matrix product ``@``; broadcasting adds the biases to
    every row.
    """
    raise NotImplementedError("forward: write your code here (see the docstring)")


# %% [markdown]
# ## 3. The mean squared error
#
#     L = mean over all elements of (y_hat - y) ** 2
#
# With `y_hat` and `y` both of shape `(n, 1)` there are `n * 1 = n` elements. The result is a
# scalar (0-dimensional) tensor.


# %%
def mse_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Return the mean squared error between ``y_hat`` and ``y`` as a scalar tensor.

    Formula: ``L = mean((y_hat - y) ** 2)``, the mean over all elements.

    Args:
        y_hat: the predictions, a tensor of shape ``(n, 1)``.
        y: the targets, a tensor of the same shape.

    Returns:
        A 0-dimensional tensor.

    Hint: ``.mean()`` averages over every element.
    """
    raise NotImplementedError("mse_loss: write your code here (see the docstring)")


# %% [markdown]
# ## 4. Backpropagation by hand
#
# We want `dL/dW1`, `dL/db1`, `dL/dW2` and `dL/db2`, each of the same shape as its parameter.
# "By hand" means: no `.backward()`, no `torch.autograd`; you write every step of the chain
# rule yourself. First redo the forward pass and keep the intermediate values (`hidden` is
# needed on the way back). Then walk the graph backwards, one step at a time; at every step,
# the gradient of `L` with respect to a value has that value's shape.
#
#     y_hat = hidden @ W2 + b2,   L = mean((y_hat - y) ** 2) over N = n * 1 elements
#
#     dL/dy_hat  = 2 * (y_hat - y) / N                        (n, 1)
#     dL/dW2     = hidden.T @ dL/dy_hat                        (h, 1)
#     dL/db2     = dL/dy_hat summed over the samples           (1,)
#     dL/dhidden = dL/dy_hat @ W2.T                            (n, h)
#     dL/dz1     = dL/dhidden * hidden * (1 - hidden)          (n, h)   sigmoid'(z1), elementwise
#     dL/dW1     = X.T @ dL/dz1                                (d, h)
#     dL/db1     = dL/dz1 summed over the samples              (h,)
#
# How to remember the matrix rules: for `out = A @ B`, `dL/dA = dL/dout @ B.T` and
# `dL/dB = A.T @ dL/dout`; the transposes are the only way the shapes fit. A bias is added to
# every row, so its gradient adds up the rows' gradients (`.sum(dim=0)`).
#
# The grader compares your gradients with finite differences and with autograd; in `float64`
# they agree to about `1e-10`.


# %%
def backward(X, y, params) -> dict[str, torch.Tensor]:
    """Return the gradients of ``mse_loss(forward(X, params), y)`` for every parameter, by hand.

    Forward (keep the intermediates): ``z1 = X @ W1 + b1``, ``hidden = sigmoid(z1)``,
    ``y_hat = hidden @ W2 + b2``, ``L = mean((y_hat - y) ** 2)`` over ``N = n * 1`` elements.

    Backward, by the chain rule:
      ``dy_hat = 2 * (y_hat - y) / N``;
      ``dW2 = hidden.T @ dy_hat`` and ``db2 = dy_hat.sum(dim=0)``;
      ``dhidden = dy_hat @ W2.T``;
      ``dz1 = dhidden * hidden * (1 - hidden)`` (because ``sigmoid'(z) = s * (1 - s)``);
      ``dW1 = X.T @ dz1`` and ``db1 = dz1.sum(dim=0)``.

    Args:
        X: the inputs, shape ``(n, d)``; it does not require grad.
        y: the targets, shape ``(n, 1)``.
        params: the dict ``{"W1": (d, h), "b1": (h,), "W2": (h, 1), "b2": (1,)}``; its tensors
            do not require grad.

    Returns:
        A dict with the same keys, each gradient having its parameter's shape and dtype.

    Hints: do not call ``.backward()`` or ``torch.autograd``: the point is to write the chain
    rule yourself. Check each shape against its parameter's as you go.
    """
    raise NotImplementedError("backward: write your code here (see the docstring)")


# %% [markdown]
# ## 5. Training with your gradients
#
# Full-batch gradient descent: every epoch uses all the samples at once.
#
#     for each epoch:
#         record the loss L = mse_loss(forward(X, params), y)    (history[i]: start of epoch i)
#         grads = backward(X, y, params)
#         for every parameter name k: params[k] = params[k] - lr * grads[k]
#
# Work on copies of the caller's tensors (`tensor.clone()`): changing them in place would
# silently change the caller's parameters too, because a dict holds references to tensors, not
# copies. Record the loss with `.item()` so the history holds plain floats.
#
# On 64 points of `y = sin(x)`, `x` in `[-2, 2]`, with 8 hidden units and `lr = 0.5`, 2000
# epochs bring the loss below `0.002`.


# %%
def train(X, y, params, lr=0.5, epochs=2000) -> tuple[dict[str, torch.Tensor], list[float]]:
    """Train the network by full-batch gradient descent with your ``backward``.

    Start from copies of the given parameters (the caller's tensors must not change). In every
    epoch: append the current loss ``mse_loss(forward(X, params), y).item()`` to the history,
    compute ``grads = backward(X, y, params)``, and update every parameter
    ``params[k] = params[k] - lr * grads[k]``.

    Args:
        X: the inputs, shape ``(n, d)``.
        y: the targets, shape ``(n, 1)``.
        params: the starting parameters ``{"W1", "b1", "W2", "b2"}``; left unchanged.
        lr: the learning rate.
        epochs: how many updates to make.

    Returns:
        A tuple ``(trained_params, history)``: a new dict of trained tensors (same keys,
        shapes and dtypes) and the list of ``epochs`` floats, ``history[i]`` being the loss at
        the start of epoch ``i``, before its update.

    Hint: ``{k: v.clone() for k, v in params.items()}`` makes a fresh dict of fresh tensors.
    """
    raise NotImplementedError("train: write your code here (see the docstring)")


# %% [markdown]
# ## Try it
#
# Fit `y = sin(x)` on `[-2, 2]` with 8 hidden units, then ask the network about `x = 4`. That
# point lies outside the training range: the network has never seen it, and it does not know
# that `sin` turns back down, so its answer is far from `sin(4)`. Inside the range it is close.

# %%
if __name__ == "__main__":
    import math

    torch.manual_seed(0)
    X = torch.linspace(-2, 2, 64, dtype=torch.float64).unsqueeze(1)
    y = torch.sin(X)
    start = {
        "W1": torch.randn(1, 8, dtype=torch.float64),
        "b1": torch.zeros(8, dtype=torch.float64),
        "W2": torch.randn(8, 1, dtype=torch.float64) * 0.5,
        "b2": torch.zeros(1, dtype=torch.float64),
    }
    trained, history = train(X, y, start)
    for epoch, value in enumerate(history):
        if epoch % 200 == 0 or epoch == len(history) - 1:
            print("progress:", epoch, value)
    for x in (1.0, 4.0):
        prediction = forward(torch.tensor([[x]], dtype=torch.float64), trained).item()
        print("predict (after training)", x, prediction, "  sin(x) =", math.sin(x))
