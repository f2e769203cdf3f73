# John von Neumann - backprop
import torch

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w):
    # w is a 1-element tensor, take the number out so the result is a normal float
    return x * w.item()


def loss(x, y, w):
    # written out directly (forward gave me a float and backward() complained)
    return (x * w - y) ** 2


def manual_gradient(x, y, w):
    return 2 * x * (x * w - y)


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            l = loss(x, y, w)
            l.backward()
            w.data = w.data - lr * w.grad.data
            w.grad.data.zero_()
        history.append(l.item())
    return w.item(), history


def predict(x, w):
    return x * w


if __name__ == "__main__":
    print("forward(4, w=2):", forward(4.0, torch.tensor([2.0], requires_grad=True)))
    w, _ = train(xs, ys)
    print("predict (after training)", 4, predict(4.0, w))
