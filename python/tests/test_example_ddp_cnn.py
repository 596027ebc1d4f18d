"""examples/distributed/ddp_cnn.py runs a few DDP steps on 2 gloo processes through ember's
launcher and rank 0 prints each epoch's mean loss (a smoke test so that the example cannot rot;
the DDP numerics are tested in test_distributed_ddp*.py)."""

import math
import os
import pathlib
import re
import socket
import subprocess
import sys

import pytest

import ember.distributed as dist

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "distributed" / "ddp_cnn.py"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(not dist.is_gloo_available(), reason="ember was built without Gloo")
def test_ddp_cnn_example_trains_on_two_processes():
    command = [
        sys.executable,
        "-m",
        "ember.distributed.run",
        "--nproc-per-node",
        "2",
        "--master-addr",
        "127.0.0.1",
        "--master-port",
        str(free_port()),
        str(EXAMPLE),
        "--epochs",
        "2",
        "--max-steps",
        "3",
    ]
    environment = dict(os.environ, OMP_NUM_THREADS="1")
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=180, env=environment, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    losses = [
        float(value)
        for value in re.findall(r"^epoch \d+  loss (\S+)", result.stdout, flags=re.MULTILINE)
    ]
    assert len(losses) == 2, result.stdout
    assert all(math.isfinite(loss) for loss in losses)
    # 3 steps of 32 samples on each of the 2 ranks, all counted by rank 0's all_reduce.
    assert "(192 samples on 2 ranks)" in result.stdout
