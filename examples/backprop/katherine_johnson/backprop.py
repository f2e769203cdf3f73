# Katherine Johnson - HW3 backprop
# I used torch.optim.SGD for the update step, it does the same thing as w.data -= lr * w.grad
# (I checked: same numbers as the lecture program).
import torch
import torch.nn.functional as F  # noqa: F401  (was trying F.mse_loss first)

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]


def forward(x, w):
    return torch.mul(w, x)


def loss(x, y, w):
    return torch.pow(forward(x, w) - y, 2)


def manual_gradient(x, y, w):
    # d/dw (xw - y)^2 = 2(xw - y) * x
    return 2.0 * x * (x * w - y)


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([w0], requires_grad=True)
    optimizer = torch.optim.SGD([w], lr=lr)
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            optimizer.zero_grad()
            l = loss(x, y, w)
            l.backward()
            optimizer.step()
        history.append(l.item())   # loss of the last sample of the epoch
    return w.item(), history


def predict(x, w):
    return x * w


if __name__ == "__main__":
    w, history = train(x_data, y_data)
    print("final w:", w, "last loss:", history[-1])
    print("predict 4 ->", predict(4.0, w))
