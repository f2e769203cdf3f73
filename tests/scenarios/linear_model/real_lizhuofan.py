# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/lizhuofan-curry/LiuErDaRenPyTorch/blob/ad55f8dfa95f82d9161bc5ddee7ac632f3817c86/Chapter02_LinearModel/plot_2d_loss_effect.py
# Author: lizhuofan-curry (ZhuofanLi); repository dated 2026; licence: MIT (Copyright (c) 2026 ZhuofanLi).
# Changed to fit the stub: forward/loss take w as a parameter instead of the global; the
# top-level loop became search(x_data, y_data, candidates), returning the first best candidate
# and the MSE list; mse() is the loop's sum (still `l_sum / 3`). The plot is still saved next to
# the file at import, as the student wrote it.
import numpy as np
import matplotlib.pyplot as plt
from pathlib import Path


x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]


def forward(x, w):
    return x * w


def loss(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) * (y_pred - y)


def mse(x_data, y_data, w):
    l_sum = 0
    for x_val, y_val in zip(x_data, y_data):
        l_sum += loss(x_val, y_val, w)
    return l_sum / 3


def search(x_data, y_data, candidates):
    w_list = []
    mse_list = []

    for w in candidates:
        print("w=", w)
        l_sum = 0
        for x_val, y_val in zip(x_data, y_data):
            y_pred_val = forward(x_val, w)
            loss_val = loss(x_val, y_val, w)
            l_sum += loss_val
            print("\t", x_val, y_val, y_pred_val, loss_val)
        print("MSE=", l_sum / 3)
        w_list.append(w)
        mse_list.append(l_sum / 3)
    return w_list[mse_list.index(min(mse_list))], mse_list


w_list = np.arange(0.0, 4.1, 0.1)
best_w, mse_list = search(x_data, y_data, w_list)

plt.plot(w_list, mse_list)
plt.ylabel("Loss")
plt.xlabel("w")
output_dir = Path(__file__).resolve().parent / "images"
output_dir.mkdir(exist_ok=True)
plt.savefig(output_dir / "linear_model_loss_curve.png", dpi=200, bbox_inches="tight")
plt.show()
