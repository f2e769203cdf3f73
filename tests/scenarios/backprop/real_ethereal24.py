# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/Ethereal24/PyTorch-Deep-Learning-Practice/blob/c5bdef78b2243e84752f8a5dfe623721f9fa20a0/Course_code/4BP_model.py
# Author: Ethereal24 (Wenxu Hu); last commit 2024-08-03; licence: none stated.
# Changed to fit the stub: w is a parameter of forward/loss/gradient instead of the global; the
# training loop became train(x_data, y_data, w0, alpha, epochs) returning (w, the l.item() it
# prints per epoch); the student's gradient is manual_gradient; predict is forward.
import torch
import numpy as np
import matplotlib.pyplot as plt

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = torch.Tensor([1.0])
w.requires_grad = True
alpha = 0.01  # learning rate

epoch_list = []
loss_list = []


def forward(x, w):
    return x * w


def loss(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) ** 2


def gradient(x, y, w):
    return 2 * x * (x * w - y)


def train(x_data, y_data, w0=1.0, alpha=0.01, epochs=100):
    w = torch.Tensor([w0])
    w.requires_grad = True
    history = []
    for epoch in range(epochs):
        l = None
        for x, y in zip(x_data, y_data):
            l = loss(x, y, w)  # l是一个张量，tensor主要是在建立计算图 forward, compute the loss
            l.backward()  # backward,compute grad for Tensor whose requires_grad set to True

            print('\tgrad:', x, y, w.grad.item())

            w.data = w.data - 0.01 * w.grad.data  # 权重更新时，注意grad也是一个tensor
            w.grad.data.zero_()  # 对w的权值进行清零

        print('progress:', epoch, l.item())  # 取出loss使用l.item，不要直接使用l（l是tensor会构建计算图）
        history.append(l.item())
    return w, history


manual_gradient = gradient


def predict(x, w):
    return forward(x, w)


print("Predict (before training): ", 4, forward(4, w).item())

w, loss_list = train(x_data, y_data, 1.0, alpha)

print("Predict (after training): ", 4, forward(4, w).item())
