#!/usr/bin/env python3
"""conv_torch.py: chapter 10's convolutional network in PyTorch, for `make bench-conv`.

The same network and step as ./build/ch10-convolution (lib/conv_layer.c on
chapter 09's products): 1x28x28 -> 5x5 convolution of 20 maps -> ReLU ->
2x2 max pooling -> 5x5 convolution of 50 maps -> ReLU -> 2x2 max pooling ->
dense 500 -> ReLU -> dense 10, He initialisation (normal, standard
deviation sqrt(2/fan-in), biases zero), Adam at 0.001 (0.9, 0.999, 1e-8),
batch 64 with the last partial batch kept, one epoch over the first 50,000
training images in a random order. Dropout is left out on both sides: this
times the products, not the tricks. Prints one line: threads, the seconds of
the epoch's training loop (not the loading), the test accuracy after it.

usage: conv_torch.py DATA_DIR THREADS
"""
import math
import sys
import time

import torch

from recipe_torch import accuracy, load  # the same files, read the same way


def images(data, name):
    """recipe_torch's load, the images as 1x28x28 maps."""
    x, y = load(data, name)
    return x.view(-1, 1, 28, 28), y


def model():
    layers = [torch.nn.Conv2d(1, 20, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
              torch.nn.Conv2d(20, 50, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
              torch.nn.Flatten(),
              torch.nn.Linear(800, 500), torch.nn.ReLU(),
              torch.nn.Linear(500, 10)]
    for layer in layers:
        if isinstance(layer, (torch.nn.Linear, torch.nn.Conv2d)):
            fan_in = layer.weight[0].numel()
            torch.nn.init.normal_(layer.weight, 0, math.sqrt(2 / fan_in))
            torch.nn.init.zeros_(layer.bias)
    return torch.nn.Sequential(*layers)


def main():
    data, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    x, y = images(data, "train")
    x_test, y_test = images(data, "t10k")
    x_train, y_train = x[:50000], y[:50000]
    net = model()
    batch = 64
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    loss_fn = torch.nn.CrossEntropyLoss()
    order = torch.randperm(len(x_train))
    start = time.perf_counter()
    for first in range(0, len(x_train), batch):
        index = order[first:first + batch]
        opt.zero_grad()
        loss_fn(net(x_train[index]), y_train[index]).backward()
        opt.step()
    seconds = time.perf_counter() - start
    print(f"  PyTorch {torch.__version__}, {threads} thread(s): one epoch {seconds:.1f} s, "
          f"test accuracy {100 * accuracy(net, x_test, y_test):.2f}%")


if __name__ == "__main__":
    main()
