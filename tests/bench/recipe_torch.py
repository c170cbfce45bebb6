#!/usr/bin/env python3
"""recipe_torch.py: chapter 07's recipe in PyTorch, for `make bench-recipe`.

The same training as ./build/train (lib/recipe.c on chapter 09's products):
784-256-128-10, ReLU, dropout 0.2 on the hidden layers, He initialisation
(normal, standard deviation sqrt(2/k), biases zero, every layer), Adam at
0.001 (0.9, 0.999, 1e-8) falling by the cosine schedule step by step, batch
64 with the last partial batch kept, 15 epochs over the first 50,000 training
images in a new order each epoch, the validation and test sets measured after
every epoch. Prints one line: threads, seconds of training (the loop, not the
loading), the final test accuracy.

usage: recipe_torch.py DATA_DIR THREADS
"""
import math
import sys
import time

import numpy as np
import torch


def idx(path, offset):
    """The bytes of an IDX file after its header."""
    with open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def load(data, name):
    images = idx(f"{data}/{name}-images-idx3-ubyte", 16).reshape(-1, 784)
    labels = idx(f"{data}/{name}-labels-idx1-ubyte", 8)
    return (torch.from_numpy(images.astype(np.float32) / 255),
            torch.from_numpy(labels.astype(np.int64)))


def model():
    layers = [torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Dropout(0.2),
              torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Dropout(0.2),
              torch.nn.Linear(128, 10)]
    for layer in layers:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.normal_(layer.weight, 0, math.sqrt(2 / layer.in_features))
            torch.nn.init.zeros_(layer.bias)
    return torch.nn.Sequential(*layers)


def accuracy(net, x, y):
    net.eval()
    with torch.no_grad():
        right = sum((net(x[i:i + 256]).argmax(1) == y[i:i + 256]).sum().item()
                    for i in range(0, len(x), 256))
    net.train()
    return right / len(x)


def main():
    data, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    x, y = load(data, "train")
    x_test, y_test = load(data, "t10k")
    x_train, y_train, x_val, y_val = x[:50000], y[:50000], x[50000:], y[50000:]
    net = model()
    epochs, batch = 15, 64
    steps = (len(x_train) + batch - 1) // batch * epochs
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda t: (1 + math.cos(math.pi * min(t, steps) / steps)) / 2)
    loss_fn = torch.nn.CrossEntropyLoss()
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(x_train))
        for first in range(0, len(x_train), batch):
            index = order[first:first + batch]
            opt.zero_grad()
            loss_fn(net(x_train[index]), y_train[index]).backward()
            opt.step()
            schedule.step()
        accuracy(net, x_val, y_val)
        test = accuracy(net, x_test, y_test)
    seconds = time.perf_counter() - start
    print(f"  PyTorch {torch.__version__}, {threads} thread{'s' if threads > 1 else ''}: "
          f"{seconds:6.1f} s, test accuracy {100 * test:.2f}%")


if __name__ == "__main__":
    main()
