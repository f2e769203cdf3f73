# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/tuhoag/pytorch-zero2all/blob/31bf132265e2765616f18ca4278e832301c27e89/4_autograd.py
#   (manual_gradient from 3_manual_gradient.py, same commit)
# Author: tuhoag (Tu Hoang); last commit 2018-12-16; licence: MIT (Copyright (c) 2018 Tu Hoang).
# Changed to fit the stub: w is a parameter of forward/loss instead of the global; the training
# loop became train(x_data, y_data, w, lr, epochs), which turns the lists it gets into the
# student's column tensors and returns (w, the l.data[0] it prints per epoch); the lecture-3
# gradient is manual_gradient; predict is forward.
import torch

x_data = torch.tensor([[1.0], [2.0], [3.0]])
y_data = torch.tensor([[2.0], [4.0], [6.0]])

# w = 1.0
w = torch.tensor([1.0], requires_grad=True)


def forward(x, w):
    return x * w


def loss(x, y, w):
    y_pred = forward(x, w)

    return (y_pred - y) * (y_pred - y)


def manual_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train(x_data, y_data, w=1.0, lr=0.01, epochs=100):
    x_data = torch.tensor([[x] for x in x_data])
    y_data = torch.tensor([[y] for y in y_data])
    w = torch.tensor([w], requires_grad=True)
    history = []
    for epoch in range(epochs):
        for x_val, y_val in zip(x_data, y_data):
            l = loss(x_val, y_val, w)
            l.backward()

            print('\tgrad: ', x_val, y_val, w.grad.data[0], w.grad)

            w.data = w.data - lr * w.grad.data
            w.grad.data.zero_()

        print('progress: ', epoch, l.data[0])
        history.append(l.data[0])
    return w, history


def predict(x, w):
    return forward(x, w)


print('print (before training)', 4, forward(4, w).data[0])

w, _ = train([1.0, 2.0, 3.0], [2.0, 4.0, 6.0])

print('print (after training', forward(4, w).data[0])
