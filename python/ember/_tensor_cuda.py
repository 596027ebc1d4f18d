"""Tensor.__cuda_array_interface__: Numba's CUDA Array Interface (version 2), as PyTorch's, so
that CuPy, Numba and other consumers view a CUDA tensor's memory without a copy. A CPU tensor has
no such attribute (hasattr is False), which consumers use to tell device arrays apart."""
from ember import _C

_TYPESTR = {
    _C.float16: "<f2", _C.float32: "<f4", _C.float64: "<f8", _C.uint8: "|u1", _C.int8: "|i1",
    _C.int16: "<i2", _C.int32: "<i4", _C.int64: "<i8", _C.bool: "|b1",
}


def cuda_array_interface(self):
    if not self.is_cuda:
        raise AttributeError(
            f"Can't get __cuda_array_interface__ on non-CUDA tensor type: {self.type()} If CUDA "
            "data is required use tensor.cuda() to copy tensor to device memory.")
    if self.requires_grad:
        raise RuntimeError(
            "Can't get __cuda_array_interface__ on Variable that requires grad. If gradients "
            "aren't required, use var.detach() to get Variable that doesn't require grad.")
    if self.dtype not in _TYPESTR:
        raise TypeError(f"[__cuda_array_interface__] the interface has no type for {self.dtype}")
    itemsize = self.element_size()
    strides = None if self.is_contiguous() else tuple(s * itemsize for s in self.stride())
    return {
        "typestr": _TYPESTR[self.dtype],
        "shape": tuple(self.shape),
        "strides": strides,
        "data": (self.data_ptr() if self.numel() > 0 else 0, False),
        "version": 2,
    }
