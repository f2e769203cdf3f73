# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/DelinQu/pytorch-prev/blob/fbd0fd59fce27ef2471248e0c5d21e39323dd6c4/class3BP/BP2.py
# Author: DelinQu; date unknown; licence: none stated.
# Changed to fit the stub: w1, w2 and b are parameters of forward/loss instead of globals; the
# training loop became train(x_data, y_data, w1, w2, b, lr, epochs), making the tensors from its
# arguments and returning ((w1, w2, b), the l.item() it prints per epoch); predict is forward.
# manual_gradients was not written (the stub's body is kept).
# 二次模型y=w1x²+w2x+b，损失函数loss=(ŷ-y)²
import numpy as np
import matplotlib.pyplot as plt
import torch

x_data = [1.0,2.0,3.0]
y_data = [2.0,4.0,6.0]

w1 = torch.Tensor([1.0])        #初始权值
w1.requires_grad = True         #计算梯度，默认不计算

w2 = torch.Tensor([1.0])
w2.requires_grad = True

b = torch.Tensor([1.0])
b.requires_grad = True

# 前馈
def forward(x, w1, w2, b):
    return w1 * x**2 + w2 * x + b

# 损失函数
def loss(x,y,w1,w2,b):#构建计算图
    y_pred = forward(x,w1,w2,b)
    return (y_pred-y) **2

def manual_gradients(x, y, w1: float, w2: float, b: float) -> tuple[float, float, float]:
    raise NotImplementedError("manual_gradients: write your code here (see the docstring)")

def train(x_data,y_data,w1=1.0,w2=1.0,b=1.0,lr=0.01,epochs=100):
    w1 = torch.Tensor([w1])        #初始权值
    w1.requires_grad = True         #计算梯度，默认不计算

    w2 = torch.Tensor([w2])
    w2.requires_grad = True

    b = torch.Tensor([b])
    b.requires_grad = True
    history = []
    for epoch in range(epochs):
        l = loss(1, 2, w1, w2, b)
        for x,y in zip(x_data,y_data):
            l = loss(x, y, w1, w2, b)
            l.backward()
            print('\tgrad:',x,y,w1.grad.item(),w2.grad.item(),b.grad.item())
            w1.data = w1.data - lr*w1.grad.data #注意这里的grad是一个tensor，所以要取他的data
            w2.data = w2.data - lr * w2.grad.data
            b.data = b.data - lr * b.grad.data
            
            # 释放梯度
            w1.grad.data.zero_()
            w2.grad.data.zero_()
            b.grad.data.zero_()
            
        print('Epoch:',epoch,l.item())
        history.append(l.item())
    return (w1,w2,b), history

def predict(x, w1, w2, b):
    return forward(x, w1, w2, b)

print('Predict (befortraining)',4,forward(4,w1,w2,b))

(w1,w2,b), _ = train(x_data,y_data)

print('Predict(after training)',4,forward(4,w1,w2,b).item())
