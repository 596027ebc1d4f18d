"""Named results of ops that return several tensors, as torch.return_types."""
from collections import namedtuple

max = namedtuple("max", ["values", "indices"])  # noqa: A001  (torch.return_types.max)
min = namedtuple("min", ["values", "indices"])  # noqa: A001  (torch.return_types.min)
aminmax = namedtuple("aminmax", ["min", "max"])  # torch.return_types.aminmax
