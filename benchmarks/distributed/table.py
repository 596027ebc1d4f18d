"""Reads the result lines of the distributed benchmarks (allreduce_direct, allreduce_ember,
allreduce.py, ddp_throughput.py) from stdin and prints two markdown tables: all_reduce GB/s with
the ratio to the engine called directly, and DDP samples/s with the speedup over one process.
Each figure is the median over the rounds run_all.sh ran, each ratio the median over rounds of
the ratio within a round (run_all.sh runs the implementations one after another in every round);
the goals are issue 15's."""

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
            mode = values.get("mode", "ddp" if int(values["world_size"]) > 1 else "single")
            key = (kind, values["library"], int(values["world_size"]), mode)
            rows[key].append(float(values["samples_per_s"]))
    return rows


def median(figures):
    return statistics.median(figures), len(figures)


def paired_ratio(figures, baseline):
    """The median over rounds of each round's figure / the same round's baseline: the ratio of
    runs taken moments apart, robust to load that changes between rounds."""
    return statistics.median(f / b for f, b in zip(figures, baseline))


def verdict(ratio, goal):
    return "met" if ratio >= goal else f"missed ({ratio / goal:.2f} of the goal)"


def allreduce_table(rows):
    print(
        f"| engine | size | implementation | GB/s (median) | rounds | ember / direct, median of "
        f"per-round ratios (goal ≥ {ALLREDUCE_GOAL}) |"
    )
    print("|---|---|---|---|---|---|")
    for key in sorted(key for key in rows if key[0] == "allreduce"):
        _, engine, size, impl = key
        gbps, rounds = median(rows[key])
        # Runs that alternated with Gloo's own call compare with that call's times.
        baseline = "direct-alternating" if impl.endswith("-alternating") else "direct"
        direct = rows.get(("allreduce", engine, size, baseline))
        if impl.startswith("direct") or direct is None:
            ratio_text = "—"
        elif impl == "python-torch":
            ratio_text = f"{paired_ratio(rows[key], direct):.2f} (PyTorch, reference)"
        else:
            ratio = paired_ratio(rows[key], direct)
            ratio_text = f"{ratio:.2f}: {verdict(ratio, ALLREDUCE_GOAL)}"
        print(f"| {engine} | {size >> 20} MB | {impl} | {gbps:.3f} | {rounds} | {ratio_text} |")


def ddp_table(rows):
    print(
        f"| library | processes | samples/s (median) | rounds | speedup over 1 process "
        f"(goal ≥ {DDP_GOAL}) | DDP / the same processes without DDP |"
    )
    print("|---|---|---|---|---|---|")
    for library in sorted({key[1] for key in rows if key[0] == "ddp"}):
        one = rows.get(("ddp", library, 1, "single"))
        for world_size, mode in sorted(key[2:] for key in rows if key[:2] == ("ddp", library)):
            figures = rows[("ddp", library, world_size, mode)]
            samples, rounds = median(figures)
            speedup_text = efficiency_text = "—"
            if mode != "single" and one is not None:
                speedup = paired_ratio(figures, one)
                speedup_text = f"{speedup:.2f}x"
                if mode == "ddp":
                    speedup_text += f": {verdict(speedup, DDP_GOAL)}"
            independent = rows.get(("ddp", library, world_size, "independent"))
            if mode == "ddp" and independent is not None:
                efficiency_text = f"{paired_ratio(figures, independent):.2f}"
            label = {"single": "1", "ddp": f"{world_size}, DDP"}.get(
                mode, f"{world_size}, independent (no DDP)"
            )
            print(
                f"| {library} | {label} | {samples:.0f} | {rounds} | {speedup_text} | "
                f"{efficiency_text} |"
            )


def main():
    rows = parse(sys.stdin)
    if any(key[0] == "allreduce" for key in rows):
        allreduce_table(rows)
        print()
    if any(key[0] == "ddp" for key in rows):
        ddp_table(rows)


if __name__ == "__main__":
    main()
