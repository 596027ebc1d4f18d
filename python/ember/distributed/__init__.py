"""ember.distributed: torch.distributed's API over ember's C++ process groups (Gloo and MPI for
CPU tensors, NCCL for CUDA tensors), the stores they rendezvous through, and the launcher
``python -m ember.distributed.run`` (torchrun's interface)."""

from ember.distributed.distributed_c10d import *  # noqa: F403
from ember.distributed.distributed_c10d import __all__  # noqa: F401
