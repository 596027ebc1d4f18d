"""ember: a define-by-run deep-learning framework with a PyTorch-like API.

`import ember as torch` runs typical PyTorch tensor code. All math lives in the C++ core
(ember._C); this package adds only the Python object model around it.
"""
from ember import _C, _legacy
from ember import autograd as autograd
from ember import cuda as cuda
from ember import linalg as linalg
from ember._C import *  # Tensor, dtypes, ops, factories
from ember._C import OutOfMemoryError as OutOfMemoryError
from ember._C import Tensor as Tensor
from ember._C import device as device
from ember._C import dtype as dtype
from ember._size import Size as Size
from ember.autograd.grad_mode import enable_grad as enable_grad
from ember.autograd.grad_mode import is_grad_enabled as is_grad_enabled
from ember.autograd.grad_mode import no_grad as no_grad
from ember.autograd.grad_mode import set_grad_enabled as set_grad_enabled

__version__ = _C.__version__

# Legacy tensor types of the 2017 API: `x.type(ember.FloatTensor)`, `ember.FloatTensor(2, 3)`.
FloatTensor = _legacy.LegacyTensorType("FloatTensor", float32)
DoubleTensor = _legacy.LegacyTensorType("DoubleTensor", float64)
HalfTensor = _legacy.LegacyTensorType("HalfTensor", float16)
BFloat16Tensor = _legacy.LegacyTensorType("BFloat16Tensor", bfloat16)
ByteTensor = _legacy.LegacyTensorType("ByteTensor", uint8)
CharTensor = _legacy.LegacyTensorType("CharTensor", int8)
ShortTensor = _legacy.LegacyTensorType("ShortTensor", int16)
IntTensor = _legacy.LegacyTensorType("IntTensor", int32)
LongTensor = _legacy.LegacyTensorType("LongTensor", int64)
BoolTensor = _legacy.LegacyTensorType("BoolTensor", bool)
_legacy_type_by_name = _legacy.type_by_name

# PyTorch's aliases for dtypes.
float = float32  # noqa: A001
double = float64
half = float16
long = int64
int = int32  # noqa: A001
short = int16
cfloat = None
del cfloat


def is_tensor(obj):
    """is_tensor(obj) -> bool

    Whether obj is an ember.Tensor (or an instance of a subclass).
    """
    return isinstance(obj, Tensor)


def numel(input):
    """numel(input) -> int

    The number of elements of input.
    """
    return input.numel()


def _forward_to_method(name, takes_out=True):
    """ember.name(input, ...) as input.name(...); with takes_out, also PyTorch's out= keyword
    (the out contract runs in C++, ember/ops/out.h)."""
    method = getattr(Tensor, name)

    def function(input, *args, **kwargs):
        return getattr(input, name)(*args, **kwargs)

    def function_with_out(input, *args, out=None, **kwargs):
        if out is None:
            return getattr(input, name)(*args, **kwargs)
        return _C._out_call(name, out, lambda: getattr(input, name)(*args, **kwargs), input,
                            args, kwargs)

    chosen = function_with_out if takes_out else function
    # The method's documented signature with input for self: sum(input, dim=None, ...) -> Tensor.
    signature, _, description = method.__doc__.partition("\n\n")
    signature = signature.replace("(self", "(input", 1)
    if takes_out:
        head, arrow, result = signature.rpartition(") ->")
        signature = f"{head}{', out=None' if '*' in head else ', *, out=None'}{arrow}{result}"
    chosen.__name__ = chosen.__qualname__ = name
    chosen.__doc__ = f"{signature}\n\n{description}\nember.{name}(input, ...) is input.{name}(...)."
    return chosen


# One assignment each (not a loop over names), so that editors and type checkers see them.
sum = _forward_to_method("sum")  # noqa: A001
mean = _forward_to_method("mean")
prod = _forward_to_method("prod")
amax = _forward_to_method("amax")
amin = _forward_to_method("amin")
max = _forward_to_method("max")  # noqa: A001
min = _forward_to_method("min")  # noqa: A001
argmax = _forward_to_method("argmax")
argmin = _forward_to_method("argmin")
var = _forward_to_method("var")
std = _forward_to_method("std")
norm = _forward_to_method("norm")
logsumexp = _forward_to_method("logsumexp")
all = _forward_to_method("all")  # noqa: A001
any = _forward_to_method("any")  # noqa: A001
clamp = _forward_to_method("clamp")
clip = _forward_to_method("clip")
clamp_ = _forward_to_method("clamp_", takes_out=False)
clamp_min = _forward_to_method("clamp_min", takes_out=False)
clamp_max = _forward_to_method("clamp_max", takes_out=False)
masked_fill = _forward_to_method("masked_fill", takes_out=False)

# copy.copy, copy.deepcopy and pickle of tensors and their subclasses.
from ember import _tensor_pickle  # noqa: E402

Tensor.__copy__ = _tensor_pickle.tensor_copy
Tensor.__deepcopy__ = _tensor_pickle.tensor_deepcopy
Tensor.__reduce_ex__ = _tensor_pickle.tensor_reduce_ex

# The CUDA Array Interface of CUDA tensors (CuPy, Numba).
from ember import _tensor_cuda  # noqa: E402

Tensor.__cuda_array_interface__ = property(_tensor_cuda.cuda_array_interface)

# Last: ember.nn builds on everything above (its Parameter subclasses Tensor).
from ember import nn as nn  # noqa: E402
from ember._C import _weight_norm as _weight_norm  # noqa: E402  (torch._weight_norm)

# isort: split
# ember.optim builds on ember.nn (its hooks' handles).
from ember import optim as optim  # noqa: E402

# isort: split
# ember.utils: data loading (ember.utils.data) and the other utilities.
from ember import utils as utils  # noqa: E402

# isort: split
# ember.save / ember.load (checkpoints; python/ember/serialization.py).
from ember.serialization import load as load  # noqa: E402
from ember.serialization import save as save  # noqa: E402

# isort: split
# The packed-sequence ops (torch._pack_padded_sequence / torch._pad_packed_sequence).
from ember._C import _pack_padded_sequence as _pack_padded_sequence  # noqa: E402
from ember._C import _pad_packed_sequence as _pad_packed_sequence  # noqa: E402

# isort: split
# The samplers behind Gamma, Beta and Dirichlet (torch._standard_gamma, torch._sample_dirichlet).
from ember._C import _sample_dirichlet as _sample_dirichlet  # noqa: E402
from ember._C import _standard_gamma as _standard_gamma  # noqa: E402
from ember._C import _standard_gamma_grad as _standard_gamma_grad  # noqa: E402

# isort: split
# ember.distributions (issue 13): PyTorch's torch.distributions.
from ember import distributions as distributions  # noqa: E402

# isort: split
# ember.env (issue 13) and ember.distributed (issue 15), imported on first use as torch's lazy
# submodules are: `import ember` stays as fast as before, and ember.env's own optional imports
# (gymnasium) stay deferred.
_LAZY_SUBMODULES = ("env", "distributed")


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        import importlib

        return importlib.import_module(f"ember.{name}")
    raise AttributeError(f"module 'ember' has no attribute {name!r}")

# isort: split
# Mixed precision (issue 14): ember.autocast and its state, ember.amp (GradScaler), ember.cpu.amp
# and ember.cuda.amp (python/ember/amp/; the casting is in the C++ ops, ember/ops/autocast.h).
import sys as _sys  # noqa: E402

from ember import amp as amp  # noqa: E402
from ember import cpu as cpu  # noqa: E402
from ember._C._autocast import (  # noqa: E402  (torch's GradScaler ops)
    _amp_foreach_non_finite_check_and_unscale_ as _amp_foreach_non_finite_check_and_unscale_,
)
from ember._C._autocast import _amp_update_scale_ as _amp_update_scale_  # noqa: E402
from ember._C._autocast import clear_autocast_cache as clear_autocast_cache  # noqa: E402
from ember._C._autocast import get_autocast_dtype as get_autocast_dtype  # noqa: E402
from ember._C._autocast import is_autocast_cache_enabled as is_autocast_cache_enabled  # noqa: E402
from ember._C._autocast import is_autocast_enabled as is_autocast_enabled  # noqa: E402
from ember._C._autocast import set_autocast_cache_enabled as set_autocast_cache_enabled  # noqa: E402
from ember._C._autocast import set_autocast_dtype as set_autocast_dtype  # noqa: E402
from ember._C._autocast import set_autocast_enabled as set_autocast_enabled  # noqa: E402
from ember.amp import cuda_amp as _cuda_amp  # noqa: E402
from ember.amp.autocast_mode import autocast as autocast  # noqa: E402

cuda.amp = _cuda_amp
_sys.modules["ember.cuda.amp"] = _cuda_amp

# isort: split
# The CUDA math libraries' switches (issue 14): ember.backends.cuda.matmul.allow_tf32,
# ember.backends.cudnn.allow_tf32 and the float32 matmul precision (ember/tensor/backend_flags.h).
from ember import backends as backends  # noqa: E402


def set_float32_matmul_precision(precision):
    """set_float32_matmul_precision(precision) -> None

    How float32 matrix products on CUDA may round: "highest" (float32 throughout, the default),
    "high" or "medium" (TF32 tensor cores). The same setting as
    ``ember.backends.cuda.matmul.allow_tf32``. Another string warns and changes nothing.
    """
    _C._set_float32_matmul_precision(precision)


def get_float32_matmul_precision():
    """get_float32_matmul_precision() -> str

    The float32 matmul precision: "highest", "high" or "medium".
    """
    return _C._get_float32_matmul_precision()
