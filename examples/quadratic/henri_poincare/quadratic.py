# Henri Poincare -- quadratic model
import torch

xs = [1.0, 2.0, 3.0]
ys = [2.0, 4.0, 6.0]


def forward(x, w1, w2, b):
    return w1 * x ** 2 + w2 * x + b


def loss(x, y, w1, w2, b):
    return (forward(x, w1, w2, b) - y) ** 2


def manual_gradients(x, y, w1, w2, b):
    y_hat = w1 * x ** 2 + w2 * x + b
    common = 2 * (y_hat - y)
    grad_w1 = common * x      # w1 and w2 both multiply x
    grad_w2 = common * x
    grad_b = common
    return grad_w1, grad_w2, grad_b


def train(xs, ys, w1=1.0, w2=1.0, b=1.0, lr=0.01, epochs=100):
    t_w1 = torch.tensor([w1], requires_grad=True)
    t_w2 = torch.tensor([w2], requires_grad=True)
    t_b = torch.tensor([b], requires_grad=True)
    history = []
    for epoch in range(epochs):
        for x, y in zip(xs, ys):
            l = loss(x, y, t_w1, t_w2, t_b)
            l.backward()
            for p in (t_w1, t_w2, t_b):
                p.data = p.data - lr * p.grad.data
                p.grad.data.zero_()
        history.append(l.item())
    return (t_w1.item(), t_w2.item(), t_b.item()), history


def predict(x, w1, w2, b):
    return float(w1 * x ** 2 + w2 * x + b)


if __name__ == "__main__":
    print(manual_gradients(2.0, 4.0, 1.0, 1.0, 1.0))
    params, history = train(xs, ys)
    print(params, predict(4.0, *params))
