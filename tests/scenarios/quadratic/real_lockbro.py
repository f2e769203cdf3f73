# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/lockbro/LiuErDaRen-PracticeCode/blob/aefad3f8f9278e16811068375bdf32fb1f9dd3da/LearningCode/Lecture4_homework.py
# Author: lockbro (Xiao Zhanpeng); last commit 2025-04-12; licence: MIT (Copyright (c) 2025 Xiao Zhanpeng).
# Changed to fit the stub: w_1, w_2 and b are parameters of forward/loss instead of globals; the
# training loop became train(x_data, y_data, w_1, w_2, b, α, epochs_n), making the tensors from
# its arguments and returning ((w_1, w_2, b) as floats, the losses list it plots); predict is
# forward; the plot stays at the top level. manual_gradients was not written (the stub's body
# is kept).
import torch
import matplotlib.pyplot as plt
import numpy as np
import os
os.environ["KMP_DUPLICATE_LIB_OK"]="TRUE"

# 作业：计算y^ = w1 * x^2 + w2 * x + b的梯度


# 数据
x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

# w1和w2为权重，b为偏置，设置他们的初始值为1.0（为tensor），且需要求导（计算梯度）
w_1 = torch.tensor([1.0], requires_grad=True)
w_2 = torch.tensor([1.0], requires_grad=True)
b = torch.tensor([1.0], requires_grad=True)

def forward(x, w_1, w_2, b):
    # 由于w是tensor，所以这里的乘法已经被重载，是tensor之间的乘法（x自动被转为tensor）
    # 返回的结果也是tensor，且需要计算梯度

    # 计算y^ = w1 * x^2 + w2 * x + b
    return x ** 2 * w_1 + x * w_2 + b 

# 损失函数，返回损失值
# （构建新的计算图）
def loss(x, y, w_1, w_2, b): 
    y_pred = forward(x, w_1, w_2, b)
    return (y_pred - y) ** 2

def manual_gradients(x, y, w1: float, w2: float, b: float) -> tuple[float, float, float]:
    raise NotImplementedError("manual_gradients: write your code here (see the docstring)")

def train(x_data, y_data, w_1=1.0, w_2=1.0, b=1.0, α=0.01, epochs_n=100):
    w_1 = torch.tensor([w_1], requires_grad=True)
    w_2 = torch.tensor([w_2], requires_grad=True)
    b = torch.tensor([b], requires_grad=True)
    epochs = [] # 迭代次数
    losses = [] # 损失值

    for epoch in range(epochs_n):
        epochs.append(epoch)
        for x, y in zip(x_data, y_data):
            # 前馈运算，计算损失
            l = loss(x, y, w_1, w_2, b) 

            # 反馈运算，计算梯度
            # tensor数据类型的backward()方法用于计算梯度,并将结果存在w.grad这个tensor中
            # （完成反向计算后，此轮的loss计算图自动释放）
            l.backward() 

            # 显示训练过程
            # .item()方法用于取tensor的数值部分，并转为一个标量
            print('\tgrad:', x, y, round(w_1.grad.item(), 2), round(w_2.grad.item(), 2), round(b.grad.item(), 2))

            # 更新权重和偏置项（单纯修改数值，因此需要取.data）
            # 由于w.grad也是tensor类型，所以还需要取w.grad的data属性（tensor的数据部分）以便进行数值运算
            w_1.data -= α * w_1.grad.data
            w_2.data -= α * w_2.grad.data
            b.data -= α * b.grad.data

            # 需要手动清空梯度（否则梯度会累加）
            w_1.grad.data.zero_()
            w_2.grad.data.zero_()
            b.grad.data.zero_()

        losses.append(l.item())
        # 显示训练过程
        print('Epoch:', epoch, 'w1=', round(w_1.item(), 2), 'w2=', round(w_2.item(), 2), 'b=', round(b.item(), 2), 'loss=', round(l.item(), 2))
    return (w_1.item(), w_2.item(), b.item()), losses

def predict(x, w_1, w_2, b):
    return forward(x, w_1, w_2, b)

print('Predict (before training)', 4, round(forward(4, w_1, w_2, b).item(), 2))

(w_1, w_2, b), losses = train(x_data, y_data)

print('Predict (after training)', 4, round(forward(4, w_1, w_2, b), 2))

# 可视化结果
plt.plot(range(100), losses)
plt.xlabel('Epoch')
plt.ylabel('Loss')
plt.grid()# 显示网格
plt.show()
