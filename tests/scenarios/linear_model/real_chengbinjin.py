# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/ChengBinJin/PytorchZeroToAll/blob/f8d9a392e44197de6c593dfd4b32cb192d3a6ba9/02_1_linear_model.py
# Author: ChengBinJin (chengbin); last commit 2018-05-09; licence: none stated.
# Changed to fit the stub: forward takes w as a parameter instead of the global; the top-level
# loop became search(x_data, y_data, candidates), returning the first best candidate and the MSE
# list; mse() is the loop's sum. The student's loss(y_pred, y) signature is kept as written.
import numpy as np
import matplotlib.pyplot as plt

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]
w = 0.0  # a random guess: random value, 0.0


# our model for the forward pass
def forward(x, w):
    return x * w


# Loss function
def loss(y_pred, y):
    return (y_pred - y) * (y_pred - y)


def mse(x_data, y_data, w):
    num = len(x_data)
    l_sum = 0
    for x_val, y_val in zip(x_data, y_data):
        l_sum += loss(forward(x_val, w), y_val)
    return l_sum / num


def search(x_data, y_data, candidates):
    w_list = []
    mse_list = []
    num = len(x_data)
    for w in candidates:
        print("w = {:.3f}".format(w))
        l_sum = 0
        for x_val, y_val in zip(x_data, y_data):
            y_pred_val = forward(x_val, w)
            l_ = loss(y_pred_val, y_val)
            l_sum += l_
            print("\t", x_val, y_val, y_pred_val, l_)

        print("MSE = {:.3f}\n".format(l_sum / num))

        w_list.append(w)
        mse_list.append(l_sum / num)
    return w_list[mse_list.index(min(mse_list))], mse_list


w_list = np.arange(0.0, 4.1, 0.1)
best_w, mse_list = search(x_data, y_data, w_list)

plt.plot(w_list, mse_list)
plt.ylabel('Loss')
plt.xlabel('w')
plt.show()
