"""ember.nn.init: torch.nn.init's functions.

Each is a C++ op (ember::nn::init, bound in ember._C._nn) with PyTorch's signature: the fill runs
without recording a graph, draws from the default generator (or generator=) exactly as PyTorch's
does, and returns the tensor it was given.
"""
from ember._C import _nn

calculate_gain = _nn.calculate_gain
_calculate_fan_in_and_fan_out = _nn._calculate_fan_in_and_fan_out
uniform_ = _nn.uniform_
normal_ = _nn.normal_
trunc_normal_ = _nn.trunc_normal_
constant_ = _nn.constant_
ones_ = _nn.ones_
zeros_ = _nn.zeros_
eye_ = _nn.eye_
dirac_ = _nn.dirac_
xavier_uniform_ = _nn.xavier_uniform_
xavier_normal_ = _nn.xavier_normal_
kaiming_uniform_ = _nn.kaiming_uniform_
kaiming_normal_ = _nn.kaiming_normal_
orthogonal_ = _nn.orthogonal_
sparse_ = _nn.sparse_
