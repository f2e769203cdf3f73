# Hedy Lamarr - assignment 1: linear model
# Exhaustive search over w, like in the lecture.

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w):
    return x * w


def loss(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) * (y_pred - y)


def mse(xs, ys, w):
    l_sum = 0
    for x_val, y_val in zip(xs, ys):
        l_sum += loss(x_val, y_val, w)
    return l_sum / len(xs)


def search(xs, ys, candidates):
    mse_list = []
    best_w = None
    best_mse = None
    for w in candidates:
        m = mse(xs, ys, w)
        mse_list.append(m)
        if best_mse is None or m < best_mse:   # strict <, keep the first one on a tie
            best_mse = m
            best_w = w
    return best_w, mse_list


if __name__ == "__main__":
    w_list = [i / 10 for i in range(0, 41)]
    best, mses = search(xs, ys, w_list)
    for w, m in zip(w_list, mses):
        print("w=", round(w, 1), "MSE=", round(m, 4))
    print("best w:", best, " predict (after training)", 4.0, forward(4.0, best))
