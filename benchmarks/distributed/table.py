"""Reads the result lines of the distributed benchmarks (allreduce_direct, allreduce_ember,
allreduce.py, ddp_throughput.py) from stdin and prints two markdown tables: all_reduce GB/s with
the ratio to the engine called directly, and DDP samples/s with the speedup over one process.
Each figure is the median over the rounds run_all.sh ran; the goals are issue 15's."""

import statistics
import sys
from collections import defaultdict

ALLREDUCE_GOAL = 0.9
DDP_GOAL = 1.6


def parse(lines):
    rows = defaultdict(list)
    for line in lines:
        kind, *fields = line.split()
        if kind not in ("allreduce", "ddp"):
            continue
        values = dict(field.split("=", 1) for field in fields)
        if kind == "allreduce":
            key = (kind, values["engine"], int(values["bytes"]), values["impl"])
            rows[key].append(float(values["gbps"]))
        else:
            key = (kind, values["library"], int(values["world_size"]))
            rows[key].append(float(values["samples_per_s"]))
    return {key: (statistics.median(figures), len(figures)) for key, figures in rows.items()}


def verdict(ratio, goal):
    return "met" if ratio >= goal else f"missed ({ratio / goal:.2f} of the goal)"


def allreduce_table(results):
    print(
        f"| engine | size | implementation | GB/s (median) | rounds | ember / direct "
        f"(goal ≥ {ALLREDUCE_GOAL}) |"
    )
    print("|---|---|---|---|---|---|")
    keys = sorted(key for key in results if key[0] == "allreduce")
    for _, engine, size, impl in keys:
        gbps, rounds = results[("allreduce", engine, size, impl)]
        direct = results.get(("allreduce", engine, size, "direct"))
        if impl == "direct" or direct is None:
            ratio_text = "—"
        elif impl == "python-torch":
            ratio_text = f"{gbps / direct[0]:.2f} (PyTorch, reference)"
        else:
            ratio = gbps / direct[0]
            ratio_text = f"{ratio:.2f}: {verdict(ratio, ALLREDUCE_GOAL)}"
        print(f"| {engine} | {size >> 20} MB | {impl} | {gbps:.3f} | {rounds} | {ratio_text} |")


def ddp_table(results):
    print(
        f"| library | processes | samples/s (median) | rounds | speedup over 1 process "
        f"(goal ≥ {DDP_GOAL}) |"
    )
    print("|---|---|---|---|---|")
    for library in sorted({key[1] for key in results if key[0] == "ddp"}):
        one = results.get(("ddp", library, 1))
        for world_size in sorted(key[2] for key in results if key[:2] == ("ddp", library)):
            samples, rounds = results[("ddp", library, world_size)]
            if world_size == 1 or one is None:
                speedup_text = "—"
            else:
                speedup = samples / one[0]
                speedup_text = f"{speedup:.2f}x: {verdict(speedup, DDP_GOAL)}"
            print(f"| {library} | {world_size} | {samples:.0f} | {rounds} | {speedup_text} |")


def main():
    results = parse(sys.stdin)
    if any(key[0] == "allreduce" for key in results):
        allreduce_table(results)
        print()
    if any(key[0] == "ddp" for key in results):
        ddp_table(results)


if __name__ == "__main__":
    main()
