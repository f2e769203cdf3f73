# Srinivasa Ramanujan -- homework: quadratic model y_hat = w1*x^2 + w2*x + b
import torch

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w1, w2, b):
    return w1 * x ** 2 + w2 * x + b


def loss(x, y, w1, w2, b):
    y_pred = forward(x, w1, w2, b)
    return (y_pred - y) ** 2


def manual_gradients(x, y, w1, w2, b):
    # graph: y_pred = w1*x^2 + w2*x + b ; L = (y_pred - y)^2
    y_pred = w1 * x ** 2 + w2 * x + b
    dL_dy = 2 * (y_pred - y)
    return dL_dy * x ** 2, dL_dy * x, dL_dy


def train(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    w1 = torch.tensor([w1], requires_grad=True)
    w2 = torch.tensor([w2], requires_grad=True)
    b = torch.tensor([b], requires_grad=True)
    history = []
    for epoch in range(epochs):
        for x_val, y_val in zip(xs, ys):
            l = loss(x_val, y_val, w1, w2, b)
            l.backward()
            w1.data = w1.data - lr * w1.grad.data
            w2.data = w2.data - lr * w2.grad.data
            b.data = b.data - lr * b.grad.data
            w1.grad.data.zero_()
            w2.grad.data.zero_()
            b.grad.data.zero_()
        history.append(l.item())
    return (w1.item(), w2.item(), b.item()), history


def predict(x, w1, w2, b):
    return float(w1 * x * x + w2 * x + b)


if __name__ == "__main__":
    (w1, w2, b), history = train(xs, ys)
    print("progress:", history[0], "...", history[-1])
    print("w1 =", w1, "w2 =", w2, "b =", b)
    print("predict (after training)", 4, predict(4, w1, w2, b))   # 8.54, not quite 8 yet
