# Charles Babbage, assignment 3
import torch

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w):
    return x * w


def loss(x, y, w):
    y_hat = forward(x, w)
    return (y_hat - y) ** 2


def manual_gradient(x, y, w):
    y_hat = x * w
    return 2 * (y_hat - y) * x


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            l = loss(x, y, w)
            l.backward()            # computes dl/dw into w.grad
            w.data = w.data - lr * w.grad.data
        history.append(l.item())
    return w.item(), history


def predict(x, w):
    return float(x * w)


if __name__ == "__main__":
    w, history = train(xs, ys)
    print(history[:5], "...", history[-1])
    print("prediction for 4:", predict(4.0, w))
