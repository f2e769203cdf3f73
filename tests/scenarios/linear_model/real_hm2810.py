# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/hm2810/Pytorch-tut/blob/b65beedd1bbf7589aade67f23b28b9e4591ced52/01-Lin.py
# Author: hm2810; date unknown; licence: none stated.
# Changed to fit the stub: forward/loss take w as a parameter instead of the global; the
# top-level loop became search(x_data, y_data, candidates), returning the first best candidate
# and the MSE list; mse() is the loop's sum (still `l_sum / 3`).
import numpy as np
import matplotlib.pyplot as plt

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]


# our model for the forward pass
def forward(x, w):
    return x * w


# Loss function
def loss(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) * (y_pred - y)


def mse(x_data, y_data, w):
    l_sum = 0
    for i in range(0,len(x_data)):
        l_sum += loss(x_data[i], y_data[i], w)
    return l_sum / 3


def search(x_data, y_data, candidates):
    w_list = []
    mse_list = []

    for w in candidates:
        print("w=", w)
        l_sum = 0
        for i in range(0,len(x_data)):
            y_pred_val = forward(x_data[i], w)
            l = loss(x_data[i], y_data[i], w)
            l_sum += l
            print("\t", i, x_data[i], y_data[i], y_pred_val, l)

        print("MSE=", l_sum / 3)
        w_list.append(w)
        mse_list.append(l_sum / 3)
    return w_list[mse_list.index(min(mse_list))], mse_list


w_list = np.arange(0.0, 4.1, 0.1)
best_w, mse_list = search(x_data, y_data, w_list)

plt.plot(w_list, mse_list)
plt.ylabel('Loss')
plt.xlabel('w')
plt.show()
