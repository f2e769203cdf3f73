# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/seungwooj/pytorchzerotoallTutorials/blob/bae17f06551f690b30cddaf8f0ba7e09dc5d2cc5/lec04-03_back_propagation_ex4-5.py
#   (the hand-written gradients from lec04-02_back_propagataion_ex4-4.py, same commit)
# Author: seungwooj (JANG, SEUNG WOO); last commit 2019-10-23; licence: none stated.
# Changed to fit the stub: the training loop of exercise 4-5 became train(x_data, y_data,
# w1_initial, w2_initial, b_initial, lr, epochs), creating the Variables from its arguments and
# returning ((w1, w2, b), the loss.data it prints per epoch); exercise 4-4's two gradient
# functions are returned together by manual_gradients; the stub's names are bound to the
# student's functions at the end. The student's own forward(x, w1, w2, b) is kept: in it w1 is
# the coefficient of x and w2 the coefficient of x * x (the lecture slide's naming), and b is a
# plain float that is never trained, as in the original.
import torch
from torch.autograd import Variable

# give data
x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]
# a random guess for value of w1, w2, b
w1_initial = Variable(torch.Tensor([1.0]), requires_grad=True)
w2_initial = Variable(torch.Tensor([1.0]), requires_grad=True)
b_initial = 1.0


# our hypothesis for the linear model
def forward(x, w1, w2, b):
    return (x * x) * w2 + x * w1 + b


# cost(loss) function
def calculate_loss(x, y, w1, w2, b):
    y_pred = forward(x, w1, w2, b)
    return (y_pred - y) * (y_pred - y)


# compute gradients (exercise 4-4)
def calculate_gradient_w1(x, y, w1, w2, b):
    return 2 * x * (w1 * x + w2 * (x * x) - y + b)


def calculate_gradient_w2(x, y, w1, w2, b):
    return 2 * (x * x) * (w2 * (x * x) + w1 * x - y + b)


def calculate_gradients(x, y, w1, w2, b):
    return calculate_gradient_w1(x, y, w1, w2, b), calculate_gradient_w2(x, y, w1, w2, b)


def train(x_data, y_data, w1_initial=1.0, w2_initial=1.0, b_initial=1.0, lr=0.01, epochs=100):
    w1_initial = Variable(torch.Tensor([w1_initial]), requires_grad=True)
    w2_initial = Variable(torch.Tensor([w2_initial]), requires_grad=True)
    history = []
    # Training loop
    loss = 0
    for epoch in range(epochs):
        for x_val, y_val in zip(x_data, y_data):
            loss = calculate_loss(x_val, y_val, w1_initial, w2_initial, b_initial)
            loss.backward()
            print("\tgrad: ", x_val, y_val, w1_initial.grad.data, w2_initial.grad.data)
            w1_initial.data = w1_initial.data - lr * w1_initial.grad.data
            w2_initial.data = w2_initial.data - lr * w2_initial.grad.data

            # Manually zero the gradients after updating weights
            w1_initial.grad.data.zero_()
            w2_initial.grad.data.zero_()

        print("progress:", epoch, loss.data)
        history.append(loss.data)
    return (w1_initial, w2_initial, b_initial), history


# Before training
print("predict (before training)", "4 hours", forward(4, w1_initial, w2_initial, b_initial).data)

(w1_initial, w2_initial, b_initial), _ = train(x_data, y_data)

# After Training
print("predict (after training)", 4, forward(4, w1_initial, w2_initial, b_initial).data)

loss = calculate_loss
manual_gradients = calculate_gradients
predict = forward
