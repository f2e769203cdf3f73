# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/pavankumarbn/DeepLearning/blob/25833fefe44342f205144e191a06005cd4367e32/GradientDescent.py
# Author: pavankumarbn; date unknown; licence: none stated.
# Changed to fit the stub: w is a parameter instead of the global; gradient is named
# sgd_gradient and the loop is train_sgd returning (w, the per-epoch loss it prints). The
# original's stray one-space indents from `def loss` on are kept, so the file does not parse.
import torch
x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]
w = 1.0

def forward(x, w):
    return w * x
    
 def loss(x,y,w):
    y_pred = forward(x,w)
    return (y_pred - y) * (y_pred - y) 
 
 def sgd_gradient(x,y,w):
    return 2 * x * (x * w - y)
   
 def train_sgd(x_data, y_data, w=1.0, lr=0.01, epochs=100):
    history = []
    for epoch in range (epochs):
       for x_val, y_val in zip(x_data, y_data):
           grad = sgd_gradient(x_val, y_val, w)
           w = w - lr * grad
           print("\tgrad: ", x_val, y_val, grad)
           l = loss(x_val, y_val, w)
       print("Progress: ", epoch, "w=", w, "loss=", l)
       history.append(l)
    return w, history
w, _ = train_sgd(x_data, y_data, w)
print("predict (after training)", "4 hours", forward(4, w))
