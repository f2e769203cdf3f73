# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/ChunYunMuXue/PYTORCH-WORK/blob/00c00ef91b0d36c4871e814e039df54d176c907b/code/line_model/work1.py
# Author: ChunYunMuXue; date unknown; licence: none stated.
# Changed to fit the stub: forward/loss take w as a parameter instead of the global; the
# top-level loop became search(x_data, y_data, candidates), returning the first best candidate
# and the MSE list; mse() is the loop's sum (still `sum / 3`).
import numpy as np
import matplotlib.pyplot as plt

x_data = [1.0,2.0,3.0]
y_data = [2.0,4.0,6.0]

def forward(x, w):return x * w

def loss(x,y,w):
    y_pred = forward(x,w)
    return (y_pred - y) * (y_pred - y)

def mse(x_data,y_data,w):
    sum = 0
    for x_val,y_val in zip(x_data,y_data):
        sum += loss(x_val,y_val,w)
    return sum / 3

def search(x_data,y_data,candidates):
    w_list = []
    mse_list = []

    for w in candidates:
        print("w = ",w)
        sum = 0
        for x_val,y_val in zip(x_data,y_data):
            y_pv = forward(x_val,w)
            sum += loss(x_val,y_val,w)
            print('\t',x_val,y_val,y_pv,loss(x_val,y_val,w))
        print("MSE = ",sum / 3)
        w_list.append(w)
        mse_list.append(sum / 3)
    return w_list[mse_list.index(min(mse_list))], mse_list

w_list = np.arange(0.0,4.1,0.1)
best, mse_list = search(x_data,y_data,w_list)
plt.plot(w_list,mse_list)
plt.ylabel('Loss')
plt.xlabel('w')
plt.show()
