"""The multi-process harness of the ember.distributed tests.

A test names a worker function ("test_module:function", a module in python/tests) and runs it on
N processes, through the launcher (``python -m ember.distributed.run``), directly with the env://
variables, or under ``mpirun``. Each process runs this file as a script: it calls the function
with the test's keyword arguments and writes what it returned (JSON), or the type and message of
what it raised, to ``$EMBER_TEST_OUT/rank<RANK>.json``. ``launch`` waits for the job within a
timeout, kills whatever is left (every process runs in its own session), and returns the exit
code, the output and the per-rank results.

Every job is bounded: the harness's timeout kills it, and the workers pass short timeouts to
init_process_group so that a failure ends in an error, not a wait.
"""

import contextlib
import dataclasses
import importlib
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
MPIRUN_FLAGS = ["--allow-run-as-root", "--oversubscribe", "--bind-to", "none"]


def free_port():
    """A TCP port nothing listens on now (the OS picks it; loopback only)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def mpirun_path():
    return shutil.which("mpirun")


@dataclasses.dataclass
class Job:
    returncode: int
    output: str
    # rank -> {"value": ...} or {"error": type name, "message": str, "elapsed": seconds}
    results: dict
    elapsed: float

    def value(self, rank):
        result = self.results.get(rank)
        assert result is not None, f"rank {rank} reported nothing; output:\n{self.output}"
        assert "error" not in result, f"rank {rank} raised {result}; output:\n{self.output}"
        return result["value"]

    def error(self, rank):
        result = self.results.get(rank)
        assert result is not None and "error" in result, (
            f"rank {rank} did not raise: {result}; output:\n{self.output}")
        return result

    def values(self):
        return [self.value(rank) for rank in sorted(self.results)]


def _kill_group(process):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _base_env(out_dir, target, kwargs, env):
    merged = dict(os.environ)
    # The tests' module imports (the worker's own test file) and a single-threaded worker pool.
    merged["PYTHONPATH"] = os.pathsep.join(
        [str(HERE)] + [p for p in merged.get("PYTHONPATH", "").split(os.pathsep) if p])
    merged.setdefault("OMP_NUM_THREADS", "1")
    merged["EMBER_TEST_OUT"] = str(out_dir)
    merged["EMBER_TEST_TARGET"] = target
    merged["EMBER_TEST_KWARGS"] = json.dumps(kwargs)
    merged.update(env or {})
    return merged


def launch(target, nproc, *, via="launcher", kwargs=None, timeout=60, env=None,
           launcher_args=(), expect_success=True):
    """Runs target ("module:function") on nproc processes; returns a Job.

    via: "launcher" (python -m ember.distributed.run on a free port), "env" (nproc processes
    started here with RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT), or "mpirun". With
    expect_success, a non-zero exit fails the calling test with the job's output."""
    out_dir = pathlib.Path(tempfile.mkdtemp(prefix="ember-dist-"))
    base = _base_env(out_dir, target, kwargs or {}, env)
    script = [sys.executable, "-u", str(HERE / "distributed_harness.py")]
    if via == "launcher":
        commands = [[sys.executable, "-m", "ember.distributed.run", "--nproc-per-node",
                     str(nproc), "--master-port", "0", "--term-timeout", "5",
                     *launcher_args, *script[2:]]]
        envs = [base]
    elif via == "env":
        port = str(free_port())
        commands = [script] * nproc
        envs = [dict(base, RANK=str(r), LOCAL_RANK=str(r), WORLD_SIZE=str(nproc),
                     LOCAL_WORLD_SIZE=str(nproc), MASTER_ADDR="127.0.0.1", MASTER_PORT=port)
                for r in range(nproc)]
    elif via == "mpirun":
        commands = [[mpirun_path(), "-np", str(nproc), *MPIRUN_FLAGS, *script]]
        envs = [base]
    else:
        raise ValueError(f"unknown via {via!r}")

    with tempfile.TemporaryFile(mode="w+") as log:
        start = time.monotonic()
        processes = [subprocess.Popen(command, env=e, stdout=log, stderr=subprocess.STDOUT,
                                      start_new_session=True)
                     for command, e in zip(commands, envs)]
        _wait(processes, timeout, start, log, f"job {target} on {nproc} processes")
        elapsed = time.monotonic() - start
        log.seek(0)
        output = log.read()
    results = {}
    for path in out_dir.glob("rank*.json"):
        results[int(path.stem[4:])] = json.loads(path.read_text())
    _kill_leftovers(out_dir)
    shutil.rmtree(out_dir, ignore_errors=True)
    returncode = processes[0].returncode if len(processes) == 1 else next(
        (p.returncode for p in processes if p.returncode != 0), 0)
    job = Job(returncode, output, results, elapsed)
    if expect_success:
        assert returncode == 0, f"job {target} failed ({returncode}); output:\n{output}"
    return job


def _wait(processes, timeout, start, log, what):
    try:
        deadline = start + timeout
        for process in processes:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        for process in processes:
            _kill_group(process)
            process.wait()
        log.seek(0)
        raise AssertionError(f"{what} ran past {timeout} s; output:\n{log.read()}") from None
    finally:
        # Grandchildren (the launcher's workers) live in sessions of their own: they end with
        # their launcher; any that did not are killed by pid afterwards.
        for process in processes:
            _kill_group(process)


def _kill_leftovers(out_dir):
    """Workers write their pid to out_dir/pid<RANK>; any still alive is killed."""
    for path in out_dir.glob("pid*"):
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(path.read_text()), signal.SIGKILL)


def _rank():
    for name in ("RANK", "OMPI_COMM_WORLD_RANK", "PMI_RANK"):
        if name in os.environ:
            return int(os.environ[name])
    return 0


def _worker_main():
    out_dir = pathlib.Path(os.environ["EMBER_TEST_OUT"])
    rank = _rank()
    (out_dir / f"pid{rank}").write_text(str(os.getpid()))
    module_name, function_name = os.environ["EMBER_TEST_TARGET"].split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    kwargs = json.loads(os.environ["EMBER_TEST_KWARGS"])
    start = time.monotonic()
    try:
        result = {"value": function(**kwargs)}
        code = 0
    except Exception as error:  # noqa: BLE001 (the test reads what any failure was)
        result = {"error": type(error).__name__, "message": str(error)}
        code = 1
    result["elapsed"] = time.monotonic() - start
    partial = out_dir / f".rank{rank}.json"
    partial.write_text(json.dumps(result))
    partial.rename(out_dir / f"rank{rank}.json")
    if code:
        sys.stdout.flush()
        sys.stderr.flush()
        # Skip interpreter teardown: a failed job's engine threads must not keep it alive.
        os._exit(code)
    # A normal exit, so that MPI finalizes (mpirun fails a job whose process skipped it).


if __name__ == "__main__":
    _worker_main()
