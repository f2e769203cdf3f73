# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/leon6657/PyTorch-Deep-Learning-Practice-LiuEr/tree/391893c203fda34132adc220f04d979137fc1add/02_Gradient_Descent
#   ("Base_Gradient Descent, GD.py", "Stochastic Gradient Descent, SGD.py", "Mini-batch Gradient Descent.py")
# Author: leon6657; repository dated 2026; licence: none stated.
# Changed to fit the stub: the three scripts in one file (long docstrings shortened); w, lr and
# epochs are parameters instead of the global w, 0.01 and 100; the SGD script's per-sample
# gradient is sgd_gradient; each loop returns (w, history) where history collects the loss the
# script prints or keeps (loss_history in the mini-batch script). The mini-batch script's data
# were NumPy arrays, so its function turns the lists it gets into arrays first.
import numpy as np
import matplotlib.pyplot as plt
"""
1. 梯度下降 (02_Gradient_Descent, GD) —— “三思而后行”
2. 随机梯度下降 (Stochastic 02_Gradient_Descent, SGD) —— “边看边走”
3. Mini-batch 02_Gradient_Descent —— “中庸之道”
"""
x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = 1.0

def forward(x, w):
    return x * w

def cost(xs, ys, w):
    """
    :param xs: 特征
    :param ys: 对应的真实值
    :return: 误差；返回的均方误差
    """
    cost = 0
    for x, y in zip(xs, ys):
        y_pred = forward(x, w)
        cost += (y_pred - y) ** 2

    return cost / len(xs)

def gradient(xs, ys, w):
    """
    求导（误差求导）
    :param xs: 特征
    :param ys: 对应的真实值
    :return: 返回的是均方误差的导数
    """
    grad = 0
    for x, y in zip(xs, ys):
        grad += 2 * x * (x * w - y)

    return grad / len(xs)

def train_gd(x_data, y_data, w=1.0, lr=0.01, epochs=100):
    history = []
    for epoch in range(epochs):
        """
        遍历100次
        调用cost函数计算损失值即误差值
        调用gradient函数求得求导值
        更新w值
        输出第几次迭代，对应的更新的权值，损失值
        """
        cost_val = cost(x_data, y_data, w)
        grad_val = gradient(x_data, y_data, w)
        w -= lr * grad_val
        print('Epoch:', epoch, 'w = ', w, 'loss = ', cost_val)
        history.append(cost_val)
    return w, history

def loss(x, y, w):
    y_pred = forward(x, w)
    return (y_pred - y) ** 2

def sgd_gradient(x, y, w):
    return 2 * x * (x * w - y)

def train_sgd(x_data, y_data, w=1.0, lr=0.01, epochs=100):
    history = []
    for epoch in range(epochs):
        for x, y in zip(x_data, y_data):
            """
            求梯度
            更新w
            输出特征和对应的真实标签；
            计算损失
            输出w和loss
            """
            grad = sgd_gradient(x, y, w)
            w -= lr * grad
            print('\tgrad:', x, y, grad)
            l = loss(x, y, w)
            print('progress:', epoch, 'w = ', w, 'loss = ', l)
            history.append(l)
    return w, history

def train_minibatch(x_data, y_data, w=1.0, lr=0.01, epochs=100, batch_size=2):
    x_data = np.array(x_data)
    y_data = np.array(y_data)

    # 存储损失值用于绘图
    loss_history = []

    for epoch in range(epochs):
        # 1. 在每个 epoch 开始时，打乱数据（关键步骤！）
        indices = np.random.permutation(len(x_data))
        x_shuffled = x_data[indices]
        y_shuffled = y_data[indices]

        epoch_loss = 0
        num_batches = 0

        # 2. 将数据分成多个 mini-batch
        for i in range(0, len(x_data), batch_size):
            # 取出一个 batch 的数据
            x_batch = x_shuffled[i:i + batch_size]
            y_batch = y_shuffled[i:i + batch_size]

            # 3. 用这个 batch 计算梯度并更新参数
            grad_val = gradient(x_batch, y_batch, w)
            w -= lr * grad_val  # 学习率 0.01

            # 记录这个 batch 的损失
            batch_loss = cost(x_batch, y_batch, w)
            epoch_loss += batch_loss
            num_batches += 1

        # 记录每个 epoch 的平均损失
        avg_loss = epoch_loss / num_batches
        loss_history.append(avg_loss)

        # 每 10 个 epoch 打印一次（减少输出）
        if epoch % 10 == 0:
            print(f'Epoch: {epoch:3d}, w = {w:.6f}, loss = {avg_loss:.6f}')
    return w, loss_history

print('Predict (before traning)', 4, forward(4, w))
w, _ = train_gd(x_data, y_data, w)
print('Predict (after training)', 4, forward(4, w))

w = 1.0
print('Predict (before traning)', 4, forward(4, w))
w, _ = train_sgd(x_data, y_data, w)
print('Predict (after training)', 4, forward(4, w))

# 准备数据（为了演示，生成更多数据）
np.random.seed(42)
x_data = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0])
y_data = np.array([2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 20.0])

w = 1.0
batch_size = 4  # 每批使用 4 个样本（典型值：16, 32, 64, 128, 256）

print('Predict (before training)', 4, forward(4, w))
w, loss_history = train_minibatch(x_data, y_data, w, batch_size=batch_size)
print('Predict (after training)', 4, forward(4, w))

# 绘制损失下降曲线
plt.plot(range(100), loss_history)
plt.xlabel('Epoch')
plt.ylabel('Loss')
plt.title('Mini-batch 02_Gradient_Descent - Loss Curve')
plt.grid(True)
plt.show()
