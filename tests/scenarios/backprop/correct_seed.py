# The seed's program, as the lecture writes it: float32, w.data and w.grad.
import torch

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]


def forward(x, w):
    return x * w


def loss(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) * (y_pred - y)


def manual_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    history = []
    for epoch in range(epochs):
        for x_val, y_val in zip(xs, ys):
            l = loss(x_val, y_val, w)
            l.backward()
            w.data = w.data - lr * w.grad.data
            w.grad.data.zero_()
        print("progress:", epoch, l.data[0])
        history.append(l.item())
    return w.item(), history


def predict(x, w):
    return x * w


if __name__ == "__main__":
    w, history = train(x_data, y_data)
    print("predict (after training)", 4, predict(4, w))
