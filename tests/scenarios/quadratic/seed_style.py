# Correct, in the seed's style: float32 tensors, updates through .data, gradients zeroed through .grad.data.
import torch

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w1, w2, b):
    return x * x * w1 + x * w2 + b


def loss(x, y, w1, w2, b):
    y_pred = forward(x, w1, w2, b)
    return (y_pred - y) * (y_pred - y)


def manual_gradients(x, y, w1, w2, b):
    grad = 2 * (x ** 2 * w1 + x * w2 + b - y)
    return grad * x ** 2, grad * x, grad


def train(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    w1 = torch.tensor([w1], requires_grad=True)
    w2 = torch.tensor([w2], requires_grad=True)
    b = torch.tensor([b], requires_grad=True)
    history = []
    for epoch in range(epochs):
        for x_val, y_val in zip(xs, ys):
            l = loss(x_val, y_val, w1, w2, b)
            l.backward()
            print("\tgrad: ", x_val, y_val, w1.grad.data[0], w2.grad.data[0], b.grad.data[0])
            w1.data = w1.data - lr * w1.grad.data
            w2.data = w2.data - lr * w2.grad.data
            b.data = b.data - lr * b.grad.data
            w1.grad.data.zero_()
            w2.grad.data.zero_()
            b.grad.data.zero_()
        print("progress:", epoch, l.data[0])
        history.append(l.item())
    return (w1.item(), w2.item(), b.item()), history


def predict(x, w1, w2, b):
    return forward(x, w1, w2, b)


if __name__ == "__main__":
    (w1, w2, b), history = train(xs, ys)
    print("predict (after training)", 4, predict(4, w1, w2, b))
