"""ember.cpu.amp and ember.cuda.amp (torch.cpu.amp / torch.cuda.amp): autocast with the device
type fixed, and GradScaler for CUDA."""
import functools

import ember
from ember.amp.autocast_mode import autocast as _autocast
from ember.amp.grad_scaler import GradScaler as _GradScaler


class cpu_autocast(_autocast):  # noqa: N801 (PyTorch's name, ember.cpu.amp.autocast)
    """autocast(enabled=True, dtype=ember.bfloat16, cache_enabled=True): ember.autocast('cpu')."""

    def __init__(self, enabled=True, dtype=None, cache_enabled=True):
        super().__init__("cpu", dtype=ember.bfloat16 if dtype is None else dtype,
                         enabled=enabled, cache_enabled=cache_enabled)


class cuda_autocast(_autocast):  # noqa: N801 (ember.cuda.amp.autocast)
    """autocast(enabled=True, dtype=ember.float16, cache_enabled=True): ember.autocast('cuda')."""

    def __init__(self, enabled=True, dtype=None, cache_enabled=True):
        super().__init__("cuda", dtype=ember.float16 if dtype is None else dtype,
                         enabled=enabled, cache_enabled=cache_enabled)


class CudaGradScaler(_GradScaler):
    """GradScaler(init_scale=65536.0, ...): ember.amp.GradScaler('cuda', ...)."""

    __init__ = functools.partialmethod(_GradScaler.__init__, "cuda")
