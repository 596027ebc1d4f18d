"""all_reduce of 1 MB and 64 MB float32 through ember.distributed (or torch.distributed, as a
reference) from Python: the Python row of the overhead comparison beside allreduce_direct and
allreduce_ember (same cases, same timing, same result line; see allreduce_timing.h).

Runs as one of WORLD_SIZE processes started by a launcher (env:// rendezvous):

    python -m ember.distributed.run --nproc-per-node 2 allreduce.py [--library ember|torch]
"""

import argparse
import importlib
import os
import statistics
import time


def cases(scale):
    """(bytes, iterations): the sizes and counts of allreduce_timing.h's cases()."""
    return [(1 << 20, 200 * scale), (64 << 20, 15 * scale)]


def median_seconds(iterations, one):
    for _ in range(3):
        one()
    seconds = []
    for _ in range(iterations):
        start = time.perf_counter()
        one()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--library", choices=["ember", "torch"], default="ember")
    parser.add_argument("--backend", default="gloo")
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    library = importlib.import_module(args.library)
    dist = importlib.import_module(f"{args.library}.distributed")
    dist.init_process_group(args.backend)
    rank, world_size = dist.get_rank(), dist.get_world_size()
    for size, iterations in cases(args.scale):
        tensor = library.zeros(size // 4, dtype=library.float32)
        median = median_seconds(iterations, lambda t=tensor: dist.all_reduce(t))
        if rank == 0:
            print(
                f"allreduce engine={args.backend} impl=python-{args.library} "
                f"world_size={world_size} bytes={size} iterations={iterations} "
                f"median_us={median * 1e6:.1f} gbps={size / median / 1e9:.3f}",
                flush=True,
            )
    dist.destroy_process_group()


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
