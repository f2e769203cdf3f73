# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/ChunYunMuXue/PYTORCH-WORK/blob/af041cd287552b12fe178be19316ce98ee32c9bc/code/gradient_descent/work1.py
#   and https://github.com/ChunYunMuXue/PYTORCH-WORK/blob/dcbc75a1f0275fb5c70135a1ee78bd923927b624/code/gradient_descent/work2.py
# Author: ChunYunMuXue; date unknown; licence: none stated.
# Changed to fit the stub: the two scripts in one file; w, 0.01 and the epoch count are
# parameters instead of the global w and literals; work2's gradient is sgd_gradient; each loop
# returns (w, the per-epoch loss it prints). The scripts' own 10000-epoch runs stay at the top
# level. train_minibatch was not written (the stub's body is kept).
x_data = [1.0,2.0,3.0]
y_data = [2.0,4.0,6.0]

w = 1.0

def forward(x, w):return x * w
def cost(xs,ys,w):
    cost = 0
    for x,y in zip(xs,ys):
        y_pre = forward(x,w)
        cost += (y_pre - y) ** 2
    return cost / len(xs)
def gradient(xs,ys,w):
    grad = 0
    for x,y in zip(xs,ys):
        grad += 2 * x * (x * w - y)
    return grad / len(xs)
def train_gd(xs,ys,w=1.0,lr=0.01,epochs=100):
    history = []
    for epoch in range(epochs):
        cost_val = cost(xs,ys,w)
        grad_val = gradient(xs,ys,w)
        w -= lr * grad_val
        print("Epoch: ",epoch,'w = ',w,'lost = ',cost_val)
        history.append(cost_val)
    return w, history

def loss(x,y,w):
    y_p = forward(y,w)
    return (y_p - y) ** 2
def sgd_gradient(x,y,w):
    return 2 * x * (x * w - y)
def train_sgd(xs,ys,w=1.0,lr=0.01,epochs=100):
    history = []
    for epoch in range(epochs):
        for x,y in zip(xs,ys):
            grad = sgd_gradient(x,y,w)
            w = w - lr * grad
            print("\targd : ",x,y,grad)
            l = loss(x,y,w)
        print("Epoch: ",epoch,'w = ',w,'loss = ',l)
        history.append(l)
    return w, history

def train_minibatch(xs, ys, w0=1.0, lr=0.01, epochs=100, batch_size=2) -> tuple[float, list[float]]:
    raise NotImplementedError("train_minibatch: write your code here (see the docstring)")

print("BEFORE ",4,forward(4,w))
w, _ = train_gd(x_data,y_data,w,0.01,10000)
print("AFTER : ",4,forward(4,w))

w = 1.0
print("BEFORE ",4,forward(4,w))
w, _ = train_sgd(x_data,y_data,w,0.01,10000)
print("AFTER : ",4,forward(4,w))
