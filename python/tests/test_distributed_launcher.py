"""python -m ember.distributed.run: the environment it gives workers, its argument checks, and
what it does when a worker fails or the launcher is signalled (pure process management: no
process group is created here)."""

import os
import signal
import subprocess
import sys
import time

import pytest
from distributed_harness import launch

ENV_NAMES = ["RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE", "GROUP_RANK", "MASTER_ADDR",
             "MASTER_PORT", "OMP_NUM_THREADS"]


def worker_env():
    return {name: os.environ.get(name) for name in ENV_NAMES}


def worker_fail_on(rank, how, others_sleep=60):
    if int(os.environ["RANK"]) != rank:
        time.sleep(others_sleep)
        return "slept"
    if how == "exit":
        sys.stdout.flush()
        os._exit(3)
    os.kill(os.getpid(), signal.SIGKILL)
    return "unreachable"


def test_launcher_sets_the_environment():
    job = launch("test_distributed_launcher:worker_env", 3, timeout=30)
    envs = job.values()
    assert [e["RANK"] for e in envs] == ["0", "1", "2"]
    assert [e["LOCAL_RANK"] for e in envs] == ["0", "1", "2"]
    for env in envs:
        assert env["WORLD_SIZE"] == "3" and env["LOCAL_WORLD_SIZE"] == "3"
        assert env["GROUP_RANK"] == "0" and env["MASTER_ADDR"] == "127.0.0.1"
        # --master-port 0 picked one port, the same for every worker.
        assert int(env["MASTER_PORT"]) > 0
    assert len({e["MASTER_PORT"] for e in envs}) == 1


def test_launcher_multi_node_ranks():
    # Node 2 of 3 only: its workers are started and report, no rendezvous happens.
    job = launch("test_distributed_launcher:worker_env", 2, timeout=30,
                 launcher_args=["--nnodes", "3", "--node_rank", "2", "--master-port", "29999"])
    envs = job.values()
    assert [e["RANK"] for e in envs] == ["4", "5"]
    assert [e["LOCAL_RANK"] for e in envs] == ["0", "1"]
    assert all(e["WORLD_SIZE"] == "6" and e["GROUP_RANK"] == "2" for e in envs)
    assert all(e["MASTER_PORT"] == "29999" for e in envs)


def test_launcher_sets_omp_num_threads_when_unset(tmp_path):
    script = tmp_path / "show.py"
    script.write_text("import os\nprint('OMP', os.environ['OMP_NUM_THREADS'])\n")
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    done = subprocess.run([sys.executable, "-m", "ember.distributed.run", "--nproc-per-node",
                           "2", "--standalone", str(script)], env=env, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split().count("1") == 2
    assert "OMP_NUM_THREADS" in done.stderr


@pytest.mark.parametrize("how, code, reason", [("exit", 3, "exit code 3"),
                                               ("kill", 128 + 9, "killed by SIGKILL")])
def test_launcher_stops_the_job_when_a_worker_fails(how, code, reason):
    job = launch("test_distributed_launcher:worker_fail_on", 3, timeout=30,
                 kwargs={"rank": 1, "how": how}, expect_success=False)
    assert job.returncode == code, job.output
    assert "local rank 1 (rank 1, pid" in job.output and reason in job.output, job.output
    # The others were stopped long before their 60 s sleep ended.
    assert job.elapsed < 20
    assert 0 not in job.results and 2 not in job.results


def test_launcher_runs_modules_and_passes_arguments(tmp_path):
    (tmp_path / "echo_args.py").write_text(
        "import os, sys\nprint('ARGS', os.environ['RANK'], *sys.argv[1:])\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path),
                                                       os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-m", "ember.distributed.run", "--nproc_per_node=2",
                           "--master_port=0", "-m", "echo_args", "--lr", "0.1", "x"],
                          env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    lines = sorted(line for line in done.stdout.splitlines() if line.startswith("ARGS"))
    assert lines == ["ARGS 0 --lr 0.1 x", "ARGS 1 --lr 0.1 x"]


def test_launcher_forwards_sigterm(tmp_path):
    script = tmp_path / "wait.py"
    marker = tmp_path / "stopped"
    script.write_text(
        "import os, signal, sys, time\n"
        "def stop(signum, frame):\n"
        f"    open({str(marker)!r} + os.environ['RANK'], 'w').write(str(signum))\n"
        "    sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n")
    launcher = subprocess.Popen([sys.executable, "-m", "ember.distributed.run",
                                 "--nproc-per-node", "2", "--standalone", str(script)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
    try:
        for _ in range(2):
            assert launcher.stdout.readline().strip() == "ready"
        launcher.send_signal(signal.SIGTERM)
        code = launcher.wait(timeout=20)
    finally:
        if launcher.poll() is None:
            os.killpg(launcher.pid, signal.SIGKILL)
            launcher.wait()
    assert code == 128 + signal.SIGTERM
    for rank in range(2):
        assert (tmp_path / f"stopped{rank}").read_text() == str(int(signal.SIGTERM))
    assert "received SIGTERM" in launcher.stderr.read()


@pytest.mark.parametrize("args, message", [
    (["--nproc-per-node", "0"], "--nproc-per-node must be positive"),
    (["--nnodes", "2", "--node-rank", "2"], "--node-rank must be in [0, 1]"),
    (["--nnodes", "2", "--master-port", "0"], "--master-port 0 picks a port on this node"),
    (["--nproc-per-node", "two"], "--nproc-per-node must be a number"),
])
def test_launcher_rejects_bad_arguments(args, message):
    done = subprocess.run([sys.executable, "-m", "ember.distributed.run", *args, "x.py"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and message in done.stderr, done.stderr
