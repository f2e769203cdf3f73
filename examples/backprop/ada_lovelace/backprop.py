# Assignment 3 - backpropagation with autograd
# Ada Lovelace
#
# I followed the program from the lecture (w.data / w.grad) and split it into the functions
# asked for in the assignment.

import torch

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w):
    # our linear model; w is a tensor so the result stays in the graph
    return x * w


def loss(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) ** 2


def manual_gradient(x, y, w):
    # chain rule: dL/dw = dL/dy_pred * dy_pred/dw = 2 * (x*w - y) * x
    y_pred = x * w
    return 2 * (y_pred - y) * x


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    history = []
    for epoch in range(epochs):
        for x_val, y_val in zip(xs, ys):
            l = loss(x_val, y_val, w)
            l.backward()
            # print("\tgrad: ", x_val, y_val, w.grad.data[0])
            w.data = w.data - lr * w.grad.data
            # manually zero the gradients after updating weights
            w.grad.data.zero_()
        history.append(l.item())
    return w.item(), history


def predict(x, w):
    return float(x * w)


if __name__ == "__main__":
    print("predict (before training)", 4, predict(4, 1.0))
    w, hist = train(xs, ys)
    for i, h in enumerate(hist):
        print("progress:", i, h)
    print("predict (after training)", 4, predict(4, w))
