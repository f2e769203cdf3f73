# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/Layotiver/Cloak-of-Invisibility/blob/4bd09a3ffec5f9dd29994bff2a8a7a3ce807f0ff/lx/PyTorch-Deep-Learning/BP_tensor_ex.py
# Author: Layotiver; date unknown; licence: none stated.
# Changed to fit the stub: the student keeps w1, w2 and b in one tensor w; forward takes the
# three as parameters (train passes w[0], w[1], w[2], so the graph still reaches w); the
# training loop became train(x_data, y_data, w1, w2, b, lr, epochs), building w from its
# arguments and returning ((w[0], w[1], w[2]) as floats, the l.item() it prints per epoch);
# predict is forward. manual_gradients was not written (the stub's body is kept).
import torch

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = torch.Tensor([1.0,1.0,1.0]) # w1,w2,b
w.requires_grad = True
# 默认w不需要计算梯度，这里需要手动设置为True

def forward(x, w1, w2, b):
    return w1*(x**2) + w2*x + b

def loss(x, y, w1, w2, b):
    y_pred = forward(x, w1, w2, b)
    return (y_pred - y) ** 2

def manual_gradients(x, y, w1: float, w2: float, b: float) -> tuple[float, float, float]:
    raise NotImplementedError("manual_gradients: write your code here (see the docstring)")

def train(x_data, y_data, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    w = torch.Tensor([w1,w2,b]) # w1,w2,b
    w.requires_grad = True
    history = []
    for epoch in range(epochs):
        for x, y in zip(x_data,y_data):
            l = loss(x, y, w[0], w[1], w[2])  # Forward,compute the loss
            l.backward()    # Backward,compute grad for Tensor whose requires_grad set to True
            print('\tgrad:%d %d %f %f %f' % (x, y, w.grad[0].item(),w.grad[1].item(),w.grad[2].item()))
            w.data = w.data - lr * w.grad.data    # The grad is utilized to update weight

            w.grad.data.zero_()
            # The grad computed by .backward() will be accumulated
            # So after update, remenber to set the grad to ZERO.
        print("progress:",epoch, l.item())
        history.append(l.item())
    return (w[0].item(), w[1].item(), w[2].item()), history

def predict(x, w1, w2, b):
    return forward(x, w1, w2, b)

print("predict (before training)", 4, forward(4, w[0], w[1], w[2]).item())

(w1, w2, b), _ = train(x_data, y_data)

print("predict (after training)", 4, forward(4, w1, w2, b))
