"""ember.nn.parallel: DistributedDataParallel (PyTorch's torch.nn.parallel)."""

from ember.nn.parallel.distributed import DistributedDataParallel as DistributedDataParallel

__all__ = ["DistributedDataParallel"]
