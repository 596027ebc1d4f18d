"""Failures are errors, not hangs: typed errors for misuse, a killed rank or a silent one makes
the others raise DistBackendError in bounded time, the launcher and mpirun end the job naming the
rank, and debug mode names both ranks' shapes when they disagree. Also the stores' errors."""

import datetime
import os
import re
import signal
import time

import pytest
from distributed_harness import launch, mpirun_path

import ember
import ember.distributed as dist

needs_gloo = pytest.mark.skipif(not dist.is_gloo_available(), reason="this build has no Gloo")
needs_mpi = pytest.mark.skipif(not dist.is_mpi_available() or mpirun_path() is None,
                               reason="this build has no MPI or mpirun is missing")


def test_calls_before_init_raise():
    assert not dist.is_initialized()
    message = "Default process group has not been initialized"
    for call in (dist.get_rank, dist.get_world_size, dist.barrier,
                 lambda: dist.all_reduce(ember.ones(1))):
        with pytest.raises(RuntimeError, match=message):
            call()
    assert dist.group.WORLD is None


def test_bad_arguments_raise_typed_errors():
    with pytest.raises(ValueError, match="Invalid backend"):
        dist.init_process_group("carrier-pigeon")
    with pytest.raises(ValueError, match="Cannot specify both init_method and store"):
        dist.init_process_group("gloo", init_method="env://", store=dist.HashStore(),
                                rank=0, world_size=1)
    with pytest.raises(TypeError, match="timedelta"):
        dist.init_process_group("gloo", timeout=5)
    assert dist.Backend("GLOO") == dist.Backend.GLOO == "gloo"
    assert issubclass(dist.DistBackendError, dist.DistError)
    assert issubclass(dist.DistStoreError, dist.DistError)
    assert issubclass(dist.DistNetworkError, dist.DistError)
    assert issubclass(dist.DistError, RuntimeError)


def test_env_init_names_the_missing_variable(monkeypatch):
    for name in ("MASTER_ADDR", "MASTER_PORT", "RANK", "WORLD_SIZE"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match="MASTER_ADDR|RANK|WORLD_SIZE|MASTER_PORT"):
        dist.init_process_group("gloo", init_method="env://")
    assert not dist.is_initialized()


@needs_gloo
def test_single_process_group_and_argument_errors():
    store = dist.HashStore()
    dist.init_process_group("gloo", store=store, rank=0, world_size=1,
                            timeout=datetime.timedelta(seconds=5))
    try:
        assert (dist.get_rank(), dist.get_world_size(), dist.get_backend()) == (0, 1, "gloo")
        with pytest.raises(RuntimeError, match="twice"):
            dist.init_process_group("gloo", store=store, rank=0, world_size=1)
        tensor = ember.ones(3)
        dist.all_reduce(tensor)
        assert tensor.tolist() == [1.0] * 3
        # A root outside the group is a ValueError naming the op.
        with pytest.raises((ValueError, RuntimeError), match="broadcast"):
            dist.broadcast(tensor, src=3)
        with pytest.raises((ValueError, RuntimeError), match="all_gather"):
            dist.all_gather([ember.ones(3), ember.ones(3)], tensor)
    finally:
        dist.destroy_process_group()
    assert not dist.is_initialized()


def test_stores():
    store = dist.HashStore()
    store.set("a", "text")
    store.set("b", b"\x00\x01")
    assert store.get("a") == b"text" and store.get("b") == b"\x00\x01"
    assert store.add("n", 2) == 2 and store.add("n", 3) == 5
    assert store.compare_set("a", b"text", b"new") == b"new"
    assert store.check(["a", "b"]) and not store.check(["zz"])
    assert store.delete_key("b") and not store.check(["b"])
    with pytest.raises(dist.DistStoreError, match="zz"):
        store.wait(["zz"], datetime.timedelta(milliseconds=100))
    prefixed = dist.PrefixStore("group", store)
    prefixed.set("a", "inner")
    assert prefixed.get("a") == b"inner" and store.get("a") == b"new"
    with pytest.raises(TypeError, match="bytes or str"):
        store.set("c", 3)


def test_tcp_store_timeout_and_port_in_use():
    master = dist.TCPStore("127.0.0.1", 0, is_master=True,
                           timeout=datetime.timedelta(milliseconds=300))
    client = dist.TCPStore("127.0.0.1", master.port, timeout=datetime.timedelta(seconds=5))
    client.set("k", "v")
    assert master.get("k") == b"v" and master.num_keys() >= 1
    start = time.monotonic()
    with pytest.raises(dist.DistStoreError, match="missing"):
        master.get("missing")
    assert time.monotonic() - start < 5
    with pytest.raises(dist.DistNetworkError):
        dist.TCPStore("127.0.0.1", master.port, is_master=True,
                      timeout=datetime.timedelta(seconds=1))


def test_file_store(tmp_path):
    store = dist.FileStore(str(tmp_path / "store"), 1)
    store.set("x", "1")
    assert store.get("x") == b"1" and store.add("x", 4) == 5


# Multi-process failures. Each worker catches what its collective raised and returns its type,
# message and how long the failing call took.

def _failing_loop(call):
    start = time.monotonic()
    try:
        for _ in range(100000):
            start = time.monotonic()
            call()
    except Exception as error:  # noqa: BLE001 (the test inspects it)
        return {"type": type(error).__name__, "message": str(error),
                "seconds": time.monotonic() - start}
    return None


def worker_killed_peer(victim, timeout_s):
    dist.init_process_group("gloo", timeout=datetime.timedelta(seconds=timeout_s))
    rank = dist.get_rank()
    tensor = ember.ones(1000)
    for _ in range(5):
        dist.all_reduce(tensor)
    if rank == victim:
        os.kill(os.getpid(), signal.SIGKILL)
    return _failing_loop(lambda: dist.all_reduce(tensor))


@needs_gloo
@pytest.mark.parametrize("nproc", [2, 3])
def test_killed_rank_makes_the_others_raise(nproc):
    victim = nproc - 1
    # The group's timeout (60 s) is far above the bound: the error comes from the dead peer.
    job = launch("test_distributed_failures:worker_killed_peer", nproc, via="env", timeout=60,
                 kwargs={"victim": victim, "timeout_s": 60}, expect_success=False)
    assert victim not in job.results
    for rank in range(nproc - 1):
        failure = job.value(rank)
        assert failure is not None, job.output
        assert failure["type"] == "DistBackendError", failure
        assert "all_reduce" in failure["message"], failure
        # The dead rank is named (survivors that already left may be named beside it).
        assert re.search(rf"peer ranks? [0-9, ]*\b{victim}\b", failure["message"]), failure
        assert failure["seconds"] < 15, failure


def worker_silent_peer():
    dist.init_process_group("gloo", timeout=datetime.timedelta(seconds=2))
    if dist.get_rank() == 1:
        time.sleep(12)
        return None
    return _failing_loop(lambda: dist.all_reduce(ember.ones(4)))


@needs_gloo
def test_silent_rank_times_out():
    job = launch("test_distributed_failures:worker_silent_peer", 2, via="env", timeout=60,
                 expect_success=False)
    failure = job.value(0)
    assert failure["type"] == "DistBackendError", failure
    assert "all_reduce" in failure["message"], failure
    assert 1.5 < failure["seconds"] < 12, failure


def worker_dies_in_training():
    dist.init_process_group("gloo", timeout=datetime.timedelta(seconds=60))
    tensor = ember.ones(100)
    for step in range(1000):
        if step == 3 and dist.get_rank() == 1:
            os.kill(os.getpid(), signal.SIGKILL)
        dist.all_reduce(tensor)
        tensor /= dist.get_world_size()
    return "finished"


@needs_gloo
def test_launcher_exits_nonzero_naming_the_killed_rank():
    job = launch("test_distributed_failures:worker_dies_in_training", 3, timeout=60,
                 expect_success=False)
    assert job.returncode != 0
    assert "local rank 1 (rank 1" in job.output and "SIGKILL" in job.output, job.output
    assert job.elapsed < 30, job.output


def worker_mpi_dies():
    dist.init_process_group("mpi")
    tensor = ember.ones(100)
    for step in range(1000):
        if step == 3 and dist.get_rank() == 1:
            os.kill(os.getpid(), signal.SIGKILL)
        dist.all_reduce(tensor)
    return "finished"


@needs_mpi
def test_mpirun_ends_the_job_naming_the_rank():
    job = launch("test_distributed_failures:worker_mpi_dies", 2, via="mpirun", timeout=60,
                 expect_success=False)
    assert job.returncode != 0
    assert "rank 1" in job.output, job.output
    assert job.elapsed < 15, job.output


def worker_mismatched_shapes():
    dist.init_process_group("gloo", timeout=datetime.timedelta(seconds=10))
    shape = (2, 3) if dist.get_rank() == 0 else (5,)
    try:
        dist.all_reduce(ember.ones(shape))
    except Exception as error:  # noqa: BLE001 (the test inspects it)
        return {"type": type(error).__name__, "message": str(error)}
    return None


@needs_gloo
def test_debug_mode_names_both_shapes():
    job = launch("test_distributed_failures:worker_mismatched_shapes", 2, via="env", timeout=60,
                 env={"EMBER_DISTRIBUTED_DEBUG": "DETAIL"}, expect_success=False)
    for rank in range(2):
        failure = job.value(rank)
        assert failure is not None, job.output
        assert failure["type"] == "DistBackendError", failure
        message = failure["message"]
        assert "all_reduce" in message and "2, 3" in message and "5" in message, message
        assert "rank 0" in message and "rank 1" in message, message
