# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/Ethereal24/PyTorch-Deep-Learning-Practice/blob/c5bdef78b2243e84752f8a5dfe623721f9fa20a0/Course_code/4BP_model_exercise.py
# Author: Ethereal24 (Wenxu Hu); last commit 2024-08-03; licence: none stated.
# Changed to fit the stub: w1, w2 and b are parameters of forward/loss instead of globals; the
# training loop became train(x_data, y_data, w1, w2, b, alpha=alpha, epochs) with the student's
# global alpha = 0.02 as the default, making the tensors from its arguments and returning
# ((w1, w2, b), the l.item() it prints per epoch); predict is forward. The student's unused
# gradient() is kept; manual_gradients was not written (the stub's body is kept).
import torch
import numpy as np
import matplotlib.pyplot as plt

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w1 = torch.Tensor([1.0])
w1.requires_grad = True
w2 = torch.Tensor([1.0])
w2.requires_grad = True
b = torch.Tensor([1.0])
b.requires_grad = True
alpha = 0.02  # learning rate

epoch_list = []
loss_list = []


def forward(x, w1, w2, b):
    return w1 * x ** 2 + w2 * x + b


def loss(x, y, w1, w2, b):
    y_pred = forward(x, w1, w2, b)
    return (y_pred - y) ** 2


def gradient(x, y):
    return 2 * x * (x * w1 - y)


def manual_gradients(x, y, w1: float, w2: float, b: float) -> tuple[float, float, float]:
    raise NotImplementedError("manual_gradients: write your code here (see the docstring)")


def train(x_data, y_data, w1=1.0, w2=1.0, b=1.0, alpha=alpha, epochs=100):
    w1 = torch.Tensor([w1])
    w1.requires_grad = True
    w2 = torch.Tensor([w2])
    w2.requires_grad = True
    b = torch.Tensor([b])
    b.requires_grad = True
    history = []
    for epoch in range(epochs):
        l = None
        for x, y in zip(x_data, y_data):
            l = loss(x, y, w1, w2, b)  # l是一个张量，tensor主要是在建立计算图 forward, compute the loss
            l.backward()  # backward,compute grad for Tensor whose requires_grad set to True

            print('\tgrad:', x, y, w1.grad.item(), w2.grad.item(), b.grad.item())

            w1.data = w1.data - alpha * w1.grad.data  # 权重更新时，注意grad也是一个tensor
            w2.data = w2.data - alpha * w2.grad.data
            b.data = b.data - alpha * b.grad.data
            w1.grad.data.zero_()  # 对w的权值进行清零
            w2.grad.data.zero_()  # 对w的权值进行清零
            b.grad.data.zero_()  # 对w的权值进行清零

        print("epoch = ", epoch, "\tloss = ", l.item())  # 取出loss使用l.item，不要直接使用l（l是tensor会构建计算图）
        history.append(l.item())
    return (w1, w2, b), history


def predict(x, w1, w2, b):
    return forward(x, w1, w2, b)


print("Predict (before training): ", 4, forward(4, w1, w2, b).item())

(w1, w2, b), loss_list = train(x_data, y_data)

print("Predict (after training): ", 4, forward(4, w1, w2, b).item())
