"""ember.backends.cudnn (torch.backends.cudnn): ``allow_tf32``, whether float32 convolutions on
CUDA may use TF32 tensor cores (True by default, as in PyTorch). A module attribute that reads and
writes the switch kept in C++."""
import sys
import types

from ember import _C


class CudnnModule(types.ModuleType):
    """This module's type: its ``allow_tf32`` is a property over the C++ switch."""

    @property
    def allow_tf32(self):
        return _C._get_cudnn_allow_tf32()

    @allow_tf32.setter
    def allow_tf32(self, value):
        _C._set_cudnn_allow_tf32(bool(value))


sys.modules[__name__].__class__ = CudnnModule
