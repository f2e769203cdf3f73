# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/seungwooj/pytorchzerotoallTutorials/blob/bae17f06551f690b30cddaf8f0ba7e09dc5d2cc5/lec02_linear_model.py
# Author: seungwooj (JANG, SEUNG WOO); last commit 2019-10-23; licence: none stated.
# Changed to fit the stub: forward/loss take w as a parameter instead of the global; the
# top-level search loop became search(x_data, y_data, candidates), returning the first best
# candidate and the MSE list; mse() is the loop's sum. The student's `loss = loss(...)` is kept.
import numpy as np
import matplotlib.pyplot as plt

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]


w = 1.0  # a random guess for value of w


# our hypothesis for the linear model
def forward(x, w):
    return x * w


# cost(loss) function
def loss(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) * (y_pred - y)


def mse(x_data, y_data, w):
    l_sum = 0
    for x_val, y_val in zip(x_data, y_data):
        l_sum += loss(x_val, y_val, w)
    return l_sum / 3


def search(x_data, y_data, candidates):
    # plotting 하기 위한 empty list 선언
    w_list = []
    mse_list = []

    for w in candidates:
        print("w=", w)
        l_sum = 0
        for x_val, y_val in zip(x_data, y_data):  # x_data, y_data 를 한쌍씩 매칭
            y_pred_val = forward(x_val, w)
            loss = loss(x_val, y_val, w)
            l_sum += loss
            print("\t", x_val, y_val, y_pred_val, loss)
        print("MSE=", l_sum / 3)

        w_list.append(w)
        mse_list.append(l_sum / 3)
    return w_list[mse_list.index(min(mse_list))], mse_list


w_list = np.arange(0.0, 4.1, 0.1)
best_w, mse_list = search(x_data, y_data, w_list)

plt.plot(w_list, mse_list)
plt.ylabel("Loss")
plt.xlabel("w")
plt.show()
