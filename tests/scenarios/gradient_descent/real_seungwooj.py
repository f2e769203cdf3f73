# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/seungwooj/pytorchzerotoallTutorials/blob/bae17f06551f690b30cddaf8f0ba7e09dc5d2cc5/lec03_linear_model_gradient.py
# Author: seungwooj (JANG, SEUNG WOO); last commit 2019-10-23; licence: none stated.
# Changed to fit the stub: calculate_gradient is named sgd_gradient; the training loop became
# train_sgd(x_data, y_data, w_initial, lr, epochs) returning (w, the per-epoch loss it prints).
# The lecture has no batch or mini-batch version: cost, gradient, train_gd and train_minibatch
# keep the stub's bodies.
# give data
x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]


# our hypothesis for the linear model
def forward(x, w):
    return x * w


# cost(loss) function
def calculate_loss(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) * (y_pred - y)


# compute gradient
def sgd_gradient(x, y, w):
    return 2 * x * (x * w - y)


def cost(xs, ys, w: float) -> float:
    raise NotImplementedError("cost: write your code here (see the docstring)")


def gradient(xs, ys, w: float) -> float:
    raise NotImplementedError("gradient: write your code here (see the docstring)")


def train_gd(xs, ys, w0=1.0, lr=0.01, epochs=100) -> tuple[float, list[float]]:
    raise NotImplementedError("train_gd: write your code here (see the docstring)")


def train_sgd(x_data, y_data, w_initial=1.0, lr=0.01, epochs=100):
    history = []
    # Training loop
    loss = 0
    for epoch in range(epochs):
        for x_val, y_val in zip(x_data, y_data):
            grad = sgd_gradient(x_val, y_val, w_initial)
            w_new = w_initial - lr * grad
            print("\tgrad: ", x_val, y_val, grad)
            loss = calculate_loss(x_val, y_val, w_new)
            w_initial = w_new
        print("progress:", epoch, "w=", w_initial, "loss=", loss)
        history.append(loss)
    return w_initial, history


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2) -> tuple[float, list[float]]:
    raise NotImplementedError("train_minibatch: write your code here (see the docstring)")


w_initial = 1.0

# Before training
print("predict (before training)", "4 hours", forward(4, w_initial))
w_initial, _ = train_sgd(x_data, y_data, w_initial)
# After training
print("predict (after training)", "4 hours", forward(4, w_initial))
