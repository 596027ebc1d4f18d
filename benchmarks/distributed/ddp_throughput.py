"""Training throughput of a compute-bound CNN, one process against WORLD_SIZE processes under
DistributedDataParallel (each rank the same per-rank batch), in ember or in PyTorch.

One thread per process (OMP_NUM_THREADS=1 and set_num_threads(1)), random data made once, SGD.
Rank 0 prints the median step time and the samples per second of the whole job. Without
WORLD_SIZE (or with 1) the model trains alone, without DDP. With --independent the WORLD_SIZE
processes train side by side without DDP: what the machine gives that many processes with no
communication at all, the bound DDP's figure is compared with when other work shares the cores:

    python ddp_throughput.py [--library ember|torch]
    python -m ember.distributed.run --nproc-per-node 2 ddp_throughput.py
    python -m torch.distributed.run --nproc_per_node 2 ddp_throughput.py --library torch
"""

import argparse
import importlib
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from bench_support import set_blas_threads


def make_model(nn):
    """About 57k parameters (a 230 KB gradient) and 16 MFLOP per 32x32 sample forward: the
    convolutions dominate, the gradient all_reduce is small beside them."""
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(64, 10),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--library", choices=["ember", "torch"], default="ember")
    parser.add_argument("--batch", type=int, default=64, help="samples per rank per step")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--independent", action="store_true", help="no DDP, no process group")
    parser.add_argument("--bucket-cap-mb", type=float, default=None, help="DDP's (default 25)")
    args = parser.parse_args()
    library = importlib.import_module(args.library)
    nn = importlib.import_module(f"{args.library}.nn")
    library.set_num_threads(1)
    set_blas_threads(1)
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))

    library.manual_seed(rank)
    model = make_model(nn)
    use_ddp = world_size > 1 and not args.independent
    if use_ddp:
        dist = importlib.import_module(f"{args.library}.distributed")
        dist.init_process_group("gloo")
        parallel = importlib.import_module(f"{args.library}.nn.parallel")
        options = {} if args.bucket_cap_mb is None else {"bucket_cap_mb": args.bucket_cap_mb}
        model = parallel.DistributedDataParallel(model, **options)
    optimizer = library.optim.SGD(model.parameters(), lr=0.01)
    images = library.randn(args.batch, 3, 32, 32)
    labels = library.randint(0, 10, (args.batch,))

    def step():
        loss = nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    for _ in range(args.warmup):
        step()
    seconds = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    if rank == 0:
        mode = "ddp" if use_ddp else "independent" if world_size > 1 else "single"
        print(
            f"ddp library={args.library} world_size={world_size} mode={mode} batch={args.batch} "
            f"steps={args.steps} step_ms={median * 1e3:.2f} "
            f"samples_per_s={world_size * args.batch / median:.1f}",
            flush=True,
        )
    if use_ddp:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
