"""DistributedDataParallel: a thin nn.Module over the C++ Reducer (ember/distributed/reducer.h),
which buckets the gradients and all-reduces them during backward."""

import contextlib

from ember import _C
from ember.autograd.grad_mode import is_grad_enabled
from ember.nn.modules.module import Module


def _find_tensors(value):
    """The tensors in a forward's output (nested lists, tuples and dicts), for
    find_unused_parameters's trace of the graph."""
    if isinstance(value, _C.Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        return [tensor for item in value for tensor in _find_tensors(item)]
    if isinstance(value, dict):
        return [tensor for item in value.values() for tensor in _find_tensors(item)]
    return []


def _default_group():
    from ember import distributed

    group = distributed.group.WORLD
    if group is None:
        raise RuntimeError(
            "[DistributedDataParallel] Default process group has not been initialized, please "
            "make sure to call init_process_group."
        )
    return group


class DistributedDataParallel(Module):
    """Averages the wrapped module's gradients across the process group in backward.

    Parameters and buffers are rank 0's after construction; with broadcast_buffers, buffers are
    rank 0's again before every forward. device_ids, output_device and dim are accepted for
    PyTorch's signature (the module runs where its parameters are)."""

    def __init__(
        self,
        module,
        device_ids=None,
        output_device=None,
        dim=0,
        broadcast_buffers=True,
        process_group=None,
        bucket_cap_mb=None,
        find_unused_parameters=False,
        check_reduction=False,
        gradient_as_bucket_view=False,
        static_graph=False,
    ):
        del device_ids, output_device, dim, check_reduction, static_graph
        super().__init__()
        self.module = module
        self.process_group = process_group if process_group is not None else _default_group()
        self.broadcast_buffers = broadcast_buffers
        self.find_unused_parameters = find_unused_parameters
        self.gradient_as_bucket_view = gradient_as_bucket_view
        self.bucket_cap_mb = 25 if bucket_cap_mb is None else bucket_cap_mb
        seen = set()
        parameters = []
        for param in module.parameters():
            if param.requires_grad and id(param) not in seen:
                seen.add(id(param))
                parameters.append(param)
        if not parameters:
            raise RuntimeError(
                "[DistributedDataParallel] is not needed when a module doesn't have any "
                "parameter that requires a gradient."
            )
        _C._ddp.broadcast_from_rank0(
            self.process_group, list(module.parameters()) + list(module.buffers())
        )
        # As PyTorch: the small first bucket (it starts the first all-reduce early) only with
        # the default cap; a cap the user chose applies to every bucket.
        bucket_bytes = int(self.bucket_cap_mb * 1024 * 1024)
        first_bucket_bytes = (
            _C._ddp.DEFAULT_FIRST_BUCKET_BYTES if bucket_cap_mb is None else bucket_bytes
        )
        buckets = _C._ddp.compute_bucket_assignment_by_size(
            parameters, bucket_bytes, first_bucket_bytes
        )
        self.reducer = _C._ddp.Reducer(
            parameters,
            buckets,
            self.process_group,
            find_unused_parameters,
            gradient_as_bucket_view,
        )

    @property
    def require_backward_grad_sync(self):
        return self.reducer.require_grad_sync

    def forward(self, *inputs, **kwargs):
        if self.broadcast_buffers and self.process_group.size() > 1:
            buffers = list(self.module.buffers())
            if buffers:
                _C._ddp.broadcast_from_rank0(self.process_group, buffers)
        output = self.module(*inputs, **kwargs)
        if is_grad_enabled() and self.reducer.require_grad_sync:
            self.reducer.prepare_for_backward(
                _find_tensors(output) if self.find_unused_parameters else []
            )
        return output

    @contextlib.contextmanager
    def no_sync(self):
        """Backward inside accumulates gradients locally; the first backward after reduces."""
        previous = self.reducer.require_grad_sync
        self.reducer._set_require_grad_sync(False)
        try:
            yield
        finally:
            self.reducer._set_require_grad_sync(previous)
