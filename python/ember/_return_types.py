"""Named results of ops that return several tensors, as torch.return_types."""
from collections import namedtuple

max = namedtuple("max", ["values", "indices"])  # noqa: A001  (torch.return_types.max)
min = namedtuple("min", ["values", "indices"])  # noqa: A001  (torch.return_types.min)
cummax = namedtuple("cummax", ["values", "indices"])
cummin = namedtuple("cummin", ["values", "indices"])
sort = namedtuple("sort", ["values", "indices"])
topk = namedtuple("topk", ["values", "indices"])
kthvalue = namedtuple("kthvalue", ["values", "indices"])
median = namedtuple("median", ["values", "indices"])
nanmedian = namedtuple("nanmedian", ["values", "indices"])
mode = namedtuple("mode", ["values", "indices"])
histogram = namedtuple("histogram", ["hist", "bin_edges"])
aminmax = namedtuple("aminmax", ["min", "max"])  # torch.return_types.aminmax
