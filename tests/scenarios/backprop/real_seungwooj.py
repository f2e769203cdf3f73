# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/seungwooj/pytorchzerotoallTutorials/blob/bae17f06551f690b30cddaf8f0ba7e09dc5d2cc5/lec04_back_propagation.py
#   (calculate_gradient from lec04-01_back_propagation_ex4-3.py, same commit)
# Author: seungwooj (JANG, SEUNG WOO); last commit 2019-10-23; licence: none stated.
# Changed to fit the stub: the training loop became train(x_data, y_data, w_initial, lr, epochs),
# creating the Variable from w_initial and returning (w_initial, the loss.data it prints per
# epoch); the stub's names are bound to the student's functions at the end (loss =
# calculate_loss, manual_gradient = calculate_gradient, predict = forward).
import torch
from torch.autograd import Variable

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]


# model forward pass
def forward(x, w):
    return x * w


# loss function
def calculate_loss(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) * (y_pred - y)


# compute gradient
def calculate_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train(x_data, y_data, w_initial=1.0, lr=0.01, epochs=100):
    w_initial = Variable(torch.Tensor([w_initial]), requires_grad=True)
    history = []
    # Training loop
    loss = 0
    for epoch in range(epochs):
        for x_val, y_val in zip(x_data, y_data):
            loss = calculate_loss(x_val, y_val, w_initial)
            print(loss)
            loss.backward()
            print("\tgrad: ", x_val, y_val, w_initial.grad.data)
            w_initial.data = w_initial.data - lr * w_initial.grad.data

            # Manually zero the gradients after updating weights
            w_initial.grad.data.zero_()

        print("progress:", epoch, loss.data)
        history.append(loss.data)
    return w_initial, history


w_initial = Variable(torch.Tensor([1.0]), requires_grad=True)

# Before training
print("predict (before training)", 4, forward(4, w_initial))

w_initial, _ = train(x_data, y_data)

# After Training
print("predict (after training)", 4, forward(4, w_initial))

loss = calculate_loss
manual_gradient = calculate_gradient
predict = forward
