# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/kdhzoot/Z2APyTorch/blob/3510ae0e9b2c7d98713495f1795e682c4c151be9/Z2A/Lecture4.py
#   (manual_gradient from Z2A/Lecture3.py, same commit)
# Author: kdhzoot; date unknown; licence: none stated.
# Changed to fit the stub: w is a parameter of forward/loss instead of the global; the training
# loop (10 epochs in the original) became train(x_data, y_data, w0, lr, epochs) with the stub's
# defaults, returning (w, the l.data[0] it prints per epoch); the lecture-3 gradient is
# manual_gradient; predict is forward. The trailing string of notes is kept.
import torch
from torch.autograd import Variable

# automatically rebuild computational graph
# compute gradient
# just use Variable

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

# I will use gradient
w = Variable(torch.Tensor([1.0]), requires_grad=True)


def forward(x, w):
    return x * w


def loss(x, y, w):
    y_pred = forward(x, w)
    return (y - y_pred) * (y - y_pred)


def manual_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train(x_data, y_data, w0=1.0, learning_rate=0.01, epochs=100):
    w = Variable(torch.Tensor([w0]), requires_grad=True)
    history = []
    for epoch in range(epochs):
        for x_val, y_val in zip(x_data, y_data):
            l = loss(x_val, y_val, w)
            # l is compu~ graph. so we can use backward function
            # compute gradient of all variable (in this case w)
            l.backward()

            # diff between data and data[0]
            # data : [1, 2, 3]
            # data[0] : [1]
            # in this code, we have one w value
            # however, if w is not one, such as x1 * w1 + x2 * w2 = y
            # we need to use array to hold both w1 & w2 in one variable
            # that's why we use data or data[0]

            print("\tgrad: ", x_val, y_val, w.grad.data[0])

            # update gradient
            w.data = w.data - learning_rate * w.grad.data

            w.grad.data.zero_()

        print("progress: ", epoch, l.data[0])
        history.append(l.data[0])
    return w.data[0], history


def predict(x, w):
    return forward(x, w)


# x and y are fixed data.
# because we used w in forward func, loss and forward is automatically computational graph
print("predict (before training)", 4, forward(4, w).data[0])

w, _ = train(x_data, y_data, 1.0, 0.01, 10)

print("predict (after training", 4, forward(4, w))


"""
# automatically builds computational graph
x = Variable(torch.randn(1, 10))
prev_h = Variable(torch.randn(1, 20))
W_h = Variable(torch.randn(20, 20))
W_x = Variable(torch.randn(20, 10))

i2h = torch.mm(W_x, x.t())
h2h = torch.mm(W_h, prev_h.t())
next_h = i2h + h2h
"""
