# Real submission, adapted to the stub (see tests/scenarios/README.md).
# Source: https://github.com/leon6657/PyTorch-Deep-Learning-Practice-LiuEr/blob/391893c203fda34132adc220f04d979137fc1add/01_Linear_Model/Base_Model.py
# Author: leon6657; repository dated 2026; licence: none stated.
# Changed to fit the stub: forward/loss take w as a parameter instead of the global; the
# top-level loop (its own grid, step 0.01) became search(x_data, y_data, candidates), returning
# the first best candidate and the MSE list; mse() is the loop's sum (still `l_sum / 3`).
import numpy as np
import matplotlib.pyplot as plt
"""
y = w * x 
数据：特征、标签；设置权值：（0,4,0.01）-特征值和不同的w进行变换，
根据损失函数，输出。
"""
# 数据集
x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

def forward(x, w):
    """
    特征经过网络进行变换得到预测
    特征乘权重；
    :param x: 输入
    :return: x * w；
    """
    return x * w

def loss(x, y, w):
    """
    求得预测与真实的误差
    :param x: 特征
    :param y: 真实值
    :return: 损失
    """
    y_pred = forward(x, w)
    return (y_pred - y) * (y_pred - y)

def mse(x_data, y_data, w):
    l_sum = 0
    for x_val, y_val in zip(x_data, y_data):
        l_sum += loss(x_val, y_val, w)
    return l_sum / 3

def search(x_data, y_data, candidates):
    # 创建两个空列表；分别用于存放每一次权重值 和 每一次循环的 误差
    w_list = []
    mes_list = []
    for w in candidates:
        """
        进行了0.0-4.1距离；间隔0.01；次循环；进行循环
        损失和，初始化
        取特征集和对应的标签传给x_val,y_val，
        调用forward函数返回y_pred_val预测值；
        调用loss函数返回loss_val损失值
        求损失的和
        输出
        """
        # print('w = ', w)
        l_sum = 0
        for x_val, y_val in zip(x_data, y_data):
            y_pred_val = forward(x_val, w)
            loss_val = loss(x_val, y_val, w)
            l_sum += loss_val
            print('\t', x_val, y_val, y_pred_val, loss_val)
        print('MSE = ', l_sum / 3)
        w_list.append(w)
        mes_list.append(l_sum / 3)
    return w_list[mes_list.index(min(mes_list))], mes_list

w_list = np.arange(0.0, 4.1, 0.01)
best_w, mes_list = search(x_data, y_data, w_list)

# 画图：每一次的w为x轴；对应的误差为y轴
plt.plot(w_list, mes_list)
plt.ylabel('Loss')
plt.plot('w')
plt.show()
