"""DDP training through the launcher: a rank killed mid-training makes the others raise in
bounded time and the launcher exit non-zero naming it; training resumed from a checkpoint
(ember.save / ember.load of the model's and the optimizer's state) continues identically.
(Equality with single-process training is test_distributed_ddp.py's.)"""

import datetime
import os
import signal
import time

import pytest
from distributed_harness import launch

import ember
import ember.distributed as dist
from ember import nn

pytestmark = pytest.mark.skipif(not dist.is_gloo_available(), reason="this build has no Gloo")

STEPS = 4


def _model():
    ember.manual_seed(int(os.environ["RANK"]) + 10)
    return nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.Flatten(), nn.Linear(3 * 4 * 4, 2))


def _batch(step, rank):
    ember.manual_seed(1000 * step + rank)
    return ember.randn(4, 1, 6, 6), ember.randint(0, 2, (4,))


def _step(ddp, optimizer, step):
    inputs, targets = _batch(step, dist.get_rank())
    optimizer.zero_grad()
    nn.functional.cross_entropy(ddp(inputs), targets).backward()
    optimizer.step()


def _params(model):
    return [p.detach().flatten().tolist() for p in model.parameters()]


def worker_killed_mid_training():
    dist.init_process_group("gloo", timeout=datetime.timedelta(seconds=60))
    model = _model()
    ddp = nn.parallel.DistributedDataParallel(model)
    optimizer = ember.optim.SGD(ddp.parameters(), lr=0.1)
    for step in range(3):
        _step(ddp, optimizer, step)
    if dist.get_rank() == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    start = time.monotonic()
    try:
        for step in range(3, 1000):
            _step(ddp, optimizer, step)
    except RuntimeError as error:
        return {"type": type(error).__name__, "message": str(error),
                "seconds": time.monotonic() - start}
    return None


def test_killed_rank_mid_training_fails_the_job():
    job = launch("test_distributed_ddp_training:worker_killed_mid_training", 3, timeout=60,
                 expect_success=False)
    assert job.returncode != 0
    assert "local rank 1 (rank 1" in job.output and "SIGKILL" in job.output, job.output
    # The survivors raised (a RuntimeError, their job then failing), well within 15 s; the
    # launcher may stop one before it reports.
    for rank in (0, 2):
        if rank in job.results:
            failure = job.value(rank)
            assert failure is not None and failure["seconds"] < 15, failure


def worker_checkpointed_training(path, resume):
    dist.init_process_group("gloo", timeout=datetime.timedelta(seconds=60))
    model = _model()
    start = 0
    if resume:
        state = ember.load(path)
        model.load_state_dict(state["model"])
        start = state["step"]
    ddp = nn.parallel.DistributedDataParallel(model)
    optimizer = ember.optim.SGD(ddp.parameters(), lr=0.1, momentum=0.9)
    if resume:
        optimizer.load_state_dict(state["optimizer"])
    for step in range(start, STEPS):
        _step(ddp, optimizer, step)
        if not resume and step == STEPS // 2 - 1 and dist.get_rank() == 0:
            ember.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                        "step": step + 1}, path)
        dist.barrier()
    params = _params(model)
    dist.destroy_process_group()
    return params


def test_resume_from_checkpoint_continues_identically(tmp_path):
    path = str(tmp_path / "checkpoint.pt")
    full = launch("test_distributed_ddp_training:worker_checkpointed_training", 2, timeout=60,
                  kwargs={"path": path, "resume": False})
    resumed = launch("test_distributed_ddp_training:worker_checkpointed_training", 2,
                     timeout=60, kwargs={"path": path, "resume": True})
    # Ranks stay bit-identical, and resuming reproduces the uninterrupted run bit for bit.
    assert full.value(0) == full.value(1)
    assert resumed.value(0) == resumed.value(1) == full.value(0)
