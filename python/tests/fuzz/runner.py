"""Runs fuzz cases in batches, each batch in a subprocess (RELIABILITY B9-B14: a crash must be
found, not suffered).

The worker announces each case before running it and reports its outcome after, one JSON line
each; when a worker dies (SIGSEGV, SIGFPE, abort) or exceeds its time limit, the case it had
announced last is the culprit: it is reported as a crash or a hang, and the next batch starts
after it. Long runs: `python tools/fuzz.py {ops,index,graph} --seed S --iterations N`; one
case and its repro: `--case I`; torch-ops / torch-index / torch-graph run the same cases
against PyTorch (torch_diff).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = ("ops", "index", "graph", "torch-ops", "torch-index", "torch-graph", "selftest")


class SelfTestCase:
    """Checks the runner itself: case 3 dies of SIGSEGV, case 5 hangs, the others pass."""

    def __init__(self, seed, index):
        self.index = index

    def describe(self):
        return f"selftest case {self.index}"

    def repro(self):
        return self.describe()

    def check(self):
        if self.index == 3:
            os.kill(os.getpid(), signal.SIGSEGV)
        if self.index == 5:
            time.sleep(3600)
        return "ok", ""


def make_case(kind, seed, index):
    if kind == "selftest":
        return SelfTestCase(seed, index)
    if kind.startswith("torch-"):
        from . import torch_diff

        return torch_diff.CASES[kind](seed, index)
    if kind == "index":
        from .indexing import IndexCase

        return IndexCase(seed, index)
    if kind == "ops":
        from .opcall import OpCase

        return OpCase(seed, index)
    from .graph import GraphCase

    return GraphCase(seed, index)


def worker(kind, seed, start, count):
    """Runs cases [start, start + count), writing JSON lines to stdout.

    With EMBER_FUZZ_HEAP_CHECK=1 every case ends with gc and malloc_trim, which walk the heap:
    glibc then aborts on a corrupted chunk close to the case that corrupted it.
    """
    heap_check = os.environ.get("EMBER_FUZZ_HEAP_CHECK") == "1"
    if heap_check:
        import ctypes
        import gc

        libc = ctypes.CDLL("libc.so.6")
    for index in range(start, start + count):
        print(json.dumps({"start": index}), flush=True)
        case = None
        try:
            case = make_case(kind, seed, index)
            status, detail = case.check()
            described = case.describe() if status == "fail" else ""
        except Exception as error:  # noqa: BLE001 -- a generator error is reported, not fatal
            status, detail, described = "fail", f"harness: {type(error).__name__}: {error}", ""
        if heap_check:
            del case
            gc.collect()
            libc.malloc_trim(0)
        print(json.dumps({"index": index, "status": status, "detail": detail,
                          "case": described}), flush=True)


@dataclass
class Report:
    kind: str
    seed: int
    counts: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)  # dicts: index, status, detail, case
    skipped: dict = field(default_factory=dict)  # KNOWN reason -> count
    run: int = 0

    def add(self, record):
        self.run += 1
        status = record["status"]
        self.counts[status] = self.counts.get(status, 0) + 1
        if status == "skip":
            self.skipped[record["detail"]] = self.skipped.get(record["detail"], 0) + 1
        elif status in ("fail", "crash", "hang"):
            self.failures.append(record)

    def summary(self):
        lines = [f"{self.kind} fuzzer, seed {self.seed}: {self.run} cases, "
                 + ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))]
        for reason, count in sorted(self.skipped.items()):
            lines.append(f"  skipped {count}: {reason}")
        for failure in self.failures:
            lines.append(f"  {failure['status'].upper()} case {failure['index']}: "
                         f"{failure['detail']}\n    {failure.get('case', '')}\n"
                         f"    replay: python tools/fuzz.py {self.kind} --seed {self.seed} "
                         f"--case {failure['index']}")
        return "\n".join(lines)


def run_batch(kind, seed, start, count, timeout, report):
    """Runs a batch in a subprocess; returns the index after the last case it settled."""
    command = [sys.executable, "-m", "fuzz.runner", "--worker", kind, "--seed", str(seed),
               "--start", str(start), "--iterations", str(count)]
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [TESTS_DIR] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    try:
        process = subprocess.run(command, check=False, cwd=TESTS_DIR, env=environment,
                                 capture_output=True, text=True, timeout=timeout)
        stdout, returncode, hung = process.stdout, process.returncode, False
        stderr = process.stderr
    except subprocess.TimeoutExpired as expired:
        stdout = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (
            expired.stdout or "")
        stderr = expired.stderr.decode() if isinstance(expired.stderr, bytes) else (
            expired.stderr or "")
        returncode, hung = None, True
    in_flight = None
    for line in stdout.splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if "start" in record:
            in_flight = record["start"]
        else:
            report.add(record)
            in_flight = None
    if in_flight is None:
        if returncode not in (0, None):
            report.add({"index": start, "status": "crash", "case": "",
                        "detail": f"worker exited with {returncode}: {stderr[-500:]}"})
        return start + count
    if hung:
        status, detail = "hang", f"no result within the batch limit of {timeout} s"
    else:
        name = signal.Signals(-returncode).name if returncode < 0 else f"exit {returncode}"
        status, detail = "crash", f"process died ({name}): {stderr[-300:].strip()}"
    try:
        described = make_case(kind, seed, in_flight).describe()
    except Exception as error:  # noqa: BLE001 -- describing must not hide the crash
        described = f"(could not describe: {error})"
    report.add({"index": in_flight, "status": status, "detail": detail, "case": described})
    return in_flight + 1


def fuzz(kind, seed, iterations, batch=200, timeout=120.0, budget=None):
    """Runs `iterations` cases from index 0 (stopping early after `budget` seconds)."""
    report = Report(kind, seed)
    started = time.monotonic()
    index = 0
    while index < iterations:
        if budget is not None and time.monotonic() - started > budget:
            break
        index = run_batch(kind, seed, index, min(batch, iterations - index), timeout, report)
    return report


def replay_one(kind, seed, index):
    case = make_case(kind, seed, index)
    print(case.describe())
    print("--- repro ---")
    print(case.repro())
    print("--- outcome ---")
    print(*case.check())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--case", type=int, help="replay one case in this process")
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per batch")
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.kind, args.seed, args.start, args.iterations)
        return 0
    if args.case is not None:
        replay_one(args.kind, args.seed, args.case)
        return 0
    report = fuzz(args.kind, args.seed, args.iterations, args.batch, args.timeout)
    print(report.summary())
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
