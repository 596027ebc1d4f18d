"""ember.nn.parallel.DistributedDataParallel on 2 processes (Gloo over loopback, env://).

Each test starts this file as a script on 2 processes with the env:// variables on a free port;
a worker returns JSON that the test compares. Every wait is bounded."""

import json
import os
import pathlib
import socket
import subprocess
import sys
import tempfile

import pytest

import ember
from ember import nn

distributed = getattr(ember, "distributed", None)
pytestmark = pytest.mark.skipif(
    distributed is None
    or not hasattr(distributed, "init_process_group")
    or not distributed.is_gloo_available(),
    reason="ember.distributed with Gloo is not built",
)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(worker, nproc=2, timeout=60):
    """Runs worker(rank) on nproc processes; returns their results, rank order."""
    out = pathlib.Path(tempfile.mkdtemp(prefix="ember-ddp-"))
    port = str(_free_port())
    processes = []
    for rank in range(nproc):
        env = dict(
            os.environ,
            RANK=str(rank),
            WORLD_SIZE=str(nproc),
            LOCAL_RANK=str(rank),
            MASTER_ADDR="127.0.0.1",
            MASTER_PORT=port,
            EMBER_TEST_OUT=str(out),
        )
        processes.append(
            subprocess.Popen(
                [sys.executable, __file__, worker],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
        )
    logs = []
    try:
        for process in processes:
            logs.append(process.communicate(timeout=timeout)[0].decode(errors="replace"))
    finally:
        for process in processes:
            process.kill()
    for rank, process in enumerate(processes):
        assert process.returncode == 0, f"rank {rank} failed:\n{logs[rank]}"
    return [json.loads((out / f"rank{rank}.json").read_text()) for rank in range(nproc)]


def _model(seed):
    ember.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 3)
    )


def _batch():
    ember.manual_seed(1234)
    return ember.randn(8, 1, 6, 6), ember.randint(0, 3, (8,))


def _values(module):
    return [param.detach().flatten().tolist() for param in module.parameters()]


def worker_train(rank, world_size):
    """Three SGD steps of DDP on this rank's half batch, and of one process on the whole batch
    (BatchNorm in eval mode: its batch statistics would differ between halves and whole)."""
    model = _model(seed=rank)
    ddp = nn.parallel.DistributedDataParallel(model, bucket_cap_mb=0.0002)
    reference = _model(seed=0)
    model.eval()
    reference.eval()
    inputs, targets = _batch()
    share = inputs.shape[0] // world_size
    mine = slice(rank * share, (rank + 1) * share)
    optimizer = ember.optim.SGD(ddp.parameters(), lr=0.1)
    reference_optimizer = ember.optim.SGD(reference.parameters(), lr=0.1)
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(3):
        optimizer.zero_grad()
        loss_fn(ddp(inputs[mine]), targets[mine]).backward()
        optimizer.step()
        reference_optimizer.zero_grad()
        loss_fn(reference(inputs), targets).backward()
        reference_optimizer.step()
    ours, theirs = _values(model), _values(reference)
    error = max(abs(a - b) for x, y in zip(ours, theirs) for a, b in zip(x, y))
    return {
        "params": ours,
        "error": error,
        "buckets": len(ddp.reducer.bucket_indices),
        "keys": list(ddp.state_dict().keys())[:2],
    }


def worker_no_sync_and_unused(rank, world_size):
    ember.manual_seed(rank)
    layers = nn.ModuleList([nn.Linear(3, 3), nn.Linear(3, 3), nn.Linear(3, 3)])

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = layers

        def forward(self, x):
            # layers[2] is never used; layers[1] only on rank 1.
            x = self.layers[0](x)
            return self.layers[1](x) if rank == 1 else x

    ddp = nn.parallel.DistributedDataParallel(Net(), find_unused_parameters=True)
    x = ember.ones(2, 3) * (rank + 1)
    with ddp.no_sync():
        ddp(x).sum().backward()
    local = layers[0].bias.grad.clone()
    ddp(x).sum().backward()
    return {
        "bias0": layers[0].bias.grad.tolist(),
        "local_bias0": local.tolist(),
        "bias1": layers[1].bias.grad.tolist(),
        "unused_is_none": layers[2].weight.grad is None,
    }


def test_training_matches_one_process_and_ranks_stay_identical():
    results = _run("worker_train")
    assert results[0]["params"] == results[1]["params"]
    assert results[0]["error"] < 1e-5
    assert results[0]["buckets"] > 1
    assert results[0]["keys"][0].startswith("module.")


def test_no_sync_and_find_unused_parameters():
    first, second = _run("worker_no_sync_and_unused")
    assert first["bias0"] == second["bias0"]
    # Two local gradients per rank, averaged: each rank's local bias gradient for one step is 2
    # on rank 0 (x @ W^T summed over 2 rows) and, through layers[1], differs on rank 1.
    expected = [(a + b) for a, b in zip(first["local_bias0"], second["local_bias0"])]
    assert all(abs(g - e) < 1e-5 for g, e in zip(first["bias0"], expected))
    # layers[1]: used on rank 1 only: rank 1's two gradients (2 per element each) halved.
    assert all(abs(g - 2.0) < 1e-6 for g in first["bias1"])
    assert first["bias1"] == second["bias1"]
    assert first["unused_is_none"] and second["unused_is_none"]


def _worker_main():
    rank, world_size = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    import datetime

    distributed.init_process_group("gloo", timeout=datetime.timedelta(seconds=20))
    try:
        result = globals()[sys.argv[1]](rank, world_size)
    finally:
        distributed.destroy_process_group()
    path = pathlib.Path(os.environ["EMBER_TEST_OUT"]) / f"rank{rank}.json"
    path.write_text(json.dumps(result))


if __name__ == "__main__":
    _worker_main()
