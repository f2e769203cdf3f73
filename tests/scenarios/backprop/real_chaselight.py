# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/ChaseLight-Smile/Algorithms/blob/b68f46daf791d84f287d69145f19cbd886d2492e/ML4DB/03_linearModel.py
# Author: ChaseLight-Smile; date unknown; licence: none stated.
# Changed to fit the stub: w is a parameter of forward/loss instead of the global; the loop under
# `if __name__ == '__main__':` became train(x_data, y_data, w0, lr, epochs) returning (w, the
# lo.item() it prints per epoch), called from the same block; predict is forward. The student
# never updates w (only zeroes its gradient); lr is accepted and unused, as in the original.
# manual_gradient was not written (the stub's body is kept).
import torch
x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = torch.Tensor([1.0])
w.requires_grad = True

def forward(x, w):
    return x * w

def loss(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) ** 2

def manual_gradient(x: float, y: float, w: float) -> float:
    raise NotImplementedError("manual_gradient: write your code here (see the docstring)")

def train(x_data, y_data, w0=1.0, lr=0.01, epochs=100):
    w = torch.Tensor([w0])
    w.requires_grad = True
    history = []
    for epoch in range(epochs):
        for x, y in zip(x_data, y_data):
            lo = loss(x, y, w)
            lo.backward()
            print("\tgrad:", x, y, w.grad.item())
            w.grad.data.zero_()
        print("progress:", epoch, lo.item())
        history.append(lo.item())
    return w, history

def predict(x, w):
    return forward(x, w)

if __name__ == '__main__':
    print("predict (before training)", 4, forward(4, w).item())
    w, _ = train(x_data, y_data)
print("predict (after training)", 4, forward(4, w).item())
