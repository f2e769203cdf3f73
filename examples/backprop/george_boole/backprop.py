# George Boole -- HW 3
import torch

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w):
    return x * w


def loss(x, y, w):
    return (forward(x, w) - y) ** 2


def manual_gradient(x, y, w):
    dl_dyhat = 2 * (x * w - y)
    dyhat_dw = x
    return dl_dyhat * dyhat_dw


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    loss_history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            l = loss(x, y, w)
            l.backward()
            w.data = w.data - lr * w.grad.data
            w.grad.data.zero_()
            # keep track of every loss so I can plot the whole curve
            loss_history.append(l.item())
    return w.item(), loss_history


def predict(x, w):
    return float(x * w)


if __name__ == "__main__":
    w, loss_history = train(xs, ys)
    print(len(loss_history), "losses recorded, last:", loss_history[-1])
    print("predict 4:", predict(4.0, w))
