"""The small CNN of examples/python/cnn_checkpoint.py trained with DistributedDataParallel on
several processes: each rank trains on its own shard of the bar images (DistributedSampler),
DDP averages the gradients across ranks during backward, so every rank takes the same optimizer
step and the replicas stay identical. Rank 0 prints each epoch's mean loss over all ranks.

Two processes on this machine, through ember's launcher (it sets RANK, WORLD_SIZE, MASTER_ADDR,
MASTER_PORT, which init_process_group's env:// rendezvous reads):

    python -m ember.distributed.run --nproc-per-node 2 examples/distributed/ddp_cnn.py [--epochs 5]

The same script on two machines: run the launcher on each with --nnodes 2, --node-rank 0 or 1,
and --master-addr set to the first machine's address; with Open MPI instead:
`mpirun -np 2 python examples/distributed/ddp_cnn.py --backend mpi`.
"""

import argparse
import os
import sys

from ember.nn.parallel import DistributedDataParallel
from ember.utils.data import DataLoader, DistributedSampler, TensorDataset

import ember
import ember.distributed as dist
from ember import nn, optim

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from cnn_checkpoint import bars, make_model


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="gloo", choices=["gloo", "mpi"])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32, help="per rank")
    parser.add_argument("--max-steps", type=int, default=None, help="per epoch (smoke tests)")
    args = parser.parse_args()

    dist.init_process_group(args.backend)
    rank, world_size = dist.get_rank(), dist.get_world_size()
    # Every rank makes the same data; the sampler gives each its own disjoint share of it. The
    # model's initial weights may differ per rank: DDP broadcasts rank 0's at construction.
    ember.manual_seed(rank)
    dataset = TensorDataset(*bars(512, seed=0))
    sampler = DistributedSampler(dataset, num_replicas=world_size, rank=rank, shuffle=True)
    loader = DataLoader(dataset, batch_size=args.batch_size, sampler=sampler)
    model = DistributedDataParallel(make_model())
    optimizer = optim.Adam(model.parameters(), lr=0.03)

    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)  # a new shuffle each epoch, the same on every rank
        # Summed loss and sample count of this rank, all-reduced below for the mean over ranks.
        totals = ember.zeros(2, dtype=ember.float64)
        for step, (x, y) in enumerate(loader):
            if args.max_steps is not None and step == args.max_steps:
                break
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            totals += ember.tensor([loss.item() * len(y), len(y)], dtype=ember.float64)
        dist.all_reduce(totals)
        if rank == 0:
            print(
                f"epoch {epoch}  loss {(totals[0] / totals[1]).item():.4f}  "
                f"({int(totals[1].item())} samples on {world_size} ranks)",
                flush=True,
            )
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
