#!/usr/bin/env python3
"""Time per mini-batch step of the digits MLPs and softmax regression in PyTorch (float64), for the
side-by-side with `descent-bench --only models` (docs/PERFORMANCE.md).

The same shapes, batches and steps as Descent's model workloads: 1438 training rows of the UCI
digits (64 standardized pixels), mini-batches of 128 in row order (the last of an epoch has 30 rows),
240 steps of SGD(lr=0.01, foreach=False): zero_grad, forward, mean cross-entropy, backward, step.
Networks: 64-64-32-10 tanh, 64-256-256-10 relu, and the linear 65-10 softmax (bias as a column of
ones, no separate bias, weight decay λ/2‖W‖² in the loss as Descent's). Prints the median over
--repeats runs at one thread and at torch's default thread count. Needs torch (outside the repo):

    ~/.venvs/torch/bin/python scripts/mlp_vs_pytorch.py [--repeats 5]
"""
import argparse
import os
import time

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
DIGITS = os.path.join(HERE, "..", "Problems", "data", "digits.csv")
TRAIN, BATCH, STEPS = 1438, 128, 240


def data():
    table = np.loadtxt(DIGITS, delimiter=",", skiprows=1)
    x, y = table[:TRAIN, :64], table[:TRAIN, 64].astype(np.int64)
    sd = x.std(axis=0)
    x = (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1)
    return torch.tensor(x), torch.tensor(y)


def batches():
    cursor = 0
    for _ in range(STEPS):
        end = min(cursor + BATCH, TRAIN)
        yield cursor, end
        cursor = 0 if end == TRAIN else end


def time_network(model, x, y, extra_loss=None):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, foreach=False)
    loss_fn = torch.nn.CrossEntropyLoss()
    start = time.perf_counter()
    for a, b in batches():
        optimizer.zero_grad()
        loss = loss_fn(model(x[a:b]), y[a:b])
        if extra_loss is not None:
            loss = loss + extra_loss()
        loss.backward()
        optimizer.step()
    return (time.perf_counter() - start) / STEPS


def networks():
    torch.manual_seed(0)
    yield "digits MLP 64-64-32-10 tanh", torch.nn.Sequential(
        torch.nn.Linear(64, 64), torch.nn.Tanh(), torch.nn.Linear(64, 32), torch.nn.Tanh(), torch.nn.Linear(32, 10)), None
    yield "digits MLP 64-256-256-10 relu", torch.nn.Sequential(
        torch.nn.Linear(64, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10)), None
    linear = torch.nn.Linear(65, 10, bias=False)
    yield "digits softmax 65×10", linear, lambda: 0.5e-3 * (linear.weight ** 2).sum()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    x, y = data()
    x_bias = torch.cat([x, torch.ones(TRAIN, 1)], dim=1)
    default_threads = torch.get_num_threads()
    print(f"torch {torch.__version__}, float64, batches of {BATCH}, {STEPS} SGD steps; median of {args.repeats}")
    print(f"{'workload':34}{'threads':10}time/step")
    for name, model, extra in networks():
        inputs = x_bias if name.startswith("digits softmax") else x
        for threads in (1, default_threads):
            torch.set_num_threads(threads)
            times = sorted(time_network(model, inputs, y, extra) for _ in range(args.repeats))
            print(f"{name:34}{threads:<10}{times[len(times) // 2] * 1e6:.1f} µs")
    torch.set_num_threads(default_threads)


if __name__ == "__main__":
    main()
