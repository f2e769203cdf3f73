# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/Ethereal24/PyTorch-Deep-Learning-Practice/tree/c5bdef78b2243e84752f8a5dfe623721f9fa20a0/Course_code
#   (3GD_model.py, 3SGD_model.py)
# Author: Ethereal24 (Wenxu Hu); last commit 2024-08-03; licence: none stated.
# Changed to fit the stub: the two scripts in one file; w, alpha and the epoch count are
# parameters instead of globals; the SGD script's gradient is sgd_gradient; each loop returns
# (w, the per-epoch loss it prints). train_minibatch was not written (the stub's body is kept).
import numpy as np
import matplotlib.pyplot as plt

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = 1.0
alpha = 0.01 # learning rate

def forward(x, w):
    return x * w

# 使用总体样本的损失值计算为梯度下降方法
def cost(xs, ys, w):
    cost = 0
    for x, y in zip(xs, ys):
        y_pred = forward(x, w)
        cost += (y_pred) ** 2
    return cost / len(xs)


def gradient(xs, ys, w):
    grad = 0
    for x, y in zip(xs, ys):
        grad += 2 * x * (x * w - y)
    return grad / len(xs)


def train_gd(x_data, y_data, w=1.0, alpha=0.01, epochs=100):
    cost_list = []
    for epoch in range(epochs):
        cost_val = cost(x_data, y_data, w)
        grad_val = gradient(x_data, y_data, w)
        w -= alpha * grad_val
        print("Epoch = ", epoch, " w = ", w, " cost = ", cost_val)
        cost_list.append(cost_val)
    return w, cost_list


def loss(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) ** 2


def sgd_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train_sgd(x_data, y_data, w=1.0, alpha=0.01, epochs=100):
    epoch_list = []
    loss_list = []
    for epoch in range(epochs):
        loss_val = 0
        for x, y in zip(x_data, y_data):
            grad = sgd_gradient(x, y, w)
            w = w - alpha * grad
            print("\tgrad = ", x, y, grad)
            # 每次样本进行训练后都会计算当前单个样本的loss值，最后计算的样本值作为本轮epoch的最终的loss_val
            loss_val = loss(x, y, w)

        print("Epoch = ", epoch, "\tw = ", w, "\tLoss =  ", loss_val)
        epoch_list.append(epoch)
        loss_list.append(loss_val)
    return w, loss_list


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2) -> tuple[float, list[float]]:
    raise NotImplementedError("train_minibatch: write your code here (see the docstring)")


print("Predict (before training): ", 4, forward(4, w))
w, _ = train_gd(x_data, y_data, w, alpha)
print("Predict (after training): ", 4, forward(4, w))

w = 1.0
print("Predict (before training): ", 4, forward(4, w))
w, loss_list = train_sgd(x_data, y_data, w, alpha)
print("Predict (after training): ", 4, forward(4, w))

plt.plot(range(100), loss_list)
plt.xlabel("epoch")
plt.ylabel("loss")
plt.show()
