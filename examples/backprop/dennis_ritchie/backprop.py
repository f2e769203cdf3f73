# Dennis Ritchie, backprop assignment
import torch

LEARNING_RATE = 0.01   # same as in class

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w):
    return x * w


def loss(x, y, w):
    diff = forward(x, w) - y
    return diff ** 2


def manual_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    hist = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            l = loss(x, y, w)
            l.backward()
            w.data = w.data - LEARNING_RATE * w.grad.data
            w.grad.data.zero_()
        hist.append(l.item())
    return w.item(), hist


def predict(x, w):
    return float(x * w)


if __name__ == "__main__":
    w, hist = train(xs, ys)
    print("w:", w, "predict(4):", predict(4.0, w))
