# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/ChengBinJin/PytorchZeroToAll/blob/f8d9a392e44197de6c593dfd4b32cb192d3a6ba9/04_1_backpropogation_and_autograd.py
#   (manual_gradient from 03_1_gradient_descent.py, same commit)
# Author: ChengBinJin (chengbin); last commit 2018-05-09; licence: none stated.
# Changed to fit the stub: w is a parameter of forward/loss instead of the global; the training
# loop became train(x_data, y_data, w0, lr=lr, num_epochs=num_epochs) with the student's globals
# as defaults (num_epochs = 10, as in the lecture), returning (w, the l_.data[0] it prints per
# epoch); the lecture-3 gradient is manual_gradient; predict is forward.
import torch
from torch.autograd import Variable

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

lr = 0.01
num_epochs = 10

w = Variable(torch.FloatTensor([1.0]), requires_grad=True)  # Any random


# our model forward pass
def forward(x, w):
    return x * w


# Loss function
def loss(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) * (y_pred - y)


# compute gradient
def manual_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train(x_data, y_data, w0=1.0, lr=lr, num_epochs=num_epochs):
    w = Variable(torch.FloatTensor([w0]), requires_grad=True)  # Any random
    history = []
    # Training loop
    for epoch in range(num_epochs):
        l_ = None
        for x_val, y_val in zip(x_data, y_data):
            l_ = loss(x_val, y_val, w)
            l_.backward()
            print("\tgrad: ", x_val, y_val, w.grad.data[0])
            w.data = w.data - lr * w.grad.data

            # Manually zero the gradients after updating weights
            w.grad.data.zero_()

        print('progress:', epoch, l_.data[0])
        history.append(l_.data[0])
    return w.data[0], history


def predict(x, w):
    return forward(x, w)


# Before training
print("predict (before training)", 4, forward(4, w).data[0])

w, _ = train(x_data, y_data)

# After training
print("predict (after training)", 4, forward(4, w))
