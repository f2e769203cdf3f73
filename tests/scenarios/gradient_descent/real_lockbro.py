# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/lockbro/LiuErDaRen-PracticeCode/tree/aefad3f8f9278e16811068375bdf32fb1f9dd3da/LearningCode
#   (Lecture3_gradientDescent_sample.py, Lecture3_StochasticGD_sample.py)
# Author: lockbro (Xiao Zhanpeng); last commit 2025-04-12; licence: MIT (Copyright (c) 2025 Xiao Zhanpeng).
# Changed to fit the stub: the two scripts in one file (trailing notes shortened); w, α and the
# epoch count are parameters instead of globals; the SGD script's gradient is sgd_gradient and its
# loss sgd_loss; each loop returns (w, the list the script plots). train_minibatch was not written
# (the stub's body is kept).
import numpy as np
import matplotlib.pyplot as plt # 该模块主要用于绘制 2D 图表
import random

# 数据集
x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

# w为权重，设置初始值为1.0
w = 1.0

# 前向传播函数，返回预测值
def forward(x, w):
    return x * w

# 损失（目标）函数，返回损失值
def cost(xs, ys, w):
    cost = 0
    for x, y in zip(xs, ys):
        y_pred = forward(x, w)
        cost += (y_pred - y) ** 2
    # 返回平均损失值（除以样本数量）
    return cost / len(xs)

# 梯度函数（对cost的w求偏导），返回梯度值
def gradient(xs, ys, w):
    grad = 0
    for x, y in zip(xs, ys):
        grad += 2 * x * (x * w - y)
    # 返回平均    
    return grad / len(xs)

def train_gd(x_data, y_data, w=1.0, α=0.01, epochs_n=100):
    epochs = [] # 迭代次数
    costs = [] # 损失值
    # 普通的梯度下降（gradient Descent）训练过程
    for epoch in range(epochs_n):
        epochs.append(epoch)
        cost_val = cost(x_data, y_data, w)
        costs.append(cost_val)
        grad_val = gradient(x_data, y_data, w)
        w -= α * grad_val # 更新权重
        # 显示训练过程,结果精确到小数点后2位

        print('Epoch:', epoch, 'w=', round(w, 2), 'loss=', round(cost_val, 2))
    return w, costs

# 为了和普通梯度下降比较，这里将损失函数改为loss
# 输入参数不再是数据集x_data和y_data，而是单个样本
def sgd_loss(x, y, w):
    y_pred = forward(x, w) # 对单个样本进行预测
    # 返回平均损失值（除以样本数量）
    return (y_pred - y) ** 2

# 梯度函数（对loss的w求偏导），返回梯度值
# 不再对所有样本进行计算，而是对单个样本进行计算
def sgd_gradient(x, y, w):
    return 2 * x * (x * w - y)  

def train_sgd(x_data, y_data, w=1.0, α=0.01, epochs_n=100):
    epochs = [] # 迭代次数
    losses = [] # 损失值
    # SGD训练过程
    for epoch in range(epochs_n):
        index = random.randint(0,2) # 随机抽取数据集中的样本
        x = x_data[index]
        y = y_data[index]
        grad_val = sgd_gradient(x, y, w)# 计算单个样本的梯度值
        w -= α * grad_val # 更新权重
        # 显示训练过程,结果精确到小数点后2位
        print('\tgrad:',x,y,round(grad_val,2))


        loss_val = sgd_loss(x, y, w)# 计算单个样本的损失值
        epochs.append(epoch)
        losses.append(loss_val)
        print('Epoch:', epoch, 'w=', round(w, 2), 'loss=', round(loss_val, 2))
    return w, losses


def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2) -> tuple[float, list[float]]:
    raise NotImplementedError("train_minibatch: write your code here (see the docstring)")


print('Predict (before training)', 4, forward(4, w))
w, costs = train_gd(x_data, y_data, w)
print('Predict (after training)', 4, round(forward(4, w), 2))

# 可视化结果
plt.plot(range(100), costs)
plt.xlabel('Epoch')
plt.ylabel('Cost')
plt.grid()# 显示网格
plt.show()

w = 1.0
print('Predict (before training)', 4, forward(4, w))
w, losses = train_sgd(x_data, y_data, w)
print('Predict (after training)', 4, round(forward(4, w), 2))

# 可视化结果
plt.plot(range(100), losses)
plt.xlabel('Epoch')
plt.ylabel('loss')
plt.grid()# 显示网格
plt.show()
