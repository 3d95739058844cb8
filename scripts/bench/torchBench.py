"""The training bench's PyTorch side: the panel's three bench models, built the same way in
PyTorch and trained on the CPU (or, asked for, a CUDA GPU: the GPU bench) with the same batch sizes,
loss and optimizer (Adam, 0.001).

Two ways to run it:

  --serve: a long-lived process the bench alternates with the panel. It prints one JSON line
  {"ready": true, "default_threads", "cores", "torch"} once torch is imported, then answers each
  JSON command line on stdin, {"model", "samples", "seconds", "threads", "device"?}, with one JSON line
  {"model", "samples_per_second", "samples", "seconds", "threads", "device"} (or {"error"}): the model trains
  whole batches until it has seen at least `samples` samples and `seconds` seconds have passed.
  "device" is "cpu" (default) or "cuda"; the hello line says whether CUDA is there ("cuda": its
  device name, or null). Each (model, threads, device) is built once and warmed up on first use, so a command costs no start-up.

  --models/--seconds: one shot, one JSON line per model (for trying it by hand).

Data are random (the speed of a training step does not depend on the values).

    python3 scripts/bench/torchBench.py --serve
    python3 scripts/bench/torchBench.py [--models convnet,dense autoencoder,lstm] [--seconds 4] [--threads N] [--device cuda]
"""
import argparse
import json
import os
import sys
import time

import torch
from torch import nn


def convnet():
    # examples/mnistConvnet.ts: 28x28x1 -> conv 32 -> pool -> conv 64 -> pool -> conv 64 -> 64 -> 10
    # (valid padding, ReLU; the tfjs model ends in softmax + categorical crossentropy, which
    # CrossEntropyLoss on the logits computes in one op)
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
    # (tfjs's LSTM gates use hardSigmoid by default, PyTorch's the sigmoid: the same matmuls)
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


# model label (as the bench names it) -> (model, batch size, input shape, target maker, loss);
# the batch sizes are the bench's TrainConfig ones (scripts/benchTraining.ts)
CASES = {
    'convnet': (convnet, 32, (1, 28, 28), lambda n: torch.randint(0, 10, (n,)), nn.CrossEntropyLoss()),
    'dense autoencoder': (autoencoder, 64, (784,), None, nn.BCELoss()),
    'lstm': (StackedLstm, 32, (30, 4), lambda n: torch.randn(n, 7), nn.MSELoss()),
}

WARMUP_STEPS = 8
DATA_BATCHES = 16


class Trainer:
    """One model, its Adam optimizer and random data: whole training steps on demand."""

    def __init__(self, label, device='cpu'):
        make, self.batch, shape, target, self.loss_fn = CASES[label]
        torch.manual_seed(0)
        self.device = device
        self.model = make().to(device)
        self.model.train()
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=0.001)
        self.xs = torch.rand(self.batch * DATA_BATCHES, *shape).to(device)
        self.ys = (target(self.batch * DATA_BATCHES).to(device)) if target else self.xs
        self.steps = 0

    def sync(self):
        # CUDA runs the steps asynchronously: the clock is read only once they have finished.
        if self.device != 'cpu':
            torch.cuda.synchronize()

    def step(self):
        k = (self.steps % DATA_BATCHES) * self.batch
        x, y = self.xs[k:k + self.batch], self.ys[k:k + self.batch]
        self.optimizer.zero_grad()
        loss = self.loss_fn(self.model(x), y)
        loss.backward()
        self.optimizer.step()
        if self.device != 'cpu':
            # Read back, as the panel reads every batch's loss: on CUDA the steps would otherwise
            # queue up unsynchronised and time only the GPU's throughput.
            loss.item()
        self.steps += 1

    def rate(self, samples, seconds):
        """Samples/s over whole batches: at least `samples` samples and `seconds` seconds."""
        steps = 0
        self.sync()
        started = time.perf_counter()
        while True:
            self.step()
            steps += 1
            if steps * self.batch >= samples and time.perf_counter() - started >= seconds:
                self.sync()
                return steps * self.batch, time.perf_counter() - started


def trainer_for(trainers, label, threads, device='cpu'):
    """The warmed-up trainer for (label, threads, device): warm-up runs under the thread count it is timed with."""
    torch.set_num_threads(threads)
    key = (label, threads, device)
    if key not in trainers:
        trainer = Trainer(label, device)
        for _ in range(WARMUP_STEPS):
            trainer.step()
        trainers[key] = trainer
    return trainers[key]


def serve():
    trainers = {}
    default_threads = torch.get_num_threads()
    cuda = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    print(json.dumps({'ready': True, 'default_threads': default_threads, 'cores': os.cpu_count() or 1,
                      'torch': torch.__version__, 'cuda': cuda}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            command = json.loads(line)
            label = command['model']
            if label not in CASES:
                raise ValueError(f'no such model: {label}')
            threads = int(command.get('threads') or default_threads)
            device = command.get('device') or 'cpu'
            trainer = trainer_for(trainers, label, threads, device)
            samples, elapsed = trainer.rate(int(command.get('samples', 0)), float(command.get('seconds', 0)))
            answer = {'model': label, 'samples_per_second': samples / elapsed, 'samples': samples,
                      'seconds': elapsed, 'threads': torch.get_num_threads(), 'device': device}
        except Exception as error:  # one bad command must not end the process the bench alternates with
            answer = {'error': f'{type(error).__name__}: {error}'}
        print(json.dumps(answer), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--serve', action='store_true')
    parser.add_argument('--models', default=','.join(CASES))
    parser.add_argument('--seconds', type=float, default=4.0)
    parser.add_argument('--threads', type=int, default=os.cpu_count() or 1)
    parser.add_argument('--device', default='cpu')
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    trainers = {}
    for label in [m for m in args.models.split(',') if m]:
        samples, elapsed = trainer_for(trainers, label, args.threads, args.device).rate(0, args.seconds)
        print(json.dumps({'model': label, 'samples_per_second': samples / elapsed, 'threads': torch.get_num_threads(),
                          'device': args.device}),
              flush=True)


if __name__ == '__main__':
    main()
