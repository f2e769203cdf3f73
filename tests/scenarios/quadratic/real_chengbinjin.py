# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/ChengBinJin/PytorchZeroToAll/blob/f8d9a392e44197de6c593dfd4b32cb192d3a6ba9/ex4_4_computational_graph.py
# Author: ChengBinJin (chengbin); last commit 2018-05-09; licence: none stated.
# Changed to fit the stub: w2, w1 and b are parameters instead of globals, in the stub's order of
# roles (the student calls the x * x coefficient w2, so the parameters read (x, w2, w1, b)); the
# chain-rule helpers take them too and manual_gradients returns their three results; the loop
# became train(x_data, y_data, w2, w1, b, lr, num_iters) with the stub's defaults, returning
# ((w2, w1, b), the per-epoch loss it prints); predict is forward. The student's own run (start
# 3.0, data of y = 2x^2 + x) stays at the top level. As in the original (which read globals),
# each gradient is computed with the parameters already updated before it in the same step.
x_data = [1.0, 2.0, 3.0]
y_data = [3.0, 10.0, 21.0]

# answer x^2 * w2 + x * w1 + b
# w2 = 2, w1 = 1, b = 0

num_iters = 100
lr = 1e-2
w2 = w1 = b = 3.0  # random guess


def forward(x, w2, w1, b):
    return x * x * w2 + x * w1 + b


def loss(x, y, w2, w1, b):
    y_pred = forward(x, w2, w1, b)
    return (y_pred - y) * (y_pred - y)


def dloss_by_dypred(x, y, w2, w1, b):
    return 2 * (forward(x, w2, w1, b) - y)


def dypred_by_dw2(x):
    return x * x


def dypred_by_dw1(x):
    return x


def dypred_by_db():
    return 1


def dloss_by_dw1(x, y, w2, w1, b):
    return dloss_by_dypred(x, y, w2, w1, b) * dypred_by_dw1(x)


def dloss_by_dw2(x, y, w2, w1, b):
    return dloss_by_dypred(x, y, w2, w1, b) * dypred_by_dw2(x)


def dloss_by_db(x, y, w2, w1, b):
    return dloss_by_dypred(x, y, w2, w1, b) * dypred_by_db()


def manual_gradients(x, y, w2, w1, b):
    return dloss_by_dw2(x, y, w2, w1, b), dloss_by_dw1(x, y, w2, w1, b), dloss_by_db(x, y, w2, w1, b)


def train(x_data, y_data, w2=1.0, w1=1.0, b=1.0, lr=0.01, num_iters=100):
    history = []
    for iter_time in range(num_iters):
        loss_ = 0.
        for x_val, y_val in zip(x_data, y_data):
            loss_ += loss(x_val, y_val, w2, w1, b)

            w2 += -lr * dloss_by_dw2(x_val, y_val, w2, w1, b)
            w1 += -lr * dloss_by_dw1(x_val, y_val, w2, w1, b)
            b += -lr * dloss_by_db(x_val, y_val, w2, w1, b)

        print(iter_time, 'loss: {}'.format(loss_/len(x_data)))
        history.append(loss_/len(x_data))
    return (w2, w1, b), history


def predict(x, w2, w1, b):
    return forward(x, w2, w1, b)


print('Before training, 4 hours: {}, correct answer should be 36!'.format(forward(4.0, w2, w1, b)))

(w2, w1, b), _ = train(x_data, y_data, w2, w1, b, lr, num_iters)

print('After training, 4 hours: {}, correct answer should be 36!'.format(forward(4.0, w2, w1, b)))
