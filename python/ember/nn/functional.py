"""ember.nn.functional: torch.nn.functional's functions.

Each is a C++ op bound in ember._C._nn (a submodule of the extension, which Python's import system
cannot reach by dotted name); this module re-exports them and adds only argument handling that
belongs to Python (PyTorch's legacy size_average/reduce arguments, for instance).
"""

from ember._C import _nn as _linear_ops
from ember._C import _nn as _norm_ops

linear = _linear_ops.linear
bilinear = _linear_ops.bilinear

layer_norm = _norm_ops.layer_norm
batch_norm = _norm_ops.batch_norm
group_norm = _norm_ops.group_norm
instance_norm = _norm_ops.instance_norm
