# E. W. Dijkstra -- backprop assignment
#
# Kept the progress printing from the lecture's program inside train(), it is nice to see the
# loss going down while it runs.
import torch

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w):
    return x * w


def loss(x, y, w):
    return (forward(x, w) - y) ** 2


def manual_gradient(x, y, w):
    yhat = forward(x, w)
    return 2 * x * (yhat - y)


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            l = loss(x, y, w)
            l.backward()
            print("\tgrad: ", x, y, w.grad.data[0])
            w.data = w.data - lr * w.grad.data
            w.grad.data.zero_()
        print("progress:", epoch, l.data[0])
        history.append(l.item())
    return w.item(), history


def predict(x, w):
    return x * w


# the lecture program, run as a script
print("predict (before training)", 4, predict(4, 1.0))
w_trained, _ = train(xs, ys)
print("predict (after training)", 4, predict(4, w_trained))
