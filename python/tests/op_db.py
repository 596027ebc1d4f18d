"""The op database (DESIGN §8, RELIABILITY T1): one OpInfo per public ember op.

An entry names the ember callable and its method / in-place / operator variants, a numpy
reference, the input domain, the dtypes that apply, the tolerance class, and sample inputs tagged
"regular", "zero_size" or "zero_dim". test_ops.py runs every entry on every layout and dtype, and
fails when a public op has no entry here.
"""
from __future__ import annotations

import importlib
import math
import operator
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

import ember

FLOATING = (ember.float32, ember.float64, ember.float16, ember.bfloat16)
INTEGRAL = (ember.uint8, ember.int8, ember.int16, ember.int32, ember.int64)
NUMERIC = FLOATING + INTEGRAL
ALL = NUMERIC + (ember.bool,)
BITWISE = INTEGRAL + (ember.bool,)

# numpy has no bfloat16: bfloat16 values travel as float32 arrays holding bf16-exact values.
NUMPY_DTYPES = {
    ember.bool: np.bool_, ember.uint8: np.uint8, ember.int8: np.int8, ember.int16: np.int16,
    ember.int32: np.int32, ember.int64: np.int64, ember.float16: np.float16,
    ember.bfloat16: np.float32, ember.float32: np.float32, ember.float64: np.float64,
}


def dtype_name(dtype):
    return repr(dtype).removeprefix("ember.")


def category(dtype):
    """0 bool, 1 integer, 2 floating: a result can be stored in place into an equal or higher
    one."""
    if dtype == ember.bool:
        return 0
    return 2 if dtype.is_floating_point else 1


def can_cast(source, target):
    return category(source) <= category(target)


def tolerance(dtype, kind, k=1):
    """RELIABILITY.md's (rtol, atol) for a result of `dtype` from an op of tolerance class `kind`.

    kind: "unary" (element-wise vs NumPy), "elementwise", "reduction" (k = reduced length; also
    matmul with k = inner size) or "exact" (data movement). Integer and bool results are exact.
    """
    if kind == "exact" or not dtype.is_floating_point:
        return 0.0, 0.0
    reduces = kind == "reduction"
    if dtype == ember.float64:
        return 1e-7, 1e-7
    if dtype == ember.float32:
        return (max(1.3e-6, k * 2.0**-24), 1e-5) if reduces else (1.3e-6, 1e-5)
    if dtype == ember.float16:
        if reduces:
            return 1e-2, 1e-2
        return (1.2e-3, 1e-3) if kind == "unary" else (1e-3, 1e-5)
    return (1.6e-2, 1e-2) if reduces else (1.6e-2, 1e-5)


def round_to_bfloat16(values):
    """Round-to-nearest-even of float values to bfloat16, returned as float32."""
    bits = np.asarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    sixteen = np.uint64(16)  # numpy 1.x refuses uint64 >> a Python int
    rounded = ((bits + np.uint64(0x7FFF) + ((bits >> sixteen) & np.uint64(1))) >> sixteen) \
        << sixteen
    return rounded.astype(np.uint32).view(np.float32)


def round_to(values, dtype):
    """Float64 values as exactly representable values of `dtype` (numpy storage type)."""
    values = np.asarray(values, dtype=np.float64)
    if dtype == ember.bfloat16:
        return round_to_bfloat16(values)
    return values.astype(NUMPY_DTYPES[dtype])


# Input domains: (float low, float high, int low, int high, excludes zero).
DOMAINS = {
    "real": (-3.0, 3.0, -5, 5, False),
    "positive": (0.25, 4.0, 1, 6, False),
    "nonzero": (0.25, 3.0, 1, 5, True),  # magnitudes; a random sign is applied
    "above_minus_one": (-0.75, 3.0, 0, 5, False),
    "unit": (-1.0, 1.0, -3, 3, False),
    "pow_base": (0.25, 2.5, -3, 4, False),
    "exponent": (-2.0, 2.0, 0, 3, False),
    "shift": (0.0, 6.0, 0, 6, False),  # shift amounts within the narrowest integer type
    "above_one": (1.0, 4.0, 1, 6, False),  # acosh, mvlgamma
    "probability": (0.02, 0.98, 0, 1, False),  # logit
}


def make_tensor(values, dtype):
    """A tensor owning a copy of `values` (bfloat16 values arrive as float32)."""
    return ember.from_numpy(np.array(values, order="C")).clone().to(dtype)


def sentinel(dtype):
    """The value around a sliced input: NaN shows up in any float result that reads it."""
    if dtype == ember.bool:
        return True
    return np.nan if dtype.is_floating_point else 99


def make_values(rng, shape, dtype, domain="real"):
    """Random values of `dtype` in `domain` as a numpy array (bfloat16 held in float32)."""
    if dtype == ember.bool:
        if DOMAINS[domain][4]:
            return np.ones(shape, dtype=np.bool_)
        return np.asarray(rng.random(shape) < 0.5)
    low, high, int_low, int_high, nonzero = DOMAINS[domain]
    if dtype.is_floating_point:
        values = np.asarray(rng.uniform(low, high, shape))
    else:
        if not dtype.is_signed:
            int_low = max(int_low, 0)
        values = np.asarray(rng.integers(int_low, int_high + 1, shape))
    if nonzero and dtype.is_signed:
        values = values * np.asarray(rng.choice([-1, 1], shape))
    if dtype.is_floating_point:
        return round_to(values, dtype)
    return values.astype(NUMPY_DTYPES[dtype])


@dataclass
class Input:
    """A tensor argument: exact values (numpy) and the ember dtype the tensor gets."""

    values: np.ndarray
    dtype: Any


@dataclass
class Sample:
    """One call: positional and keyword arguments, Inputs among them becoming tensors."""

    args: tuple
    kwargs: dict = field(default_factory=dict)
    tag: str = "regular"  # "regular", "zero_size" or "zero_dim"
    k: int = 1  # reduction length, for the K-dependent tolerances
    out_dtype: Any = None  # set when the sample, not the op, decides the result dtype

    @property
    def tensors(self):
        return [arg for arg in self.args if isinstance(arg, Input)]


def shape_tag(*shapes):
    if any(0 in shape for shape in shapes):
        return "zero_size"
    if all(shape == () for shape in shapes):
        return "zero_dim"
    return "regular"


def same_dtype(dtype):
    return dtype


def floating_result(dtype):
    return dtype if dtype.is_floating_point else ember.float32


def sum_result(dtype):
    return dtype if dtype.is_floating_point else ember.int64


def bool_result(dtype):
    return ember.bool


def method(name):
    """The Tensor-method variant: args[0].name(*args[1:], **kwargs)."""

    def call(self, *args, **kwargs):
        return getattr(self, name)(*args, **kwargs)

    call.__name__ = name
    return call


def is_public(name):
    """Whether ember has the function `name` (dotted for submodules: linalg.det)."""
    owner = ember
    for part in name.split("."):
        if not hasattr(owner, part):
            return False
        owner = getattr(owner, part)
    return True


@dataclass
class OpInfo:
    name: str  # the id in test names
    op: Callable  # the ember callable under test
    ref: Callable | None  # numpy reference; float inputs arrive as float64
    samples: Callable  # (rng, dtype) -> list[Sample]
    dtypes: tuple = FLOATING
    kind: str = "elementwise"  # tolerance class, see tolerance()
    out_dtype: Callable = same_dtype  # input dtype -> result dtype (a tuple for several results)
    method: str | Callable | None = None  # a Tensor method name or a callable like op
    inplace: str | Callable | None = None
    operator: Callable | None = None
    inplace_operator: Callable | None = None  # operator.iadd for +=, ...
    operator_dtypes: tuple = ALL  # where the Python operator means this op
    ref_upcasts_integers: bool = False  # the reference gets integer / bool inputs as float64
    layouts: tuple = ("contiguous", "transposed", "sliced", "expanded")
    is_view: bool = False  # the result aliases the first input
    check: Callable | None = None  # property check (result, *args, **kwargs) for random ops
    large: Callable | None = None  # (rng, dtype) -> samples above the parallel grain
    # public module names covered; default: name (and the in-place one)
    functions: tuple | None = None
    methods: tuple = ()  # Tensor method names covered besides `method` and `inplace`
    grad_domain: str | None = None  # unary elementwise: test_gradcheck samples this domain
    grad_domains: tuple | None = None  # binary elementwise: test_gradcheck samples these
    supports_out: bool = False  # op(..., out=t) follows the out= contract (test_out.py)
    out_op: Callable | None = None  # the function test_out.py calls when op wraps its results

    def __post_init__(self):
        if self.functions is None:
            names = [self.name]
            if isinstance(self.inplace, str):
                names.append(self.inplace)
            self.functions = tuple(name for name in names if is_public(name))
        named = [variant for variant in (self.method, self.inplace) if isinstance(variant, str)]
        self.methods = tuple(named) + tuple(self.methods)

    def variant(self, which):
        chosen = getattr(self, which)
        return method(chosen) if isinstance(chosen, str) else chosen

    def seed(self, dtype):
        return zlib.crc32(f"{self.name}/{dtype_name(dtype)}".encode())

    def sample_inputs(self, dtype):
        return self.samples(np.random.default_rng(self.seed(dtype)), dtype)

    def large_inputs(self, dtype):
        return self.large(np.random.default_rng(self.seed(dtype)), dtype)


# ---------------------------------------------------------------- sample generators

UNARY_SHAPES = [(3, 5), (2, 3, 4), (7,), (1, 4), (33, 17), (0, 3), (2, 0), ()]
# Above the kernels' parallel grain (2**17 elements), for the multi-threaded paths.
LARGE = (257, 513)


def unary_samples(domain):
    def samples(rng, dtype):
        return [Sample((Input(make_values(rng, shape, dtype, domain), dtype),),
                       tag=shape_tag(shape)) for shape in UNARY_SHAPES]

    return samples


def large_samples(*domains):
    """One LARGE input per domain, and for two inputs also a broadcast second operand."""

    def samples(rng, dtype):
        inputs = tuple(Input(make_values(rng, LARGE, dtype, domain), dtype) for domain in domains)
        found = [Sample(inputs)]
        if len(domains) == 2:
            row = Input(make_values(rng, LARGE[-1:], dtype, domains[1]), dtype)
            found.append(Sample((inputs[0], row)))
        return found

    return samples


BINARY_SHAPES = [((3, 5), (3, 5)), ((4, 1, 5), (3, 1)), ((3, 5), (5,)), ((5,), (3, 5)),
                 ((2, 3, 4), (2, 3, 4)), ((33, 17), (33, 17)), ((3, 5), ()),
                 ((0, 5), (5,)), ((2, 0), (2, 1)), ((), ())]


def python_scalar(dtype, domain):
    """A Python number in `domain` of dtype's kind, so it does not change the result dtype."""
    low, high, int_low, int_high, nonzero = DOMAINS[domain]
    if dtype == ember.bool:
        return True
    if dtype.is_floating_point:
        value = low + 0.375 * (high - low)
        return -value if nonzero and dtype.is_signed else value
    value = max(int_low, 0) + (int_high - max(int_low, 0)) // 2 or 1
    return -value if nonzero and dtype.is_signed else value


def binary_samples(domains=("real", "real"), kwargs=None, scalars=True):
    def samples(rng, dtype):
        found = []
        for shape_a, shape_b in BINARY_SHAPES:
            a = Input(make_values(rng, shape_a, dtype, domains[0]), dtype)
            b = Input(make_values(rng, shape_b, dtype, domains[1]), dtype)
            found.append(Sample((a, b), dict(kwargs or {}), tag=shape_tag(shape_a, shape_b)))
        if scalars:
            a = Input(make_values(rng, (3, 5), dtype, domains[0]), dtype)
            found.append(Sample((a, python_scalar(dtype, domains[1])), dict(kwargs or {})))
            b = Input(make_values(rng, (3, 5), dtype, domains[1]), dtype)
            found.append(Sample((python_scalar(dtype, domains[0]), b), dict(kwargs or {})))
        return found

    return samples


def reduction_length(shape, dims):
    if dims is None:
        return max(1, math.prod(shape))
    dims = (dims,) if isinstance(dims, int) else dims
    return max(1, math.prod(shape[d] for d in dims)) if shape else 1


# (shape, dims) pairs: None reduces everything; a tuple reduces several dims.
REDUCTION_CASES = [((3, 5), None), ((3, 5), 0), ((3, 5), 1), ((3, 5), -1), ((2, 3, 4), (0, 2)),
                   ((2, 3, 4), (-1, -2)), ((33, 17), None), ((33, 17), 0), ((1, 6), 0),
                   ((0, 3), None), ((0, 3), 1), ((2, 0, 3), 0), ((), None), ((), 0)]


def reduction_samples(dim_required=False, kwargs_list=({},)):
    """REDUCTION_CASES with keepdim False and True, once per extra kwargs."""

    def samples(rng, dtype):
        found = []
        for shape, dims in REDUCTION_CASES:
            if dims is None and dim_required:
                continue
            values = Input(make_values(rng, shape, dtype), dtype)
            k = reduction_length(shape, dims)
            for extra in kwargs_list:
                if dims is None:
                    found.append(Sample((values,), dict(extra), shape_tag(shape), k))
                    continue
                for keepdim in (False, True):
                    kwargs = {"dim": dims, "keepdim": keepdim, **extra}
                    found.append(Sample((values,), kwargs, shape_tag(shape), k))
        return found

    return samples


def nonempty(samples_function):
    """Drops the samples that reduce over zero elements (for ops without an identity)."""

    def samples(rng, dtype):
        return [sample for sample in samples_function(rng, dtype) if not empty_reduction(sample)]

    return samples


def empty_reduction(sample):
    shape = sample.tensors[0].values.shape
    dims = sample.kwargs.get("dim")
    if dims is None:
        return 0 in shape
    dims = (dims,) if isinstance(dims, int) else dims
    return any(shape[d] == 0 for d in dims) if shape else False


# ---------------------------------------------------------------- numpy references


def axis_of(x, dim):
    """numpy's axis for PyTorch's dim; a 0-d tensor accepts dim 0 and -1 as "all"."""
    if x.ndim == 0:
        return None
    return tuple(dim) if isinstance(dim, list) else dim


def ref_reduction(function):
    def ref(x, dim=None, keepdim=False, **kwargs):
        return function(x, axis=axis_of(x, dim), keepdims=keepdim, **kwargs)

    return ref


def ref_sum(x, dim=None, keepdim=False, dtype=None):
    if dtype is not None and dtype.is_floating_point:  # the input is cast first, as in PyTorch
        x = x.astype(np.float64)
    result = np.sum(x, axis=axis_of(x, dim), keepdims=keepdim)
    return result if x.dtype.kind == "f" else result.astype(np.int64)


def ref_prod(x, dim=None, keepdim=False):
    result = np.prod(x, axis=axis_of(x, dim), keepdims=keepdim)
    return result if x.dtype.kind == "f" else result.astype(np.int64)


def ref_variance(take_sqrt):
    def ref(x, dim=None, keepdim=False, correction=1, unbiased=None):
        if unbiased is not None:
            correction = 1 if unbiased else 0
        result = np.var(x, axis=axis_of(x, dim), ddof=correction, keepdims=keepdim)
        return np.sqrt(result) if take_sqrt else result

    return ref


def ref_norm(x, p=2, dim=None, keepdim=False):
    axis = axis_of(x, dim)
    magnitude = np.abs(x)
    if p == math.inf:
        return np.max(magnitude, axis=axis, keepdims=keepdim)
    if p == -math.inf:
        return np.min(magnitude, axis=axis, keepdims=keepdim)
    if p == 0:
        return np.sum(magnitude != 0, axis=axis, keepdims=keepdim).astype(np.float64)
    return np.sum(magnitude**p, axis=axis, keepdims=keepdim) ** (1.0 / p)


def ref_logsumexp(x, dim, keepdim=False):
    return np.log(np.sum(np.exp(x), axis=axis_of(x, dim), keepdims=keepdim))


def ref_arg(function):
    def ref(x, dim=None, keepdim=False):
        if dim is None:
            return np.asarray(function(x.reshape(-1)), dtype=np.int64)
        if x.ndim == 0:
            return np.asarray(0, dtype=np.int64)
        return function(x, axis=dim, keepdims=keepdim).astype(np.int64)

    return ref


def ref_max_dim(values_function, index_function):
    def ref(x, dim, keepdim=False):
        if x.ndim == 0:
            return x, np.asarray(0, dtype=np.int64)
        return (values_function(x, axis=dim, keepdims=keepdim),
                index_function(x, axis=dim, keepdims=keepdim).astype(np.int64))

    return ref


def ref_all_any(function):
    def ref(x, dim=None, keepdim=False):
        return function(x != 0, axis=axis_of(x, dim), keepdims=keepdim)

    return ref


def ref_erf(x):
    return np.asarray(np.frompyfunc(math.erf, 1, 1)(x), dtype=np.float64)


def ref_div(a, b, rounding_mode=None):
    if rounding_mode == "floor":
        return np.floor_divide(a, b)
    if rounding_mode == "trunc" and np.issubdtype(np.result_type(a, b), np.integer):
        # Exact in integers (through float64, INT64_MAX // -1 would round to INT64_MIN).
        floor = np.floor_divide(a, b)
        return floor + ((floor < 0) & (floor * b != a))
    quotient = np.true_divide(a, b)
    return np.trunc(quotient) if rounding_mode == "trunc" else quotient


def ref_clamp(x, min=None, max=None):
    if min is not None:
        x = np.maximum(x, min)
    if max is not None:
        x = np.minimum(x, max)
    return x


def ref_masked_select(x, mask):
    x, mask = np.broadcast_arrays(x, mask)
    return x[mask]


def ref_addmm(bias, a, b, beta=1, alpha=1):
    product = alpha * np.matmul(a, b)
    # As PyTorch documents: with beta=0 the input is ignored, its NaN and inf included.
    return np.broadcast_to(product, np.broadcast_shapes(bias.shape, product.shape)) if beta == 0 \
        else beta * bias + product


# ---------------------------------------------------------------- entries

OP_DB = []


def add(*entries):
    OP_DB.extend(entries)


# What each elementwise type rule (ember/elementwise/type_rule.h) means for an op_db entry: the
# dtypes it covers, its result dtype, and whether the numpy reference computes integers as floats.
# An elementwise entry takes these from its op's rule, as the .def row states it.
TYPE_RULE_INFO = {
    "Floating": {"dtypes": ALL, "out_dtype": floating_result, "ref_upcasts_integers": True},
    "Numeric": {"dtypes": NUMERIC, "out_dtype": same_dtype},
    "Arithmetic": {"dtypes": ALL, "out_dtype": same_dtype},
    "ArithmeticNoBool": {"dtypes": NUMERIC, "out_dtype": same_dtype},
    "TrueDivide": {"dtypes": ALL, "out_dtype": floating_result, "ref_upcasts_integers": True},
    "Comparison": {"dtypes": ALL, "out_dtype": bool_result},
    "Logical": {"dtypes": ALL, "out_dtype": bool_result},
    "Bitwise": {"dtypes": BITWISE, "out_dtype": same_dtype},
    "Shift": {"dtypes": INTEGRAL, "out_dtype": same_dtype},
    "Integral": {"dtypes": INTEGRAL, "out_dtype": same_dtype},
}


def type_rule_info(name, overrides):
    return TYPE_RULE_INFO[ember._C._elementwise_type_rules[name]] | overrides


def unary(name, ref, domain="real", grad_domain=None, **kwargs):
    """An element-wise unary op with method and in-place variants; gradient checks sample
    grad_domain (default: domain), away from points where the op is not differentiable."""
    return OpInfo(
        name, getattr(ember, name), ref, unary_samples(domain), kind="unary", method=name,
        inplace=name + "_", large=large_samples(domain), grad_domain=grad_domain or domain,
        supports_out=True,
        **type_rule_info(name, kwargs))


add(
    unary("neg", np.negative, operator=operator.neg),
    unary("abs", np.abs, grad_domain="nonzero", operator=abs),
    # PyTorch's sign of NaN is 0 (numpy's is NaN).
    unary("sign", lambda x: np.where(np.isnan(x), np.zeros((), x.dtype), np.sign(x)),
          grad_domain="nonzero"),
    unary("relu", lambda x: np.maximum(x, np.zeros((), x.dtype)), grad_domain="nonzero"),
    unary("floor", np.floor, grad_domain="fractional"),
    unary("ceil", np.ceil, grad_domain="fractional"),
    unary("round", np.round, grad_domain="fractional"),
    unary("trunc", np.trunc, grad_domain="fractional"),
    unary("square", np.square),
    unary("exp", np.exp),
    unary("log", np.log, domain="positive"),
    unary("log1p", np.log1p, domain="above_minus_one"),
    unary("expm1", np.expm1),
    unary("sqrt", np.sqrt, domain="positive"),
    unary("rsqrt", lambda x: 1 / np.sqrt(x), domain="positive"),
    unary("sin", np.sin),
    unary("cos", np.cos),
    unary("tanh", np.tanh),
    unary("sigmoid", lambda x: 1 / (1 + np.exp(-x))),
    unary("erf", ref_erf),
    unary("reciprocal", np.reciprocal, domain="nonzero"),
)


# Binary type rules whose results carry gradients (elementwise/type_rule.h is_differentiable).
DIFFERENTIABLE_BINARY_RULES = {"Arithmetic", "ArithmeticNoBool", "TrueDivide"}


def binary(name, ref, domains=("real", "real"), grad_domains=None, **info):
    """An element-wise binary op with method and in-place variants. Ops whose type rule is
    differentiable are gradchecked on grad_domains (default: domains); () opts out."""
    if grad_domains is None and (
            ember._C._elementwise_type_rules[name] in DIFFERENTIABLE_BINARY_RULES):
        grad_domains = domains
    return OpInfo(name, getattr(ember, name), ref, binary_samples(domains), method=name,
                  inplace=name + "_", large=large_samples(*domains), supports_out=True,
                  grad_domains=grad_domains or None, **type_rule_info(name, info))


add(
    binary("add", np.add, operator=operator.add, inplace_operator=operator.iadd),
    OpInfo("add_alpha", ember.add, lambda a, b, alpha: a + alpha * b,
           lambda rng, dtype: binary_samples(
               kwargs={"alpha": 2 if not dtype.is_floating_point else 1.5})(rng, dtype),
           dtypes=NUMERIC, method="add", inplace="add_", functions=(), supports_out=True),
    binary("sub", np.subtract, operator=operator.sub,
           inplace_operator=operator.isub),
    OpInfo("sub_alpha", ember.sub, lambda a, b, alpha: a - alpha * b,
           lambda rng, dtype: binary_samples(
               kwargs={"alpha": 3 if not dtype.is_floating_point else -0.5})(rng, dtype),
           dtypes=NUMERIC, method="sub", inplace="sub_", functions=(), supports_out=True),
    binary("mul", np.multiply, operator=operator.mul, inplace_operator=operator.imul),
    binary("div", ref_div, domains=("real", "nonzero"), operator=operator.truediv,
           inplace_operator=operator.itruediv),
    OpInfo("true_divide", ember.true_divide, np.true_divide,
           binary_samples(("real", "nonzero")), dtypes=ALL, out_dtype=floating_result,
           method="true_divide", inplace="true_divide_", ref_upcasts_integers=True,
           supports_out=True),
    OpInfo("div_trunc", ember.div, ref_div,
           binary_samples(("real", "nonzero"), {"rounding_mode": "trunc"}), dtypes=NUMERIC,
           method="div", inplace="div_", functions=(), supports_out=True),
    OpInfo("div_floor", ember.div, ref_div,
           binary_samples(("real", "nonzero"), {"rounding_mode": "floor"}), dtypes=NUMERIC,
           method="div", inplace="div_", functions=(), supports_out=True),
    # Piecewise constant: test_gradcheck checks it on fractional inputs of its own.
    binary("floor_divide", np.floor_divide, domains=("real", "nonzero"), grad_domains=(),
           operator=operator.floordiv, inplace_operator=operator.ifloordiv),
    binary("remainder", np.remainder, domains=("real", "nonzero"),
           operator=operator.mod, inplace_operator=operator.imod),
    binary("pow", np.power, domains=("pow_base", "exponent"), grad_domains=("positive", "exponent"),
           operator=operator.pow, inplace_operator=operator.ipow),
    binary("maximum", np.maximum),
    binary("minimum", np.minimum),
    binary("eq", np.equal, operator=operator.eq),
    binary("ne", np.not_equal, operator=operator.ne),
    binary("lt", np.less, operator=operator.lt),
    binary("le", np.less_equal, operator=operator.le),
    binary("gt", np.greater, operator=operator.gt),
    binary("ge", np.greater_equal, operator=operator.ge),
    # PyTorch's & | ^ are bitwise; they coincide with the logical ops only on bool tensors.
    binary("logical_and", np.logical_and, operator=operator.and_,
           inplace_operator=operator.iand,
           operator_dtypes=(ember.bool,)),
    binary("logical_or", np.logical_or, operator=operator.or_,
           inplace_operator=operator.ior,
           operator_dtypes=(ember.bool,)),
    binary("logical_xor", np.logical_xor, operator=operator.xor,
           inplace_operator=operator.ixor,
           operator_dtypes=(ember.bool,)),
    binary("bitwise_and", np.bitwise_and, operator=operator.and_,
           inplace_operator=operator.iand),
    binary("bitwise_or", np.bitwise_or, operator=operator.or_,
           inplace_operator=operator.ior),
    binary("bitwise_xor", np.bitwise_xor, operator=operator.xor,
           inplace_operator=operator.ixor),
    binary("bitwise_left_shift", np.left_shift, domains=("real", "shift"),
           operator=operator.lshift, inplace_operator=operator.ilshift),
    binary("bitwise_right_shift", np.right_shift, domains=("real", "shift"),
           operator=operator.rshift, inplace_operator=operator.irshift),
)


def logical_not_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype), dtype),), tag=shape_tag(shape))
            for shape in UNARY_SHAPES]


def clamp_scalar_samples(rng, dtype):
    if dtype.is_floating_point:
        bounds = [{"min": -1.25, "max": 1.5}, {"min": -0.5}, {"max": 0.75},
                  {"min": 2.0, "max": 1.0}]
    elif dtype.is_signed:
        bounds = [{"min": -2, "max": 3}, {"min": 1}, {"max": -1}, {"min": 2, "max": 1}]
    else:
        bounds = [{"min": 2, "max": 3}, {"min": 1}, {"max": 4}]
    return [Sample((Input(make_values(rng, shape, dtype), dtype),), dict(kwargs),
                   tag=shape_tag(shape))
            for shape in UNARY_SHAPES for kwargs in bounds]


def clamp_one_bound_samples(bound):
    """clamp_min / clamp_max: the clamp samples with only that bound (scalar or tensor)."""
    def samples(rng, dtype):
        both = clamp_scalar_samples(rng, dtype) + clamp_tensor_samples(rng, dtype)
        return [sample for sample in both if list(sample.kwargs) == [bound]]
    return samples


def clamp_tensor_samples(rng, dtype):
    found = []
    for shape, bound_shape in [((3, 5), (3, 5)), ((3, 5), (5,)), ((2, 3, 4), (3, 1)),
                               ((0, 5), (5,)), ((), ())]:
        x = Input(make_values(rng, shape, dtype), dtype)
        low = Input(make_values(rng, bound_shape, dtype, "unit"), dtype)
        high = Input(make_values(rng, bound_shape, dtype, "positive"), dtype)
        tag = shape_tag(shape, bound_shape)
        found += [Sample((x,), {"min": low, "max": high}, tag),
                  Sample((x,), {"min": low}, tag), Sample((x,), {"max": high}, tag)]
    return found


def where_samples(rng, dtype):
    found = []
    for cond_shape, x_shape, y_shape in [((3, 5), (3, 5), (3, 5)), ((3, 1), (5,), (3, 5)),
                                         ((2, 3, 4), (3, 4), (1,)), ((0, 5), (5,), (0, 5)),
                                         ((), (), ())]:
        cond = Input(make_values(rng, cond_shape, ember.bool), ember.bool)
        x = Input(make_values(rng, x_shape, dtype), dtype)
        y = Input(make_values(rng, y_shape, dtype), dtype)
        found.append(Sample((cond, x, y), tag=shape_tag(cond_shape, x_shape, y_shape)))
    cond = Input(make_values(rng, (3, 5), ember.bool), ember.bool)
    x = Input(make_values(rng, (3, 5), dtype), dtype)
    found.append(Sample((cond, x, python_scalar(dtype, "real"))))
    return found


def masked_fill_samples(rng, dtype):
    found = []
    for shape, mask_shape in [((3, 5), (3, 5)), ((3, 5), (5,)), ((2, 3, 4), (3, 1)),
                              ((0, 5), (5,)), ((), ())]:
        x = Input(make_values(rng, shape, dtype), dtype)
        mask = Input(make_values(rng, mask_shape, ember.bool), ember.bool)
        found.append(Sample((x, mask, python_scalar(dtype, "nonzero")),
                            tag=shape_tag(shape, mask_shape)))
    return found


def masked_select_samples(rng, dtype):
    found = []
    for shape, mask_shape in [((3, 5), (3, 5)), ((3, 5), (5,)), ((5,), (3, 5)),
                              ((0, 5), (5,)), ((), ())]:
        x = Input(make_values(rng, shape, dtype), dtype)
        mask = Input(make_values(rng, mask_shape, ember.bool), ember.bool)
        found.append(Sample((x, mask), tag=shape_tag(shape, mask_shape)))
    return found


def index_select_samples(rng, dtype):
    found = []
    for shape, dim, index in [((4, 5), 0, [3, 0, 3, 1]), ((4, 5), 1, [4]), ((2, 3, 4), -1, [0, 2]),
                              ((4, 5), 1, []), ((0, 5), 1, [1, 1]), ((4, 5), 0, 2)]:
        x = Input(make_values(rng, shape, dtype), dtype)
        found.append(Sample((x, dim, Input(np.asarray(index, dtype=np.int64), ember.int64)),
                            tag=shape_tag(shape, np.shape(index))))
    return found


def ref_index_select(x, dim, index):
    return np.take(x, np.atleast_1d(index), axis=dim)


def index_put_samples(rng, dtype):
    found = []
    for shape, index, values_shape in [((4, 3), [3, 0, 3], (3, 3)), ((4, 3), [1], (3,)),
                                       ((5,), [4, 4, 0], ()), ((4, 3), [], (0, 3))]:
        x = Input(make_values(rng, shape, dtype), dtype)
        values = Input(make_values(rng, values_shape, dtype), dtype)
        found.append(Sample((x, Input(np.asarray(index, dtype=np.int64), ember.int64), values),
                            tag=shape_tag(shape, np.shape(index))))
    return found


def ref_index_put_accumulate(x, index, values):
    out = x.copy()
    target = np.broadcast_to(values, (len(index),) + x.shape[1:])
    if x.dtype == np.bool_:
        for i, row in zip(index, target):
            out[i] |= row
    else:
        np.add.at(out, index, target)
    return out


def nonzero_samples(rng, dtype):
    found = [Sample((Input(make_values(rng, shape, dtype, "unit"), dtype),), tag=shape_tag(shape))
             for shape in [(3, 5), (2, 3, 4), (7,), (0, 3), ()]]
    found.append(Sample((Input(np.zeros((2, 3), NUMPY_DTYPES[dtype]), dtype),)))
    return found


def bernoulli_samples(rng, dtype):
    # Probabilities 0 and 1 make the draw deterministic.
    return [Sample((Input(round_to(rng.integers(0, 2, shape), dtype), dtype),),
                   tag=shape_tag(shape)) for shape in [(3, 5), (2, 3, 4), (0, 3), ()]]


add(
    OpInfo("logical_not", ember.logical_not, np.logical_not, logical_not_samples, dtypes=ALL,
           out_dtype=bool_result, method="logical_not", operator=operator.invert,
           operator_dtypes=(ember.bool,), methods=("logical_not_",), supports_out=True),
    OpInfo("bitwise_not", ember.bitwise_not, np.invert, logical_not_samples, dtypes=BITWISE,
           method="bitwise_not", inplace="bitwise_not_", operator=operator.invert,
           large=large_samples("real")),
    OpInfo("clamp", ember.clamp, ref_clamp, clamp_scalar_samples, dtypes=NUMERIC, kind="unary",
           method="clamp", inplace="clamp_", functions=("clamp", "clamp_", "clip"),
           methods=("clip",), supports_out=True),
    OpInfo("clamp_tensor", ember.clamp, ref_clamp, clamp_tensor_samples, dtypes=NUMERIC,
           kind="unary", method="clamp", inplace="clamp_", functions=(), supports_out=True),
    OpInfo("clamp_min", ember.clamp_min, ref_clamp, clamp_one_bound_samples("min"),
           dtypes=NUMERIC, kind="unary", method="clamp_min"),
    OpInfo("clamp_max", ember.clamp_max, ref_clamp, clamp_one_bound_samples("max"),
           dtypes=NUMERIC, kind="unary", method="clamp_max"),
    OpInfo("where", ember.where, np.where, where_samples, dtypes=ALL,
           method=lambda cond, x, y: x.where(cond, y), methods=("where",), supports_out=True),
    OpInfo("masked_fill", ember.masked_fill, lambda x, mask, value: np.where(mask, value, x),
           masked_fill_samples, dtypes=ALL, method="masked_fill", inplace="masked_fill_"),
    OpInfo("masked_select", ember.masked_select, ref_masked_select, masked_select_samples,
           dtypes=ALL, kind="exact", method="masked_select", supports_out=True),
    OpInfo("index_select", ember.index_select, ref_index_select, index_select_samples,
           dtypes=ALL, kind="exact", method="index_select", supports_out=True),
    OpInfo("index_put_", lambda x, index, values: x.clone().index_put_((index,), values,
                                                                       accumulate=True),
           ref_index_put_accumulate, index_put_samples, dtypes=ALL, kind="reduction", functions=(),
           methods=("index_put_",)),
    OpInfo("nonzero", ember.nonzero, np.argwhere, nonzero_samples, dtypes=ALL, kind="exact",
           out_dtype=lambda dtype: ember.int64, method="nonzero", supports_out=True),
    OpInfo("bernoulli", ember.bernoulli, lambda p: p, bernoulli_samples, kind="exact",
           method="bernoulli", supports_out=True),
)

# ---------------------------------------------------------------- closeness and equality


def near_values(rng, values, dtype):
    """values moved by nothing, far below the default tolerance, or far above it (NaN and
    infinities kept), so that no element sits near isclose's boundary."""
    if dtype == ember.bool:
        return make_values(rng, values.shape, dtype)
    if not dtype.is_floating_point:
        return (values + rng.choice([0, 1, 3], values.shape)).astype(values.dtype)
    scale = rng.choice([0.0, 1e-7, 1e-1], values.shape)
    return round_to(values + scale * (np.abs(values) + 1), dtype)


def closeness_samples(options):
    def samples(rng, dtype):
        found = []
        for shape, other_shape in [((3, 5), (3, 5)), ((3, 5), (5,)), ((2, 3, 4), (3, 4)),
                                   ((0, 3), (0, 3)), ((), ())]:
            a = make_values(rng, shape, dtype)
            b = near_values(rng, a, dtype)[(0,) * (len(shape) - len(other_shape))]
            tag = shape_tag(shape, other_shape)
            found += [Sample((Input(a, dtype), Input(b, dtype)), dict(kwargs), tag)
                      for kwargs in options]
        if dtype.is_floating_point:  # NaN and infinities on either side
            a = np.array([np.nan, np.nan, np.inf, np.inf, -np.inf, 1.0, np.inf])
            b = np.array([np.nan, 1.0, np.inf, -np.inf, -np.inf, np.inf, 1e4])
            found += [Sample((Input(round_to(a, dtype), dtype), Input(round_to(b, dtype), dtype)),
                             dict(kwargs)) for kwargs in options]
        return found

    return samples


TOLERANCES = ({}, {"rtol": 0.2, "atol": 0.5}, {"rtol": 0, "atol": 0}, {"equal_nan": True})


def ref_equal(a, b):
    return np.asarray(a.shape == b.shape and np.array_equal(a, b))


add(
    OpInfo("isclose", ember.isclose, np.isclose, closeness_samples(TOLERANCES), dtypes=ALL,
           kind="exact", out_dtype=bool_result, method="isclose", ref_upcasts_integers=True),
    # allclose and equal return a Python bool: wrapped in a 0-d tensor for the comparison.
    OpInfo("allclose", lambda a, b, **kwargs: ember.tensor(ember.allclose(a, b, **kwargs)),
           lambda a, b, **kwargs: np.asarray(np.allclose(a, b, **kwargs)),
           closeness_samples(TOLERANCES), dtypes=ALL, kind="exact", out_dtype=bool_result,
           method=lambda a, b, **kwargs: ember.tensor(a.allclose(b, **kwargs)),
           ref_upcasts_integers=True, functions=("allclose",), methods=("allclose",)),
    OpInfo("equal", lambda a, b: ember.tensor(ember.equal(a, b)), ref_equal,
           closeness_samples(({},)), dtypes=ALL, kind="exact", out_dtype=bool_result,
           method=lambda a, b: ember.tensor(a.equal(b)), functions=("equal",),
           methods=("equal",)),
)

# ---------------------------------------------------------------- reductions


def reduction(name, ref, samples, dtypes=ALL, out_dtype=same_dtype, **info):
    return OpInfo(name, getattr(ember, name), ref, samples, dtypes=dtypes, kind="reduction",
                  out_dtype=out_dtype, method=name, supports_out=True, **info)


def sum_dtype_samples(rng, dtype):
    samples = reduction_samples()(rng, dtype)
    values = Input(make_values(rng, (3, 5), dtype), dtype)
    samples.append(Sample((values,), {"dtype": ember.float64}, k=15, out_dtype=ember.float64))
    samples.append(Sample((values,), {"dim": 1, "dtype": ember.float64}, k=5,
                          out_dtype=ember.float64))
    return samples


def prod_samples(rng, dtype):
    found = []
    for shape, dim in [((3, 5), None), ((3, 5), 0), ((3, 5), -1), ((2, 3, 4), 1), ((0, 3), None),
                       ((0, 3), 0), ((), None), ((), 0)]:
        values = Input(make_values(rng, shape, dtype, "unit" if dtype.is_floating_point
                                   else "real"), dtype)
        k = reduction_length(shape, dim)
        if dim is None:
            found.append(Sample((values,), tag=shape_tag(shape), k=k))
        else:
            found += [Sample((values,), {"dim": dim, "keepdim": keepdim}, shape_tag(shape), k)
                      for keepdim in (False, True)]
    return found


VARIANCE_KWARGS = ({}, {"correction": 0}, {"correction": 2}, {"unbiased": False})
NORM_ORDERS = (1, 2, math.inf, -math.inf, 3, 0.5, 0)


def norm_samples(rng, dtype):
    found = []
    for sample in reduction_samples()(rng, dtype):
        for p in NORM_ORDERS:
            if p < 1 and sample.tensors[0].values.size == 0:
                continue
            if (p == -math.inf or p == math.inf) and empty_reduction(sample):
                continue
            found.append(Sample(sample.args, {"p": p, **sample.kwargs}, sample.tag, sample.k))
    return found


def single_dim(samples_function):
    """Keeps the samples with no dim or one int dim (ops whose dim is a single int)."""

    def samples(rng, dtype):
        return [sample for sample in samples_function(rng, dtype)
                if not isinstance(sample.kwargs.get("dim"), tuple)]

    return samples


def max_min_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype), dtype),), tag=shape_tag(shape),
                   k=max(1, math.prod(shape))) for shape in [(3, 5), (2, 3, 4), (33, 17), ()]]


def dim_samples(rng, dtype):
    """Single-dim reductions over non-empty dims, always with a dim."""
    return [sample for sample in nonempty(single_dim(reduction_samples()))(rng, dtype)
            if "dim" in sample.kwargs]


def large_reductions(dims=(None, 0, 1), kwargs_list=({},)):
    def samples(rng, dtype):
        values = Input(make_values(rng, LARGE, dtype), dtype)
        return [Sample((values,), {**({} if dim is None else {"dim": dim}), **kwargs},
                       k=reduction_length(LARGE, dim)) for dim in dims for kwargs in kwargs_list]

    return samples


def logical_reduction_result(dtype):
    return ember.uint8 if dtype == ember.uint8 else ember.bool  # PyTorch keeps uint8


def index_result(dtype):
    return ember.int64


def values_and_indices(dtype):
    return dtype, ember.int64


add(
    reduction("sum", ref_sum, sum_dtype_samples, out_dtype=sum_result,
              large=large_reductions()),
    reduction("mean", ref_reduction(np.mean), reduction_samples(), dtypes=FLOATING,
              large=large_reductions()),
    reduction("prod", ref_prod, prod_samples, out_dtype=sum_result),
    reduction("amax", ref_reduction(np.max), nonempty(reduction_samples()),
              large=large_reductions()),
    reduction("amin", ref_reduction(np.min), nonempty(reduction_samples()),
              large=large_reductions()),
    reduction("max", np.max, max_min_samples, large=large_reductions((None,))),
    reduction("min", np.min, max_min_samples, large=large_reductions((None,))),
    OpInfo("max_dim", ember.max, ref_max_dim(np.max, np.argmax), dim_samples, dtypes=NUMERIC,
           kind="reduction", out_dtype=values_and_indices, method="max", functions=(),
           large=large_reductions((0, 1)), supports_out=True),
    OpInfo("min_dim", ember.min, ref_max_dim(np.min, np.argmin), dim_samples, dtypes=NUMERIC,
           kind="reduction", out_dtype=values_and_indices, method="min", functions=(),
           large=large_reductions((0, 1)), supports_out=True),
    OpInfo("max_other", ember.max, np.maximum, binary_samples(scalars=False), dtypes=ALL,
           method="max", functions=(), supports_out=True),
    OpInfo("min_other", ember.min, np.minimum, binary_samples(scalars=False), dtypes=ALL,
           method="min", functions=(), supports_out=True),
    reduction("argmax", ref_arg(np.argmax), nonempty(single_dim(reduction_samples())),
              dtypes=NUMERIC, out_dtype=index_result, large=large_reductions()),
    reduction("argmin", ref_arg(np.argmin), nonempty(single_dim(reduction_samples())),
              dtypes=NUMERIC, out_dtype=index_result, large=large_reductions()),
    reduction("var", ref_variance(False), reduction_samples(kwargs_list=VARIANCE_KWARGS),
              dtypes=FLOATING, large=large_reductions()),
    reduction("std", ref_variance(True), reduction_samples(kwargs_list=VARIANCE_KWARGS),
              dtypes=FLOATING, large=large_reductions()),
    reduction("norm", ref_norm, norm_samples, dtypes=FLOATING,
              large=large_reductions(kwargs_list=({"p": 1}, {"p": 2}, {"p": math.inf}))),
    reduction("logsumexp", ref_logsumexp, reduction_samples(dim_required=True),
              dtypes=FLOATING, large=large_reductions((0, 1))),
    reduction("all", ref_all_any(np.all), single_dim(reduction_samples()),
              out_dtype=logical_reduction_result, large=large_reductions()),
    reduction("any", ref_all_any(np.any), single_dim(reduction_samples()),
              out_dtype=logical_reduction_result, large=large_reductions()),
)

# ---------------------------------------------------------------- linear algebra


def matmul_samples(shape_pairs):
    def samples(rng, dtype):
        found = []
        for shape_a, shape_b in shape_pairs:
            a = Input(make_values(rng, shape_a, dtype, "unit"), dtype)
            b = Input(make_values(rng, shape_b, dtype, "unit"), dtype)
            k = shape_a[-1] if len(shape_a) > 0 else 1
            found.append(Sample((a, b), tag=shape_tag(shape_a, shape_b), k=max(k, 1)))
        return found

    return samples


MM_SHAPES = [((3, 5), (5, 4)), ((17, 33), (33, 9)), ((1, 7), (7, 1)), ((0, 5), (5, 4)),
             ((3, 0), (0, 4)), ((3, 5), (5, 0))]
MATMUL_SHAPES = [((5,), (5,)), ((3, 5), (5,)), ((5,), (5, 4)), ((3, 5), (5, 4)),
                 ((2, 3, 5), (5, 4)), ((3, 5), (2, 5, 4)), ((2, 1, 3, 4), (5, 4, 2)),
                 ((2, 3, 5), (2, 5, 4)), ((4,), (2, 4, 3)), ((2, 3, 4), (4,)), ((0, 5), (5, 3)),
                 ((2, 0, 5), (5, 3)), ((3, 0), (0, 2)), ((0,), (0,))]
BMM_SHAPES = [((2, 3, 5), (2, 5, 4)), ((4, 17, 9), (4, 9, 6)), ((0, 3, 5), (0, 5, 4)),
              ((2, 3, 0), (2, 0, 4))]
MV_SHAPES = [((3, 5), (5,)), ((17, 33), (33,)), ((0, 5), (5,)), ((3, 0), (0,))]
DOT_SHAPES = [((5,), (5,)), ((257,), (257,)), ((0,), (0,))]
OUTER_SHAPES = [((5,), (3,)), ((1,), (4,)), ((0,), (3,))]


def addmm_samples(rng, dtype):
    if dtype.is_floating_point:
        scalings = [{}, {"beta": 0.5, "alpha": 2.0}, {"beta": 0, "alpha": -1.5}]
    else:
        scalings = [{}, {"beta": 2, "alpha": 3}, {"beta": 0, "alpha": 2}]
    found = []
    for bias_shape, shape_a, shape_b in [((3, 4), (3, 5), (5, 4)), ((4,), (3, 5), (5, 4)),
                                         ((1, 4), (3, 17), (17, 4)), ((), (2, 3), (3, 2)),
                                         ((0, 4), (0, 5), (5, 4)), ((3, 4), (3, 0), (0, 4))]:
        bias = Input(make_values(rng, bias_shape, dtype, "unit"), dtype)
        a = Input(make_values(rng, shape_a, dtype, "unit"), dtype)
        b = Input(make_values(rng, shape_b, dtype, "unit"), dtype)
        found += [Sample((bias, a, b), scaling, shape_tag(bias_shape, shape_a, shape_b),
                         k=max(shape_a[1], 1) + 1) for scaling in scalings]
    return found


def linalg(name, ref, shapes, kind="reduction", **info):
    return OpInfo(name, getattr(ember, name), ref, matmul_samples(shapes), dtypes=NUMERIC,
                  kind=kind, method=name, supports_out=True, **info)


add(
    linalg("mm", np.matmul, MM_SHAPES, large=matmul_samples([(LARGE, (LARGE[1], 64))])),
    linalg("matmul", np.matmul, MATMUL_SHAPES, operator=operator.matmul,
           large=matmul_samples([((4,) + LARGE, (LARGE[1], 8))])),
    linalg("bmm", np.matmul, BMM_SHAPES),
    linalg("mv", np.matmul, MV_SHAPES),
    linalg("dot", np.dot, DOT_SHAPES),
    linalg("outer", np.outer, OUTER_SHAPES, kind="elementwise"),
    OpInfo("addmm", ember.addmm, ref_addmm, addmm_samples, dtypes=NUMERIC, kind="reduction",
           method="addmm", supports_out=True),
)

# ---------------------------------------------------------------- views and copies


def view_samples(cases, domain="real"):
    """cases: (shape, extra positional arguments) pairs."""

    def samples(rng, dtype):
        return [Sample((Input(make_values(rng, shape, dtype, domain), dtype),) + tuple(extra),
                       tag=shape_tag(shape)) for shape, extra in cases]

    return samples


def like_samples(pairs):
    """(shape, target shape) pairs: the second tensor only lends its shape."""

    def samples(rng, dtype):
        return [Sample((Input(make_values(rng, shape, dtype), dtype),
                        Input(make_values(rng, target, dtype), dtype)), tag=shape_tag(shape))
                for shape, target in pairs]

    return samples


RESHAPE_CASES = [((3, 4), [(12,)]), ((3, 4), [(2, 6)]), ((3, 4), [(-1, 3)]),
                 ((2, 3, 4), [(4, 3, 2)]), ((3, 4), [(3, 4, 1)]), ((0, 3), [(3, 0)]),
                 ((0, 3), [(-1,)]), ((), [(1,)]), ((), [()]), ((1,), [()])]


def ref_expand(x, shape):
    lead = len(shape) - x.ndim
    target = [x.shape[d - lead] if size == -1 else size for d, size in enumerate(shape)]
    return np.broadcast_to(x, target)


def ref_squeeze(x, dim=None):
    if dim is None:
        return np.squeeze(x)
    if x.ndim == 0 or x.shape[dim] != 1:
        return x
    return np.squeeze(x, axis=dim)


def ref_narrow(x, dim, start, length):
    return np.take(x, range(start % x.shape[dim], start % x.shape[dim] + length), axis=dim)


def ref_flatten(x, start_dim=0, end_dim=-1):
    if x.ndim == 0:
        return x.reshape(1)
    start, end = start_dim % x.ndim, end_dim % x.ndim
    return x.reshape(x.shape[:start] + (math.prod(x.shape[start:end + 1]),) + x.shape[end + 1:])


def ref_unflatten(x, dim, sizes):
    dim = dim % x.ndim
    return x.reshape(x.shape[:dim] + tuple(sizes) + x.shape[dim + 1:])


def ref_as_strided(x, size, stride, storage_offset=0):
    flat = np.ascontiguousarray(x).reshape(-1)
    index = np.full(tuple(size), storage_offset or 0, dtype=np.int64)
    for d, (extent, step) in enumerate(zip(size, stride)):
        shape = [1] * len(size)
        shape[d] = extent
        index = index + (np.arange(extent) * step).reshape(shape)
    return flat[index]


def getitem(x, key):
    return x[key]


def getitem_samples(rng, dtype):
    keys = [slice(None, None, 2), (slice(1, None, 2), slice(None, None, 3)), (Ellipsis, 1),
            (None, slice(1, 3)), (1, Ellipsis, None), (-1,), (slice(-3, None),),
            (slice(5, 1),), (slice(None), 2, slice(1, 4, 2)), (Ellipsis,)]
    values = Input(make_values(rng, (5, 3, 6), dtype), dtype)
    found = [Sample((values, key)) for key in keys]
    scalar = Input(make_values(rng, (), dtype), dtype)
    found += [Sample((scalar, key), tag="zero_dim") for key in (None, Ellipsis, (None, None))]
    empty = Input(make_values(rng, (0, 4), dtype), dtype)
    found += [Sample((empty, key), tag="zero_size") for key in
              [slice(None, None, 2), (Ellipsis, slice(1, None, 2))]]
    return found


def getitem_mask_samples(rng, dtype):
    found = []
    for shape, mask_shape in [((4, 3), (4, 3)), ((4, 3), (4,)), ((2, 3, 4), (2, 3)),
                              ((0, 3), (0,)), ((), ())]:
        values = Input(make_values(rng, shape, dtype), dtype)
        mask = Input(make_values(rng, mask_shape, ember.bool), ember.bool)
        found.append(Sample((values, mask), tag=shape_tag(shape, mask_shape)))
    return found


def setitem(x, key, value):
    x[key] = value
    return x


def ref_setitem(x, key, value):
    result = np.array(x, copy=True)
    result[key] = value
    return result


def setitem_samples(rng, dtype):
    found = []
    for shape, key, value_shape in [((4, 6), (slice(None), slice(None, None, 2)), (4, 3)),
                                    ((4, 6), (1,), (6,)), ((4, 6), (slice(1, 3),), (1, 6)),
                                    ((4, 6), (Ellipsis, 2), ()), ((0, 3), (slice(None),), (3,)),
                                    ((), (Ellipsis,), ())]:
        values = Input(make_values(rng, shape, dtype), dtype)
        value = Input(make_values(rng, value_shape, dtype, "nonzero"), dtype)
        found.append(Sample((values, key, value), tag=shape_tag(shape)))
        found.append(Sample((values, key, python_scalar(dtype, "nonzero")), tag=shape_tag(shape)))
    for shape in [(4, 3), (0, 2)]:
        values = Input(make_values(rng, shape, dtype), dtype)
        mask = Input(make_values(rng, shape, ember.bool), ember.bool)
        found.append(Sample((values, mask, python_scalar(dtype, "nonzero")),
                            tag=shape_tag(shape)))
    return found


AS_STRIDED_CASES = [((3, 4), [(2, 2), (1, 2)]), ((3, 4), [(3, 3), (4, 1), 1]),
                    ((12,), [(4, 3), (3, 1)]), ((12,), [(5,), (2,), 2]), ((3, 4), [(2, 3), (0, 1)]),
                    ((3, 4), [(0, 2), (1, 1)]), ((), [(), ()])]


def view_op(name, ref, cases, is_view=True, **info):
    """A view (or copy) op: the module function when ember has one, else the Tensor method."""
    if hasattr(ember, name):
        op, functions = getattr(ember, name), (name,)
        variant = name if hasattr(ember.Tensor, name) else None
    else:
        op, functions, variant = method(name), (), None
        info["methods"] = (name,) + info.get("methods", ())
    return OpInfo(name, op, ref, view_samples(cases), dtypes=ALL, kind="exact", method=variant,
                  is_view=is_view, functions=functions, **info)


def like_op(name, ref, is_view=False, **info):
    """A method taking a second tensor for its shape (view_as, reshape_as, expand_as)."""
    pairs = [((3, 4), (12,)), ((3, 4), (2, 2, 3)), ((0, 3), (3, 0)), ((), (1,))]
    if name == "expand_as":
        pairs = [((3, 1), (3, 4)), ((4,), (2, 3, 4)), ((1, 1), (0, 4)), ((), (2, 3))]
    return OpInfo(name, method(name), ref, like_samples(pairs), dtypes=ALL, kind="exact",
                  is_view=is_view, functions=(), methods=(name,), **info)


def identity(x):
    return x


SQUEEZE_CASES = [((3, 1, 4, 1), []), ((3, 1, 4, 1), [1]), ((3, 1, 4, 1), [-1]),
                 ((3, 1, 4, 1), [0]), ((1, 1), []), ((0, 1), [1]), ((), []), ((), [0])]
UNSQUEEZE_CASES = [((3, 4), [0]), ((3, 4), [2]), ((3, 4), [-1]), ((3, 4), [-3]), ((0, 3), [1]),
                   ((), [0]), ((), [-1])]
NARROW_CASES = [((5, 4), [0, 1, 3]), ((5, 4), [1, 2, 2]), ((5, 4), [-1, -3, 2]),
                ((5, 4), [0, 5, 0]), ((0, 4), [1, 1, 2])]
SELECT_CASES = [((5, 4), [0, 2]), ((5, 4), [1, -1]), ((2, 3, 4), [1, 0]), ((0, 4), [1, 3])]
FLATTEN_CASES = [((2, 3, 4), []), ((2, 3, 4), [1]), ((2, 3, 4), [0, 1]), ((2, 3, 4), [-2, -1]),
                 ((2, 3, 4), [1, 1]), ((0, 3), []), ((), [])]
UNFLATTEN_CASES = [((6, 4), [0, (2, 3)]), ((6, 4), [1, (2, -1)]), ((6, 4), [-1, (4, 1)]),
                   ((0, 6), [1, (3, 2)]), ((6, 0), [1, (0, 5)])]

add(
    view_op("view", lambda x, shape: x.reshape(shape), RESHAPE_CASES, layouts=("contiguous",)),
    view_op("reshape", lambda x, shape: x.reshape(shape), RESHAPE_CASES),
    like_op("view_as", lambda x, other: x.reshape(other.shape), is_view=True,
            layouts=("contiguous",)),
    like_op("reshape_as", lambda x, other: x.reshape(other.shape)),
    like_op("expand_as", lambda x, other: np.broadcast_to(x, other.shape), is_view=True),
    view_op("permute", np.transpose, [((2, 3, 4), [(2, 0, 1)]), ((3, 5), [(1, 0)]),
                                      ((2, 3, 4), [(-1, 0, 1)]), ((0, 3), [(1, 0)]), ((), [()])]),
    view_op("transpose", lambda x, dim0, dim1: np.swapaxes(x, dim0, dim1) if x.ndim else x,
            [((2, 3, 4), [0, 2]), ((3, 5), [1, 0]), ((3, 5), [-1, -2]),
             ((2, 3, 4), [1, 1]), ((0, 3), [0, 1]), ((), [0, -1])],
            methods=("swapaxes",)),
    view_op("t", np.transpose, [((3, 5), []), ((4,), []), ((0, 3), []), ((), [])]),
    view_op("expand", ref_expand, [((3, 1), [(3, 4)]), ((4,), [(2, 3, 4)]),
                                   ((3, 1), [(2, -1, 5)]), ((1, 1), [(0, 4)]), ((), [(2, 3)]),
                                   ((), [()])]),
    view_op("broadcast_to", np.broadcast_to, [((3, 1), [(3, 4)]), ((4,), [(2, 3, 4)]),
                                              ((1, 1), [(0, 4)]), ((), [(2, 3)]), ((), [()])]),
    view_op("squeeze", ref_squeeze, SQUEEZE_CASES),
    view_op("unsqueeze", np.expand_dims, UNSQUEEZE_CASES),
    view_op("narrow", ref_narrow, NARROW_CASES),
    view_op("select", lambda x, dim, index: np.take(x, index, axis=dim), SELECT_CASES),
    view_op("flatten", ref_flatten, FLATTEN_CASES),
    view_op("unflatten", ref_unflatten, UNFLATTEN_CASES),
    view_op("as_strided", ref_as_strided, AS_STRIDED_CASES, layouts=("contiguous",)),
    view_op("contiguous", identity, [((3, 4), []), ((2, 3, 4), []), ((0, 3), []), ((), [])]),
    view_op("clone", identity, [((3, 4), []), ((2, 3, 4), []), ((0, 3), []), ((), [])],
            is_view=False),
    OpInfo("getitem", getitem, getitem, getitem_samples, dtypes=ALL, kind="exact", is_view=True,
           functions=()),
    OpInfo("getitem_mask", getitem, getitem, getitem_mask_samples, dtypes=ALL, kind="exact",
           functions=()),
    # Writing into a stride-0 (expanded) tensor is refused (B16): test_errors covers it.
    OpInfo("setitem", setitem, ref_setitem, setitem_samples, dtypes=ALL, kind="exact",
           functions=(), layouts=("contiguous", "transposed", "sliced")),
)

# ---------------------------------------------------------------- creation and conversion


def as_numpy(tensor):
    """A tensor's values as a new numpy array (bfloat16 as float32)."""
    if tensor.dtype == ember.bfloat16:
        tensor = tensor.float()
    return np.array(tensor.numpy(), copy=True)


def shape_argument(shape, size=None):
    """PyTorch's size conventions: f(2, 3), f((2, 3)) or f(size=(2, 3))."""
    if size is not None:
        return tuple(size)
    if len(shape) == 1 and not isinstance(shape[0], int):
        return tuple(shape[0])
    return tuple(shape)


def ref_filled(value):
    def ref(*shape, size=None, dtype=None):
        return np.full(shape_argument(shape, size), value)

    return ref


def sized_samples(rng, dtype):
    found = [Sample(((2, 3),), {"dtype": dtype}), Sample((4, 1, 2), {"dtype": dtype}),
             Sample((), {"size": (3,), "dtype": dtype}), Sample(((0, 3),), {"dtype": dtype},
                                                               tag="zero_size"),
             Sample(((),), {"dtype": dtype}, tag="zero_dim")]
    if dtype == ember.float32:
        found.append(Sample((2, 2)))  # the default dtype
    return found


def check_empty(result, *shape, size=None, dtype=None):
    assert tuple(result.shape) == shape_argument(shape, size)


def fill_value(dtype):
    if dtype == ember.bool:
        return True
    return -2.5 if dtype.is_floating_point else (7 if dtype != ember.uint8 else 200)


def full_samples(rng, dtype):
    value = fill_value(dtype)
    found = [Sample(((2, 3), value), {"dtype": dtype}), Sample(((0, 2), value), {"dtype": dtype},
                                                               tag="zero_size"),
             Sample(((), value), {"dtype": dtype}, tag="zero_dim")]
    if dtype == ember.float32:  # the dtype follows the fill value
        found += [Sample(((2,), 7), out_dtype=ember.int64), Sample(((2,), 2.5)),
                  Sample(((2,), True), out_dtype=ember.bool)]
    return found


def ref_full(size, fill_value, dtype=None):
    return np.full(tuple(size) if not isinstance(size, int) else (size,), fill_value)


def arange_samples(rng, dtype):
    found = [Sample((7,), {"dtype": dtype}), Sample((2, 9), {"dtype": dtype}),
             Sample((1, 11, 3), {"dtype": dtype}), Sample((3, 3), {"dtype": dtype},
                                                          tag="zero_size")]
    if dtype.is_signed:
        found.append(Sample((4, -5, -2), {"dtype": dtype}))
    if dtype.is_floating_point:
        found += [Sample((0, 2, 0.25), {"dtype": dtype}),
                  Sample((-1.5, 1.0, 0.5), {"dtype": dtype})]
    if dtype == ember.float32:  # integral bounds give int64, any float bound the default dtype
        found += [Sample((5,), out_dtype=ember.int64), Sample((1, 10, 4), out_dtype=ember.int64),
                  Sample((0, 1, 0.1)), Sample((0.5, 3))]
    return found


def ref_arange(start, end=None, step=1, dtype=None):
    return np.arange(start, end, step) if end is not None else np.arange(start)


def linspace_samples(rng, dtype):
    found = [Sample((0, 1, 5), {"dtype": dtype}), Sample((-2, 2.5, 10), {"dtype": dtype}),
             Sample((3, -1, 2), {"dtype": dtype}), Sample((1.5, 1.5, 1), {"dtype": dtype}),
             Sample((0, 1, 0), {"dtype": dtype}, tag="zero_size")]
    if dtype == ember.float32:
        found.append(Sample((0, 10, 11)))
    return found


def eye_samples(rng, dtype):
    found = [Sample((3,), {"dtype": dtype}), Sample((2, 4), {"dtype": dtype}),
             Sample((4, 2), {"dtype": dtype}), Sample((1,), {"dtype": dtype}),
             Sample((0,), {"dtype": dtype}, tag="zero_size"),
             Sample((2, 0), {"dtype": dtype}, tag="zero_size")]
    if dtype == ember.float32:
        found.append(Sample((2,)))
    return found


def like_creation_samples(extra=(), targets=(ember.float64, ember.int32)):
    """Tensors to take the shape of, and one call with dtype= (a different target dtype)."""

    def samples(rng, dtype):
        found = [Sample((Input(make_values(rng, shape, dtype), dtype),) + tuple(extra),
                        tag=shape_tag(shape)) for shape in [(3, 4), (2, 3, 4), (0, 3), ()]]
        values = Input(make_values(rng, (2, 3), dtype), dtype)
        target = targets[0] if dtype != targets[0] else targets[1]
        found.append(Sample((values,) + tuple(extra), {"dtype": target}, out_dtype=target))
        return found

    return samples


def ref_like(value):
    def ref(x, fill_value=None, dtype=None):
        return np.full(x.shape, value if fill_value is None else fill_value)

    return ref


def check_like(result, x, *args, dtype=None):
    assert tuple(result.shape) == x.shape


def nested_samples(rng, dtype):
    found = []
    for shape in [(2, 3), (4,), (2, 1, 3), (0,), (2, 0), ()]:
        values = make_values(rng, shape, dtype)
        found.append(Sample((values.tolist(),), {"dtype": dtype}, tag=shape_tag(shape)))
    if dtype == ember.float32:  # inferred dtypes: bool, int64, the default float
        found += [Sample(([[1, 2], [3, 4]],), out_dtype=ember.int64),
                  Sample(([True, False],), out_dtype=ember.bool), Sample(([1, 2.5],)),
                  Sample(((1.0, 2.0),)), Sample((3.5,), tag="zero_dim"),
                  Sample((7,), tag="zero_dim", out_dtype=ember.int64),
                  Sample(([],), tag="zero_size"), Sample(([[], []],), tag="zero_size"),
                  Sample((np.arange(6, dtype=np.int32).reshape(2, 3),), out_dtype=ember.int32),
                  Sample((np.linspace(0, 1, 4),), out_dtype=ember.float64)]
    return found


def ref_nested(data, dtype=None):
    return np.asarray(data, dtype=np.float64 if dtype is not None and dtype.is_floating_point
                      else None)


def scalar_tensor_samples(rng, dtype):
    value = fill_value(dtype)
    found = [Sample((value,), {"dtype": dtype}, tag="zero_dim")]
    if dtype == ember.float32:
        found += [Sample((2,), tag="zero_dim"), Sample((1.25,), tag="zero_dim")]
    return found


def from_numpy_samples(rng, dtype):
    numpy_dtype = NUMPY_DTYPES[dtype]
    values = make_values(rng, (4, 6), dtype).astype(numpy_dtype)
    return [Sample((values,)), Sample((values[:, ::2],)), Sample((values.T,)),
            Sample((values[1:3, 1:],)), Sample((np.broadcast_to(values[:1], (3, 4, 6)),)),
            Sample((values[:0],), tag="zero_size"), Sample((values[0, 0].copy(),), tag="zero_dim")]


def to_samples(rng, dtype):
    found = []
    for target in ALL:
        domain = "positive" if target == ember.uint8 and dtype.is_signed else "real"
        for shape in [(3, 5), (0, 2), ()]:
            values = Input(make_values(rng, shape, dtype, domain), dtype)
            found.append(Sample((values, target), tag=shape_tag(shape), out_dtype=target))
    return found


def ref_to(x, dtype):
    if dtype == ember.bool:
        return x != 0
    if not dtype.is_floating_point:
        return np.trunc(x).astype(NUMPY_DTYPES[dtype]) if x.dtype.kind == "f" else \
            x.astype(NUMPY_DTYPES[dtype])
    return x.astype(np.float64)


def fill_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype), dtype), fill_value(dtype)),
                   tag=shape_tag(shape)) for shape in [(3, 4), (2, 3, 4), (0, 3), ()]]


def copy_samples(rng, dtype):
    found = []
    for shape, source_shape in [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 3, 4), (3, 1)),
                                ((3, 4), ()), ((0, 4), (4,)), ((), ())]:
        found.append(Sample((Input(make_values(rng, shape, dtype), dtype),
                             Input(make_values(rng, source_shape, dtype), dtype)),
                            tag=shape_tag(shape, source_shape)))
    return found


WRITABLE = ("contiguous", "transposed", "sliced")

add(
    OpInfo("zeros", ember.zeros, ref_filled(0), sized_samples, dtypes=ALL, kind="exact",
           layouts=("contiguous",), supports_out=True),
    OpInfo("ones", ember.ones, ref_filled(1), sized_samples, dtypes=ALL, kind="exact",
           layouts=("contiguous",), supports_out=True),
    OpInfo("empty", ember.empty, None, sized_samples, dtypes=ALL, kind="exact",
           layouts=("contiguous",), check=check_empty, supports_out=True),
    OpInfo("full", ember.full, ref_full, full_samples, dtypes=ALL, kind="exact",
           layouts=("contiguous",), supports_out=True),
    OpInfo("arange", ember.arange, ref_arange, arange_samples, dtypes=NUMERIC,
           layouts=("contiguous",), supports_out=True),
    OpInfo("linspace", ember.linspace, lambda start, end, steps, dtype=None:
           np.linspace(start, end, steps), linspace_samples, dtypes=FLOATING,
           layouts=("contiguous",), supports_out=True),
    OpInfo("eye", ember.eye, lambda n, m=None, dtype=None: np.eye(n, m), eye_samples,
           dtypes=ALL, kind="exact", layouts=("contiguous",), supports_out=True),
    OpInfo("zeros_like", ember.zeros_like, ref_like(0), like_creation_samples(), dtypes=ALL,
           kind="exact"),
    OpInfo("ones_like", ember.ones_like, ref_like(1), like_creation_samples(), dtypes=ALL,
           kind="exact"),
    OpInfo("full_like", ember.full_like, ref_like(None), like_creation_samples((1,)),
           dtypes=ALL, kind="exact"),
    OpInfo("empty_like", ember.empty_like, None, like_creation_samples(), dtypes=ALL,
           check=check_like),
    OpInfo("tensor", ember.tensor, ref_nested, nested_samples, dtypes=ALL, kind="exact",
           layouts=("contiguous",)),
    OpInfo("as_tensor", ember.as_tensor, ref_nested, nested_samples, dtypes=ALL, kind="exact",
           layouts=("contiguous",)),
    OpInfo("scalar_tensor", ember.scalar_tensor, lambda value, dtype=None: np.asarray(value),
           scalar_tensor_samples, dtypes=ALL, kind="exact", layouts=("contiguous",)),
    OpInfo("from_numpy", ember.from_numpy, np.asarray, from_numpy_samples,
           dtypes=tuple(dtype for dtype in ALL if dtype != ember.bfloat16), kind="exact",
           layouts=("contiguous",)),
    OpInfo("to", method("to"), ref_to, to_samples, dtypes=ALL, functions=(),
           methods=("to", "type", "float", "double", "half", "bfloat16", "int", "long",
                    "short", "char", "byte", "bool")),
    OpInfo("fill_", method("fill_"), lambda x, value: np.full(x.shape, value), fill_samples,
           dtypes=ALL, kind="exact", functions=(), methods=("fill_",), layouts=WRITABLE),
    OpInfo("zero_", method("zero_"), np.zeros_like,
           view_samples([((3, 4), []), ((2, 3, 4), []), ((0, 3), []), ((), [])]), dtypes=ALL,
           kind="exact", functions=(), methods=("zero_",), layouts=WRITABLE),
    OpInfo("copy_", method("copy_"), lambda x, source: np.broadcast_to(source, x.shape),
           copy_samples, dtypes=ALL, kind="exact", functions=(), methods=("copy_",),
           layouts=WRITABLE),
)

# ---------------------------------------------------------------- random


def check_rand(result, *shape, size=None, dtype=None):
    values = as_numpy(result)
    assert values.shape == shape_argument(shape, size)
    assert ((values >= 0) & (values < 1)).all()


def check_randn(result, *shape, size=None, dtype=None):
    values = as_numpy(result)
    assert values.shape == shape_argument(shape, size)
    assert np.isfinite(values).all()


def randint_samples(rng, dtype):
    found = [Sample((10, (3, 4)), {"dtype": dtype}), Sample((2, 7, (50,)), {"dtype": dtype}),
             Sample((3, 4, (5,)), {"dtype": dtype}),
             Sample((3, (0, 2)), {"dtype": dtype}, tag="zero_size"),
             Sample((5, ()), {"dtype": dtype}, tag="zero_dim")]
    if dtype.is_signed:
        found.append(Sample((-5, 5, (50,)), {"dtype": dtype}))
    if dtype == ember.int64:
        found.append(Sample((4, (6,)), {"size": None}))
    return found


def check_randint(result, *args, size=None, dtype=None):
    low, high = (0, args[0]) if len(args) == 2 else args[:2]
    values = as_numpy(result)
    assert values.shape == tuple(args[-1])
    assert ((values >= low) & (values < high)).all()
    assert (values == np.trunc(values)).all()


def normal_samples(rng, dtype):
    return [Sample((2.0, 0.0, (3, 2)), {"dtype": dtype}), Sample((0.0, 1.0, (100,)),
                                                                {"dtype": dtype}),
            Sample((1.0, 2.0, (0,)), {"dtype": dtype}, tag="zero_size")]


def check_normal(result, mean, std, size, dtype=None):
    values = as_numpy(result)
    assert values.shape == tuple(size)
    assert np.isfinite(values).all()
    if std == 0:
        assert (values == mean).all()


def check_rand_like(result, x, dtype=None):
    values = as_numpy(result)
    assert values.shape == x.shape
    assert ((values >= 0) & (values < 1)).all()


def check_randn_like(result, x, dtype=None):
    values = as_numpy(result)
    assert values.shape == x.shape
    assert np.isfinite(values).all()


def probability_samples(rng, dtype):
    """In-place draws with a deterministic outcome: p in {0, 1}, std 0."""
    return [Sample((Input(make_values(rng, shape, dtype), dtype), p), tag=shape_tag(shape))
            for shape in [(3, 4), (2, 3, 4), (0, 3), ()] for p in (0.0, 1.0)]


def uniform_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype), dtype), -2.0, 3.0),
                   tag=shape_tag(shape)) for shape in [(3, 4), (40, 30), (0, 3), ()]]


def check_uniform(result, x, low, high):
    values = as_numpy(result)
    assert values.shape == x.shape
    assert ((values >= low) & (values < high)).all()


FLOAT_TARGETS = (ember.float64, ember.float32)
RANDOM_SIZED = {"dtypes": FLOATING, "kind": "exact", "layouts": ("contiguous",)}

add(
    OpInfo("rand", ember.rand, None, sized_samples, check=check_rand, supports_out=True,
           **RANDOM_SIZED),
    OpInfo("randn", ember.randn, None, sized_samples, check=check_randn, supports_out=True,
           **RANDOM_SIZED),
    OpInfo("randint", ember.randint, None, randint_samples, dtypes=NUMERIC, kind="exact",
           layouts=("contiguous",), check=check_randint, supports_out=True),
    OpInfo("normal", ember.normal, None, normal_samples, check=check_normal, supports_out=True,
           **RANDOM_SIZED),
    OpInfo("rand_like", ember.rand_like, None, like_creation_samples(targets=FLOAT_TARGETS),
           dtypes=FLOATING, check=check_rand_like),
    OpInfo("randn_like", ember.randn_like, None, like_creation_samples(targets=FLOAT_TARGETS),
           dtypes=FLOATING, check=check_randn_like),
    OpInfo("bernoulli_", method("bernoulli_"), lambda x, p: np.full(x.shape, p),
           probability_samples, kind="exact", functions=(), methods=("bernoulli_",),
           layouts=WRITABLE),
    OpInfo("normal_", lambda x, mean: x.normal_(mean, 0.0), lambda x, mean: np.full(x.shape, mean),
           probability_samples, kind="exact", functions=(), methods=("normal_",),
           layouts=WRITABLE),
    OpInfo("uniform_", method("uniform_"), None, uniform_samples, kind="exact", functions=(),
           methods=("uniform_",), layouts=WRITABLE, check=check_uniform),
)

# The op families of the tensor-API issue keep their entries in op_db_<family>.py, each a list
# ENTRIES built with the helpers above (the module imports them from here).
OP_FAMILIES = ("shape", "scatter", "scan", "math", "linalg", "random", "util", "nn_activation",
               "nn_loss", "nn_linear", "nn_norm")
OP_FAMILIES += ("nn_utils", "nn_shape", "nn_conv", "nn_pool", "nn_interp")
OP_FAMILIES += ("nn_unpool",)
OP_FAMILIES += ("nn_transformer",)
OP_FAMILIES += ("attention",)
OP_FAMILIES += ("rnn_packing",)
OP_FAMILIES += ("rnn",)
OP_FAMILIES += ("sampling",)
OP_FAMILIES += ("amp",)
for _family in OP_FAMILIES:
    add(*importlib.import_module(f"op_db_{_family}").ENTRIES)

OPS_BY_NAME = {info.name: info for info in OP_DB}
assert len(OPS_BY_NAME) == len(OP_DB), "op_db names must be unique"
