# Claude Shannon -- backprop with autograd
import torch

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w):
    return x * w


def loss(x, y, w):
    return (forward(x, w) - y) ** 2


def manual_gradient(x, y, w):
    # loss = (y - x*w)^2  ->  derivative of the inside w.r.t. w is x
    # so dloss/dw = 2 * (y - x*w) * x
    return 2 * (y - x * w) * x


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    history = []
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            l = loss(x, y, w)
            l.backward()
            w.data = w.data - lr * w.grad.data
            w.grad.data.zero_()
        history.append(l.item())
    return w.item(), history


def predict(x, w):
    return float(x * w)


if __name__ == "__main__":
    w, h = train(xs, ys)
    print("trained w:", w, "predict(4):", predict(4.0, w))
    print("manual gradient at (2, 4, 1):", manual_gradient(2.0, 4.0, 1.0))
