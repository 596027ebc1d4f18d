"""python -m ember.distributed.run: torchrun's interface for starting the workers of one node.

``python -m ember.distributed.run --nproc-per-node N [--nnodes M --node-rank R --master-addr A
--master-port P] script.py args...`` (or ``-m module args...``, or ``--no-python program args...``
for a C++ program) starts N workers with RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE,
GROUP_RANK, MASTER_ADDR and MASTER_PORT set, the variables ``init_process_group()``'s env://
rendezvous reads. It watches them: when one fails, it names it (local rank, global rank, exit code
or signal), stops the others (SIGTERM, then SIGKILL after ``--term-timeout`` seconds) and exits
with the failed worker's code (128 + signal number for a worker killed by a signal, as a shell
reports it). SIGINT and SIGTERM sent to the launcher are forwarded to every worker.

Each worker runs in its own session, so that stopping it also stops any process it started; a
terminal's Ctrl-C therefore reaches the launcher only, which forwards it. Unlike torchrun there is
no elastic membership and no restart (``--max-restarts`` is not offered): a failed job fails.
"""

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

__all__ = ["main"]

_PREFIX = "[ember.distributed.run]"
# How often the launcher looks at its workers; small next to any collective timeout.
_POLL_SECONDS = 0.05


def _log(message):
    print(f"{_PREFIX} {message}", file=sys.stderr, flush=True)


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m ember.distributed.run",
        allow_abbrev=False,
        description="Starts and watches the worker processes of one node of a distributed job "
        "(torchrun's interface).",
    )

    def option(name, **kwargs):
        # torchrun spells every option both with dashes and with underscores.
        spellings = [f"--{name}"]
        if "-" in name:
            spellings.append(f"--{name.replace('-', '_')}")
        parser.add_argument(*spellings, **kwargs)

    option("nproc-per-node", type=str, default="1",
           help="workers on this node: a number, or 'cpu'/'auto' for the CPU count")
    option("nnodes", type=int, default=1, help="nodes in the job")
    option("node-rank", type=int, default=0, help="this node's rank, 0 <= R < nnodes")
    option("master-addr", type=str, default="127.0.0.1",
           help="address of node 0, which hosts the rendezvous store")
    option("master-port", type=int, default=29500,
           help="port of the rendezvous store; 0 picks a free one (single node only)")
    option("standalone", action="store_true",
           help="a single-node job on a free local port (ignores --master-addr/--master-port)")
    option("term-timeout", type=float, default=30.0,
           help="seconds between SIGTERM and SIGKILL when stopping workers")
    parser.add_argument("-m", "--module", action="store_true",
                        help="run the target as a module, as python -m does")
    option("no-python", action="store_true",
           help="run the target as a program (a C++ binary) rather than a Python script")
    parser.add_argument("target", help="the script, module or program each worker runs")
    parser.add_argument("target_args", nargs=argparse.REMAINDER,
                        help="arguments passed on to the target")
    return parser


def _free_port(host):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _check_args(parser, args):
    if args.nproc_per_node in ("cpu", "auto"):
        args.nproc_per_node = os.cpu_count() or 1
    else:
        try:
            args.nproc_per_node = int(args.nproc_per_node)
        except ValueError:
            parser.error(f"--nproc-per-node must be a number, 'cpu' or 'auto', got "
                         f"{args.nproc_per_node!r}")
    if args.nproc_per_node < 1:
        parser.error(f"--nproc-per-node must be positive, got {args.nproc_per_node}")
    if args.nnodes < 1:
        parser.error(f"--nnodes must be positive, got {args.nnodes}")
    if not 0 <= args.node_rank < args.nnodes:
        parser.error(f"--node-rank must be in [0, {args.nnodes - 1}], got {args.node_rank}")
    if args.module and args.no_python:
        parser.error("-m/--module and --no-python exclude each other")
    if args.standalone:
        if args.nnodes != 1:
            parser.error("--standalone runs a single node: --nnodes must be 1")
        args.master_addr, args.master_port = "127.0.0.1", 0
    if not 0 <= args.master_port < 65536:
        parser.error(f"--master-port must be in [0, 65535], got {args.master_port}")
    if args.master_port == 0:
        # Every node would pick a different port, so only a single node can choose one.
        if args.nnodes != 1:
            parser.error("--master-port 0 picks a port on this node only: give the port "
                         "every node uses when --nnodes > 1")
        args.master_port = _free_port(args.master_addr)
    if args.term_timeout < 0:
        parser.error(f"--term-timeout must not be negative, got {args.term_timeout}")


def _worker_command(args):
    if args.no_python:
        return [args.target, *args.target_args]
    # -u: unbuffered output, so that workers' lines interleave as they are written.
    if args.module:
        return [sys.executable, "-u", "-m", args.target, *args.target_args]
    return [sys.executable, "-u", args.target, *args.target_args]


def _worker_env(args, local_rank):
    env = dict(os.environ)
    env.update({
        "RANK": str(args.node_rank * args.nproc_per_node + local_rank),
        "LOCAL_RANK": str(local_rank),
        "WORLD_SIZE": str(args.nnodes * args.nproc_per_node),
        "LOCAL_WORLD_SIZE": str(args.nproc_per_node),
        "GROUP_RANK": str(args.node_rank),
        "MASTER_ADDR": args.master_addr,
        "MASTER_PORT": str(args.master_port),
    })
    return env


def _describe(returncode):
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"killed by {name}"
    return f"exit code {returncode}"


def _exit_code(returncode):
    return 128 - returncode if returncode < 0 else returncode


class _Workers:
    """The node's worker processes, each the leader of its own process group."""

    def __init__(self, args):
        self.args = args
        self.processes = []

    def start(self):
        command = _worker_command(self.args)
        for local_rank in range(self.args.nproc_per_node):
            self.processes.append(subprocess.Popen(
                command, env=_worker_env(self.args, local_rank), start_new_session=True))

    def signal_all(self, signum):
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signum)

    def stop(self, signum=signal.SIGTERM):
        """Sends signum to the running workers, SIGKILL to those still running after the term
        timeout, and reaps them all."""
        self.signal_all(signum)
        deadline = time.monotonic() + self.args.term_timeout
        while time.monotonic() < deadline and any(p.poll() is None for p in self.processes):
            time.sleep(_POLL_SECONDS)
        for process in self.processes:
            # The group may outlive its leader (a worker's children): kill it either way.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def failures(self):
        """(local rank, return code) of the failed workers, the likely cause first: a worker
        killed by a signal before one that exited with an error (often the peers' reaction to
        the death), then by local rank."""
        failed = [(local_rank, process.poll()) for local_rank, process in
                  enumerate(self.processes) if process.poll() not in (None, 0)]
        return sorted(failed, key=lambda failure: (failure[1] >= 0, failure[0]))

    def all_succeeded(self):
        return all(p.poll() == 0 for p in self.processes)


class _InterruptedError(Exception):
    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def _raise_interrupted(signum, frame):
    del frame
    raise _InterruptedError(signum)


def run(args):
    """Runs the workers of parsed args; returns the launcher's exit code."""
    if "OMP_NUM_THREADS" not in os.environ and args.nproc_per_node > 1:
        os.environ["OMP_NUM_THREADS"] = "1"
        _log("OMP_NUM_THREADS is set to 1 for every worker so that they do not oversubscribe "
             "the CPUs; set it to tune.")
    previous = {s: signal.signal(s, _raise_interrupted) for s in (signal.SIGINT, signal.SIGTERM)}
    workers = _Workers(args)
    try:
        workers.start()
        while True:
            failures = workers.failures()
            if failures:
                for i, (local_rank, code) in enumerate(failures):
                    rank = args.node_rank * args.nproc_per_node + local_rank
                    _log(f"local rank {local_rank} (rank {rank}, pid "
                         f"{workers.processes[local_rank].pid}) failed: {_describe(code)}"
                         + ("; stopping the other workers" if i == 0 else ""))
                workers.stop()
                return _exit_code(failures[0][1])
            if workers.all_succeeded():
                return 0
            time.sleep(_POLL_SECONDS)
    except _InterruptedError as interrupted:
        name = signal.Signals(interrupted.signum).name
        _log(f"received {name}: forwarding it to the workers")
        workers.stop(interrupted.signum)
        return 128 + interrupted.signum
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    _check_args(parser, args)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
