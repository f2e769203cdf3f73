# Joseph Fourier - HW quadratic
import torch

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w1, w2, b):
    return w1 * (x ** 2) + w2 * x + b


def loss(x, y, w1, w2, b):
    err = forward(x, w1, w2, b) - y
    return err ** 2


def manual_gradients(x, y, w1, w2, b):
    d = 2 * (forward(x, w1, w2, b) - y)
    return d * x ** 2, d * x, d


def train(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    W1 = torch.tensor([w1], requires_grad=True)
    W2 = torch.tensor([w2], requires_grad=True)
    B = torch.tensor([b], requires_grad=True)
    history = []
    for epoch in range(epochs):
        # reset the gradients at the start of every epoch
        for p in (W1, W2, B):
            if p.grad is not None:
                p.grad.data.zero_()
        for x, y in zip(xs, ys):
            l = loss(x, y, W1, W2, B)
            l.backward()
            W1.data -= lr * W1.grad.data
            W2.data -= lr * W2.grad.data
            B.data -= lr * B.grad.data
        history.append(l.item())
    return (W1.item(), W2.item(), B.item()), history


def predict(x, w1, w2, b):
    return float(forward(x, w1, w2, b))


if __name__ == "__main__":
    (w1, w2, b), h = train(xs, ys)
    print("params", w1, w2, b, "prediction for x=4:", predict(4.0, w1, w2, b))
