# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/Fanthers/pytorch_tutorial/blob/ad3cf76676e63af28ae97cbffe62bf6a209d14fd/tutorial_class3_homework.py
# Author: Fanthers; date unknown; licence: none stated.
# Changed to fit the stub: w1, w2 and b are parameters of forward/loss instead of globals; the
# training loop became train(x_data, y_data, w1, w2, b, lr, epochs), making the tensors from its
# arguments and returning ((w1, w2, b), the l.item() it prints per epoch); predict is forward.
# The student's own 10000-epoch run (printing every sample) stays at the top level.
# manual_gradients was not written (the stub's body is kept).
import torch

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w1 = torch.tensor([1.0])
w1.requires_grad_()
w2 = torch.tensor([1.0])
w2.requires_grad_()
b = torch.tensor([1.0])
b.requires_grad_()


def forward(x, w1, w2, b):
    return w1 * (x ** 2) + w2 * x + b


def loss(x, y, w1, w2, b):
    y_pred = forward(x, w1, w2, b)
    return (y_pred - y) ** 2


def manual_gradients(x, y, w1: float, w2: float, b: float) -> tuple[float, float, float]:
    raise NotImplementedError("manual_gradients: write your code here (see the docstring)")


def train(x_data, y_data, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    w1 = torch.tensor([w1])
    w1.requires_grad_()
    w2 = torch.tensor([w2])
    w2.requires_grad_()
    b = torch.tensor([b])
    b.requires_grad_()
    history = []
    for epoch in range(epochs):
        for x, y in zip(x_data, y_data):
            l = loss(x, y, w1, w2, b)
            l.backward()
            print('\tgrad:', x, y, w1.grad.item(), w2.grad.item(), b.grad.item())
            w1.data = w1.data - lr * w1.grad.data
            w2.data = w2.data - lr * w2.grad.data
            b.data = b.data - lr * b.grad.data
            w1.grad.data.zero_()
            w2.grad.data.zero_()
            b.grad.data.zero_()
        print('Epoch', epoch, l.item())
        history.append(l.item())
    return (w1, w2, b), history


def predict(x, w1, w2, b):
    return forward(x, w1, w2, b)


print("predict (before training)", 4, forward(4, w1, w2, b).item())

(w1, w2, b), _ = train(x_data, y_data, epochs=10000)

print('predict (after training)', 4, forward(4, w1, w2, b).item())
