# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/inticoy/pyTorchZeroToAll/blob/5940777251878b8bf90935343a420abfd5749da7/pytorch-zero-to-all/02_linear_model.py
# Author: inticoy (Geonwoo Sun); last commit 2022-04-10; licence: none stated.
# Changed to fit the stub: forward/loss take w as a parameter instead of the global; the
# top-level loop became search(x_data, y_data, candidates) (the student's names for the data),
# returning the first best candidate and the MSE list; mse() is the loop's sum.
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
    loss_sum = 0
    for x_val, y_val in zip(x_data, y_data):
        loss_sum += loss(x_val, y_val, w)
    return loss_sum / len(x_data)


def search(x_data, y_data, candidates):
    # List of weights/Mean square Error (Mse) for each input
    weight_list = []
    mse_list = []

    # 0.0, 0.1, 0.2 ... 4.0
    for w in candidates:
        # Print the weights and initialize the lost
        print("w = %.1f" %w)
        loss_sum = 0

        for x_val, y_val in zip(x_data, y_data):
            # For each input and output, calculate y_hat
            # Compute the total loss and add to the total error
            y_pred_val = forward(x_val, w)
            l = loss(x_val, y_val, w)
            loss_sum += l
            print("\t%.1f\t%.1f\t%.1f\t%.1f" %(x_val, y_val, y_pred_val, l))
        # Now compute the Mean squared error (mse) of each
        # Aggregate the weight/mse from this run
        print("MSE =", loss_sum / len(x_data))
        weight_list.append(w)
        mse_list.append(loss_sum / len(x_data))
        print()
    return weight_list[mse_list.index(min(mse_list))], mse_list


weight_list = np.arange(0.0, 4.1, 0.1)
best_w, mse_list = search(x_data, y_data, weight_list)

# Plot it all
plt.plot(weight_list, mse_list)
plt.ylabel('Loss')
plt.xlabel('w')
plt.show()
