"""Backprop homework -- A. Turing.

I did everything in float64 because float32 rounding annoyed me when comparing with my
hand-computed gradients. The update is done under torch.no_grad() (the "modern way" mentioned
in the notes) instead of touching .data.
"""
import torch

DTYPE = torch.float64


def forward(x, w):
    return w * x


def loss(x, y, w):
    err = forward(x, w) - y
    return err * err


def manual_gradient(x, y, w):
    """dL/dw by hand, no autograd."""
    residual = x * w - y          # y_hat - y
    dL_dyhat = 2.0 * residual
    dyhat_dw = x
    return float(dL_dyhat * dyhat_dw)


def train(xs, ys, w0=1.0, lr=0.01, epochs=100):
    w = torch.tensor([float(w0)], dtype=DTYPE, requires_grad=True)
    losses = []
    for _ in range(epochs):
        last = None
        for x, y in zip(xs, ys):
            last = loss(x, y, w)
            last.backward()
            with torch.no_grad():
                w -= lr * w.grad
                w.grad.zero_()
        losses.append(last.item())
    return w.item(), losses


def predict(x, w):
    return float(w) * float(x)


if __name__ == "__main__":
    xs, ys = [1.0, 2.0, 3.0], [2.0, 4.0, 6.0]
    # sanity check of my gradient against autograd
    w = torch.tensor([1.0], dtype=DTYPE, requires_grad=True)
    loss(2.0, 4.0, w).backward()
    print("autograd:", w.grad.item(), " by hand:", manual_gradient(2.0, 4.0, 1.0))
    w_final, losses = train(xs, ys)
    print("w =", w_final, "  prediction at 4:", predict(4.0, w_final))
