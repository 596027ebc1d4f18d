"""examples/distributed/ddp_cnn.py trains on 2 gloo processes through ember's launcher: rank 0
prints each epoch's mean loss over both ranks, which falls (a smoke test so that the example
cannot rot; DDP's numerics are tested in test_distributed_ddp*.py)."""

import math
import os
import pathlib
import re
import subprocess
import sys

import pytest

import ember.distributed as dist

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "distributed" / "ddp_cnn.py"


@pytest.mark.skipif(not dist.is_gloo_available(), reason="ember was built without Gloo")
def test_ddp_cnn_example_trains_on_two_processes():
    # --standalone: a free loopback port for the rendezvous (tests run in parallel).
    launcher = [sys.executable, "-m", "ember.distributed.run", "--nproc-per-node", "2"]
    command = [*launcher, "--standalone", str(EXAMPLE), "--epochs", "5"]
    environment = dict(os.environ, OMP_NUM_THREADS="1")
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=180, env=environment, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    losses = [
        float(value)
        for value in re.findall(r"^epoch \d+  loss (\S+)", result.stdout, flags=re.MULTILINE)
    ]
    assert len(losses) == 5, result.stdout
    assert all(math.isfinite(loss) for loss in losses)
    assert losses[-1] < 0.3 < losses[0], losses
    # Each rank's 256-sample shard, counted together by rank 0's all_reduce.
    assert "(512 samples on 2 ranks)" in result.stdout
