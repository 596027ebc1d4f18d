"""Rank 1 of an MPI job exits mid-run: mpirun must end the whole job within 15 s, exit non-zero
and say which rank failed (Note [Distributed: MPI and NCCL]).

Usage: check_rank_dies.py TEST_PROGRAM MPIRUN [MPIRUN_ARGS...]
"""

import re
import subprocess
import sys
import time

LIMIT_S = 15.0


# Open MPI names the failed process by rank ("process rank 1 with PID ... exited on signal 9") or
# by its process name, whose last number is the rank ("Process name: [[20356,1],1]").
NAMES_RANK_1 = re.compile(r"rank 1\b|Process name: \[\[\d+,\d+\],1\]")


def check(program: str, mpirun: list[str], how: str) -> bool:
    command = [*mpirun, "-np", "3", program, how, "3"]
    start = time.monotonic()
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=45)
    except subprocess.TimeoutExpired:
        print(f"FAIL: mpirun still ran after 45 s: {command}")
        return False
    elapsed = time.monotonic() - start
    output = result.stdout + result.stderr
    print(output)
    print(f"{how}: mpirun exited with {result.returncode} after {elapsed:.1f} s")
    if result.returncode == 0:
        print("FAIL: mpirun exited 0 although rank 1 died")
        return False
    if elapsed > LIMIT_S:
        print(f"FAIL: the job took {elapsed:.1f} s to end (limit {LIMIT_S} s)")
        return False
    if not NAMES_RANK_1.search(output):
        print("FAIL: mpirun's output does not name rank 1")
        return False
    return True


def main() -> int:
    program, mpirun = sys.argv[1], sys.argv[2:]
    results = [check(program, mpirun, how) for how in ("--exit-after", "--kill-after")]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
