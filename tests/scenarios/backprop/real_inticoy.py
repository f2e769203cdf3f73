# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/inticoy/pyTorchZeroToAll/blob/5940777251878b8bf90935343a420abfd5749da7/pytorch-zero-to-all/04_back_propagation_and_autograd.py
#   (manual_gradient from 03_gradient_descent.py, same commit)
# Author: inticoy (Geonwoo Sun); last commit 2022-04-10; licence: none stated.
# Changed to fit the stub: w is a parameter of forward instead of the global; the training loop
# became train(x_data, y_data, w0, alpha=alpha, times=times) with the student's globals as
# defaults (times = 10, as in the lecture), returning (w.item(), the l.item() it prints per
# epoch); the lecture-3 gradient is manual_gradient; predict is forward. The student's
# loss(y_pred, y_val) signature is kept as written.
import torch
import pdb

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]
w = torch.tensor([1.], requires_grad=True)

# our model forward pass
def forward(x, w):
    return x * w

# Loss function
def loss(y_pred, y_val):
    return (y_pred - y_val) ** 2

# compute gradient
def manual_gradient(x, y, w):  # d_loss/d_w
    return 2 * x * (x * w - y)

# learning rate
alpha = 0.01
times = 10

def train(x_data, y_data, w0=1.0, alpha=alpha, times=times):
    w = torch.tensor([w0], requires_grad=True)
    history = []
    # Training loop
    for epoch in range(times):
        for x_val, y_val in zip(x_data, y_data):
            y_pred = forward(x_val, w) # 1) Forward pass
            l = loss(y_pred, y_val) # 2) Compute loss
            l.backward() # 3) Back propagation to update weights
            print("\tgrad: ", x_val, y_val, w.grad.item())
            w.data = w.data - alpha * w.grad.item()
            # as same as
            # w = w - alpha * grad
            # in previous code

            # Manually zero the gradients after updating weights
            w.grad.data.zero_()

        print(f"Epoch: {epoch} | Loss: {l.item()}")
        history.append(l.item())
    return w.item(), history

def predict(x, w):
    return forward(x, w)

# Before training
print("Prediction (before training)",  4, forward(4, w).item())

w, _ = train(x_data, y_data)

# After training
print("Prediction (after training)",  4, forward(4, w))
