"""The training bench's PyTorch side: the panel's three bench models, built the same way in
PyTorch and trained on the CPU with the same batch sizes, loss and optimizer (Adam, 0.001).

Prints one JSON object per model on stdout: {"model", "samples_per_second", "threads"}.
Data are random (the speed of a training step does not depend on the values). Each model
trains warm-up batches first, then is timed over whole batches for at least `--seconds`.

    python3 scripts/bench/torchBench.py [--models convnet,dense autoencoder,lstm] [--seconds 4]
"""
import argparse
import json
import os
import time

import torch
from torch import nn


def convnet():
    # examples/mnistConvnet.ts: 28x28x1 -> conv 32 -> pool -> conv 64 -> pool -> conv 64 -> 64 -> 10
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3), nn.ReLU(),
        nn.Flatten(), nn.Linear(576, 64), nn.ReLU(), nn.Linear(64, 10),
    )


def autoencoder():
    # test/fixtures/models/denseAutoencoder.ts: 784-128-32-128-784, sigmoid output
    return nn.Sequential(
        nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 32), nn.ReLU(),
        nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, 784), nn.Sigmoid(),
    )


class StackedLstm(nn.Module):
    # test/fixtures/models/lstmForecast.ts: LSTM 64 -> 64 -> 32 over 30x4, dropout 0.2 after each, dense 7
    def __init__(self):
        super().__init__()
        self.l1 = nn.LSTM(4, 64, batch_first=True)
        self.l2 = nn.LSTM(64, 64, batch_first=True)
        self.l3 = nn.LSTM(64, 32, batch_first=True)
        self.drop = nn.Dropout(0.2)
        self.out = nn.Linear(32, 7)

    def forward(self, x):
        x, _ = self.l1(x)
        x, _ = self.l2(self.drop(x))
        x, _ = self.l3(self.drop(x))
        return self.out(self.drop(x[:, -1, :]))


# model label (as the bench names it) -> (model, batch size, input shape, target maker, loss)
CASES = {
    'convnet': (convnet, 32, (1, 28, 28), lambda n: torch.randint(0, 10, (n,)), nn.CrossEntropyLoss()),
    'dense autoencoder': (autoencoder, 64, (784,), None, nn.BCELoss()),
    'lstm': (StackedLstm, 32, (30, 4), lambda n: torch.randn(n, 7), nn.MSELoss()),
}


def measure(label, seconds):
    make, batch, shape, target, loss_fn = CASES[label]
    torch.manual_seed(0)
    model = make()
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    xs = torch.rand(batch * 16, *shape)
    ys = target(batch * 16) if target else xs

    def step(i):
        k = (i % 16) * batch
        x, y = xs[k:k + batch], ys[k:k + batch]
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    for i in range(8):
        step(i)
    steps = 0
    started = time.perf_counter()
    while True:
        step(steps)
        steps += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds and steps >= 8:
            break
    return steps * batch / elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--models', default=','.join(CASES))
    parser.add_argument('--seconds', type=float, default=4.0)
    args = parser.parse_args()
    torch.set_num_threads(os.cpu_count() or 1)
    for label in [m for m in args.models.split(',') if m]:
        rate = measure(label, args.seconds)
        print(json.dumps({'model': label, 'samples_per_second': rate, 'threads': torch.get_num_threads()}), flush=True)


if __name__ == '__main__':
    main()
