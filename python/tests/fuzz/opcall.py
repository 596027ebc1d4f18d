"""The op-call fuzzer: random calls of op_db entries checked against their numpy references.

A case is a pure function of (seed, index). It picks an op_db entry with a reference, a dtype it
declares and one of its samples; element-wise entries get a fresh random shape (0-d up to 6-D,
zero-size dims, broadcasting) filled from the sample's values, so that each op's input domain is
kept. Each tensor argument is then placed in a random layout, extremal values (±0, ±inf, NaN,
subnormals, dtype min/max) are sprinkled in, Python scalars may be replaced by out-of-range
ones, and one of the function / method / in-place variants is called.

Outcomes: "ok"; "error" (a typed exception: fine, PyTorch raises those too); "skip" (a KNOWN
defect, or the reference itself refuses the inputs); "fail" with a message (wrong value, dtype or
shape, an input modified, a write outside an input, an untyped exception).
"""
import warnings

import numpy as np
from op_db import (
    NUMPY_DTYPES,
    OP_DB,
    Input,
    as_numpy,
    can_cast,
    dtype_name,
    make_tensor,
    round_to,
    sentinel,
    tolerance,
)

import ember

from . import known

# Entries that broadcast their tensor arguments element by element: these get random shapes.
ELEMENTWISE = {
    "neg", "abs", "sign", "relu", "floor", "ceil", "round", "trunc", "square", "exp", "log",
    "log1p", "expm1", "sqrt", "rsqrt", "sin", "cos", "tanh", "sigmoid", "erf", "reciprocal", "add",
    "add_alpha", "sub", "sub_alpha", "mul", "div", "true_divide", "div_trunc", "div_floor",
    "floor_divide", "remainder", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge",
    "logical_and", "logical_or", "logical_xor", "logical_not", "clamp", "clamp_tensor", "where",
    "masked_fill",
}
# Entries with a numpy reference (random and creation entries have none or take no tensor).
OPS = [info for info in OP_DB
       if info.ref is not None and info.check is None
       and any(isinstance(arg, Input) for arg in info.sample_inputs(info.dtypes[0])[0].args)]
LAYOUTS = ("contiguous", "contiguous", "transposed", "stepped", "expanded")
STEPPED = {"stepped": "sliced"}  # op_db's name for the layout
TYPED = known.TYPED


def bits_as(bits, dtype):
    return float(np.asarray(bits, dtype=np.uint32).view(np.float32))


def extremal_values(dtype):
    """The values a kernel most easily gets wrong, exactly representable in `dtype`."""
    if dtype == ember.bool:
        return [False, True]
    if not dtype.is_floating_point:
        info = np.iinfo(NUMPY_DTYPES[dtype])
        return [int(info.min), int(info.max), 0, -1 if info.min < 0 else 1, 1]
    if dtype == ember.bfloat16:
        biggest, tiny, subnormal = (bits_as(0x7F7F0000, dtype), bits_as(0x00800000, dtype),
                                    bits_as(0x00010000, dtype))
    else:
        info = np.finfo(NUMPY_DTYPES[dtype])
        biggest, tiny, subnormal = float(info.max), float(info.tiny), float(
            info.smallest_subnormal)
    return [0.0, -0.0, np.inf, -np.inf, np.nan, biggest, -biggest, tiny, subnormal, -subnormal]


def out_of_range_scalars(dtype):
    """Python scalars that do not fit `dtype` or wrap to a special value in it."""
    if dtype.is_floating_point:  # (a finite one beyond the dtype's range rounds to inf)
        return [np.inf, -np.inf, np.nan, -0.0]
    if dtype == ember.bool:  # any int promotes a bool tensor to int64: nothing is out of range
        return []
    info = np.iinfo(NUMPY_DTYPES[dtype])
    return [int(info.max) + 1, int(info.min) - 1, 256, -1, 2**31, 0]


# ---------------------------------------------------------------- shapes and values


def random_shape(rng):
    rank = int(rng.choice(7, p=[0.1, 0.15, 0.25, 0.2, 0.12, 0.1, 0.08]))
    high = 3 if rank >= 5 else 5
    return tuple(0 if rng.random() < 0.06 else int(rng.integers(1, high)) for _ in range(rank))


def broadcast_operand(rng, shape):
    """A shape that broadcasts to `shape`: some leading dims dropped, some dims set to 1."""
    drop = int(rng.integers(0, len(shape) + 1)) if rng.random() < 0.3 else 0
    return tuple(1 if rng.random() < 0.2 else size for size in shape[drop:])


def pool_of(info, dtype, samples, position):
    """Values of the tensor argument at `position` across samples: the op's input domain."""
    values = [s.args[position].values.reshape(-1) for s in samples
              if position < len(s.args) and isinstance(s.args[position], Input)]
    values = np.concatenate(values) if values else np.zeros(0)
    return values if values.size else np.zeros(1, dtype=NUMPY_DTYPES[dtype])


def sprinkle(rng, values, dtype):
    """Some elements of `values` replaced by extremal values of `dtype`."""
    if values.size == 0 or dtype == ember.bool:
        return values
    values = np.array(values, copy=True)
    flat = values.reshape(-1)
    choices = extremal_values(dtype)
    for position in rng.choice(flat.size, size=max(1, flat.size // 4), replace=True):
        flat[position] = choices[rng.integers(len(choices))]
    return values


def redraw_dims(rng, kwargs, shape):
    """kwargs with "dim" redrawn for `shape` (an int stays an int, a tuple a tuple), and the
    reduction length."""
    kwargs = dict(kwargs)
    rank = len(shape)
    if "dim" not in kwargs or kwargs["dim"] is None:
        return kwargs, max(1, int(np.prod(shape)))
    if rank == 0:  # a 0-d tensor takes dim 0 or -1
        dims = [0]
    elif isinstance(kwargs["dim"], int):
        dims = [int(rng.integers(-rank, rank))]
    else:
        chosen = rng.permutation(rank)[:int(rng.integers(1, rank + 1))]
        dims = [int(d) - rank if rng.random() < 0.3 else int(d) for d in chosen]
    kwargs["dim"] = dims[0] if isinstance(kwargs["dim"], int) else tuple(dims)
    reduced = [shape[d] for d in dims] if rank else [1]
    return kwargs, max(1, int(np.prod(reduced)))


# ---------------------------------------------------------------- layouts


class Arg:
    """A tensor argument in a layout: the tensor, its logical values, its Python text, and the
    storage around a stepped view (which must keep its sentinel)."""

    def __init__(self, values, dtype, layout, rng):
        self.dtype = dtype
        self.around = None
        self.layout = layout
        if layout == "transposed" and values.ndim >= 2:
            order = tuple(int(d) for d in rng.permutation(values.ndim))
            if order == tuple(sorted(order)):
                order = tuple(reversed(order))
            inverse = tuple(int(d) for d in np.argsort(order))
            base = np.ascontiguousarray(values.transpose(order))
            self.tensor = make_tensor(base, dtype).permute(*inverse)
            self.text = f"{tensor_text(base, dtype)}.permute{inverse}"
        elif layout == "stepped" and values.ndim >= 1:
            dim, step = int(rng.integers(values.ndim)), int(rng.integers(2, 4))
            wide_shape = list(values.shape)
            wide_shape[dim] = values.shape[dim] * step + 1
            wide = np.full(wide_shape, sentinel(dtype), dtype=values.dtype)
            key = (slice(None),) * dim + (slice(1, None, step),)
            wide[key] = values
            base = make_tensor(wide, dtype)
            self.tensor = base[key]
            self.around = base[(slice(None),) * dim + (slice(0, None, step),)]
            text_key = ":, " * dim + f"1::{step}"
            self.text = f"{tensor_text(wide, dtype)}[{text_key}]"
        elif layout == "expanded" and any(size > 1 for size in values.shape):
            collapsed = [d for d, size in enumerate(values.shape)
                         if size > 1 and rng.random() < 0.6]
            collapsed = collapsed or [next(d for d, s in enumerate(values.shape) if s > 1)]
            small = values
            for d in collapsed:
                small = small.take([0], axis=d)
            values = np.broadcast_to(small, values.shape)
            self.tensor = make_tensor(np.ascontiguousarray(small), dtype).expand(*values.shape)
            self.text = f"{tensor_text(small, dtype)}.expand{tuple(values.shape)}"
        else:
            self.layout = "contiguous"
            self.tensor = make_tensor(values, dtype)
            self.text = tensor_text(values, dtype)
        self.values = np.array(values, copy=True)

    def reference(self, upcast):
        if self.dtype.is_floating_point:
            return self.values.astype(np.float64)
        if upcast:  # an integer operand of a floating op is converted to float32 first
            return self.values.astype(np.float32).astype(np.float64)
        return self.values.copy()


def tensor_text(values, dtype):
    """Python source making a contiguous tensor of `values` (nan and inf spelled as floats)."""
    values = np.asarray(values)
    spelled = f"dtype=ember.{dtype_name(dtype)}"
    if values.size == 0:
        return f"ember.zeros({tuple(values.shape)}, {spelled})"
    text = repr(values.tolist()).replace("nan", "float('nan')").replace("inf", "float('inf')")
    return f"ember.tensor({text}, {spelled})"


# ---------------------------------------------------------------- cases


class OpCase:
    """One random call: the entry, dtype, variant and realized arguments."""

    def __init__(self, seed, index):
        self.seed, self.index = seed, index
        rng = np.random.default_rng([seed, index])
        self.info = OPS[rng.integers(len(OPS))]
        self.dtype = self.info.dtypes[rng.integers(len(self.info.dtypes))]
        samples = self.info.samples(np.random.default_rng(int(rng.integers(2**32))), self.dtype)
        self.sample = samples[rng.integers(len(samples))]
        variants = ["op", "op"] + (["method"] if self.info.method else []) + (
            ["inplace"] if self.info.inplace else [])
        self.variant = variants[rng.integers(len(variants))]
        if not isinstance(self.sample.args[0], Input):  # 2 + t: no method on a Python scalar
            self.variant = "op"
        reshape = self.info.name in ELEMENTWISE and rng.random() < 0.8
        shape = random_shape(rng)
        self.k = self.sample.k
        self.kwargs = dict(self.sample.kwargs)
        # A reduction of one tensor gets a random shape too, with its dims redrawn for it.
        if self.info.kind == "reduction" and len(self.sample.args) == 1 and \
                isinstance(self.sample.args[0], Input) and rng.random() < 0.6:
            reshape = True
            self.kwargs, self.k = redraw_dims(rng, self.kwargs, shape)
        # bernoulli's reference holds for probabilities 0 and 1 only.
        extremal = rng.random() < 0.35 and not self.info.name.startswith("bernoulli")
        self.extremal = extremal
        self.args = []
        for position, arg in enumerate(self.sample.args):
            if isinstance(arg, Input):
                values = arg.values
                if reshape:
                    pool = pool_of(self.info, arg.dtype, samples, position)
                    operand = shape if position == 0 else broadcast_operand(rng, shape)
                    values = pool[rng.integers(pool.size, size=operand)].reshape(operand)
                    values = values.astype(arg.values.dtype)
                # Index arguments keep their values: an out-of-range index is another test.
                if extremal and (arg.dtype.is_floating_point or reshape):
                    values = sprinkle(rng, values, arg.dtype)
                allowed = [layout for layout in LAYOUTS if STEPPED.get(layout, layout)
                           in self.info.layouts]
                layout = allowed[rng.integers(len(allowed))]
                self.args.append(Arg(values, arg.dtype, layout, rng))
            elif reshape and isinstance(arg, (int, float)) and not isinstance(arg, bool) and \
                    out_of_range_scalars(self.dtype) and rng.random() < 0.15:
                choices = out_of_range_scalars(self.dtype)
                self.args.append(choices[rng.integers(len(choices))])
            else:
                self.args.append(arg)
        self.kwargs = {key: Arg(value.values, value.dtype, "contiguous", rng)
                       if isinstance(value, Input) else value
                       for key, value in self.kwargs.items()}

    # -- running

    def call_args(self):
        args = [a.tensor if isinstance(a, Arg) else a for a in self.args]
        kwargs = {k: v.tensor if isinstance(v, Arg) else v for k, v in self.kwargs.items()}
        return args, kwargs

    def run(self):
        args, kwargs = self.call_args()
        if self.variant == "op":
            return self.info.op(*args, **kwargs)
        function = self.info.variant("method" if self.variant == "method" else "inplace")
        return function(*args, **kwargs)

    def expected(self):
        upcast = self.info.ref_upcasts_integers
        args = [a.reference(upcast) if isinstance(a, Arg) else a for a in self.args]
        kwargs = {k: v.reference(upcast) if isinstance(v, Arg) else v
                  for k, v in self.kwargs.items()}
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self.info.ref(*args, **kwargs)

    def out_dtype(self):
        return self.sample.out_dtype or self.info.out_dtype(self.dtype)

    # -- describing

    def call_text(self):
        names = [f"a{i}" if isinstance(a, Arg) else repr(a) for i, a in enumerate(self.args)]
        names += [f"{key}=k_{key}" if isinstance(value, Arg) else f"{key}={value!r}"
                  for key, value in self.kwargs.items()]
        if self.variant == "op":
            return f"{self.info.op.__name__}({', '.join(names)})"
        chosen = self.info.method if self.variant == "method" else self.info.inplace
        if isinstance(chosen, str):
            return f"{names[0]}.{chosen}({', '.join(names[1:])})"
        return f"{getattr(chosen, '__name__', chosen)}({', '.join(names)})"

    def describe(self):
        parts = [f"{type(a.tensor).__name__}{tuple(a.values.shape)}/{dtype_name(a.dtype)}/"
                 f"{a.layout}" if isinstance(a, Arg) else repr(a) for a in self.args]
        parts += [f"{key}=" + (f"{tuple(v.values.shape)}/{dtype_name(v.dtype)}"
                               if isinstance(v, Arg) else repr(v))
                  for key, v in self.kwargs.items()]
        return f"{self.info.name}[{self.variant}]({', '.join(parts)})"

    def repro(self):
        lines = ["import ember"]
        lines += [f"a{i} = {a.text}" for i, a in enumerate(self.args) if isinstance(a, Arg)]
        lines += [f"k_{key} = {v.text}" for key, v in self.kwargs.items() if isinstance(v, Arg)]
        module = getattr(self.info.op, "__module__", "") or ""
        if self.variant == "op" and not module.startswith("ember"):
            lines.append(f"# {self.info.op.__name__} is op_db's helper: see python/tests/op_db.py")
        lines.append(f"print({self.call_text()})")
        return "\n".join(lines)

    # -- checking

    def check(self):
        """("ok" | "error" | "skip" | "fail", detail)."""
        reason = known.opcall_reason(self)
        if reason:
            return "skip", reason
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = self.run()
        except TYPED as error:
            return known.classify_error(error)
        except Exception as error:  # noqa: BLE001 -- any other exception is the finding
            return "fail", f"untyped exception {type(error).__name__}: {str(error)[:300]}"
        if known.uncompared_reason(self):
            return "ok", ""
        try:
            expected = self.expected()
        except Exception as error:  # noqa: BLE001 -- numpy refused the inputs: nothing to compare
            return "skip", f"reference raised {type(error).__name__}"
        if self.unspecified_conversion():
            return "skip", "float to integer conversion of NaN, inf or out-of-range values"
        if self.wrapped_comparison():
            return "skip", "comparison or logical op with a Python int outside the dtype's range"
        problem = self.compare(result, expected)
        return ("fail", problem) if problem else ("ok", "")

    def scale(self):
        """For a reduction over extremal values: the largest finite input magnitude (see
        compare); else 0."""
        if not (self.extremal and self.info.kind == "reduction"):
            return 0.0
        finite = [np.abs(a.values[np.isfinite(a.values)].astype(np.float64))
                  for a in self.args if isinstance(a, Arg) and a.dtype.is_floating_point]
        return max([float(f.max()) for f in finite if f.size] + [1.0])

    def unspecified_conversion(self):
        """Casting NaN, inf or an out-of-range float to an integer dtype is undefined in C++
        and differs between numpy, PyTorch and platforms: there is no reference value."""
        if self.info.name == "to":
            targets = [a for a in self.args if isinstance(a, ember.dtype)]
        elif self.info.name == "type_as":  # the dtype of the second tensor
            targets = [self.args[1].dtype]
        else:
            return False
        if not targets or targets[0].is_floating_point:
            return False
        source = self.args[0]
        if not source.dtype.is_floating_point:
            return False
        limits = np.iinfo(NUMPY_DTYPES[targets[0]]) if targets[0] != ember.bool else None
        values = source.values.astype(np.float64)
        if limits is None:
            return bool(np.isnan(values).any())
        return not bool(np.all(np.isfinite(values) & (values > limits.min - 1) &
                               (values < limits.max + 1)))

    def wrapped_comparison(self):
        """PyTorch 1.13 (and ember with it) wraps a Python int into an integer tensor's dtype
        before comparing or testing it (int16 4 >= 32768 and uint8 logical_or(0, 256) are
        True and False); numpy uses the exact values."""
        if self.info.name not in ("eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or",
                                  "logical_xor"):
            return False
        if self.dtype.is_floating_point or self.dtype == ember.bool:
            return False
        limits = np.iinfo(NUMPY_DTYPES[self.dtype])
        return any(isinstance(a, int) and not isinstance(a, bool) and
                   not limits.min <= a <= limits.max for a in self.args)

    def compare(self, result, expected):
        out_dtype = self.out_dtype()
        first = self.args[0] if self.args and isinstance(self.args[0], Arg) else None
        if self.variant == "inplace":
            if result is not first.tensor and not (isinstance(result, ember.Tensor)
                                                   and result.is_same(first.tensor)):
                return "in-place variant did not return its first argument"
            if first.tensor.numel() > 0 and any(
                    size > 1 and stride == 0
                    for size, stride in zip(first.tensor.shape, first.tensor.stride())):
                return "in-place write into an expanded (stride-0) tensor was accepted"
            if not can_cast(out_dtype, first.dtype):
                return (f"in-place result {dtype_name(out_dtype)} stored into "
                        f"{dtype_name(first.dtype)} was accepted")
            if np.shape(expected) != tuple(first.tensor.shape):
                return f"in-place broadcast to {np.shape(expected)} was accepted"
            out_dtype = first.dtype
        # A reduction over extremal values is ill-conditioned: huge values of both signs cancel
        # in another order than float64's, and intermediates (squares, sums) may overflow in the
        # op's accumulation type where float64 does not. Errors up to the tolerance times the
        # largest input magnitude, and inf or NaN where overflow was possible, are no defect.
        problem = matches(result, expected, out_dtype, self.info.kind, self.k, self.scale())
        if problem:
            return problem
        for arg in self.args + list(self.kwargs.values()):
            if not isinstance(arg, Arg):
                continue
            if arg.around is not None and not untouched(arg.around, arg.dtype):
                return "wrote outside a stepped input's elements"
            writes = self.variant == "inplace" or self.info.name.endswith("_") or \
                self.info.name == "setitem"
            if not (writes and arg is first) and \
                    matches(arg.tensor, arg.values, arg.dtype, "exact", 1):
                return "an input was modified"
        return ""


def untouched(around, dtype):
    values = as_numpy(around)
    mark = sentinel(dtype)
    return bool((np.isnan(values) if isinstance(mark, float) else values == mark).all())


def matches(actual, expected, dtype, kind, k, scale=0.0):
    """"" when ember's result equals the reference within RELIABILITY's tolerance, else why."""
    if isinstance(dtype, tuple):
        if not isinstance(actual, tuple) or len(actual) != len(dtype):
            return f"returned {type(actual).__name__}, expected {len(dtype)} results"
        for got, want, part in zip(actual, expected, dtype):
            problem = matches(got, want, part, kind, k, scale)
            if problem:
                return problem
        return ""
    if not isinstance(actual, ember.Tensor):
        return f"returned {type(actual).__name__}"
    if actual.dtype != dtype:
        return f"dtype {dtype_name(actual.dtype)}, expected {dtype_name(dtype)}"
    got, want = as_numpy(actual), np.asarray(expected)
    if got.shape != want.shape:
        return f"shape {got.shape}, expected {want.shape}"
    rtol, atol = tolerance(dtype, kind, k)
    with np.errstate(all="ignore"):
        if rtol == 0 and atol == 0:
            want = want.astype(got.dtype)
            same = (got == want) | (np.isnan(got) & np.isnan(want)) if got.dtype.kind == "f" \
                else got == want
        else:
            want = round_to(want, dtype).astype(np.float64)
            got = got.astype(np.float64)
            close = np.abs(got - want) <= atol + rtol * np.abs(want)
            same = close | (got == want) | (np.isnan(got) & np.isnan(want))
            if scale:  # the ill-conditioned reductions above
                same |= np.abs(got - want) <= 4 * rtol * scale * k
                biggest = float(np.finfo(np.float32 if dtype == ember.bfloat16 else
                                         NUMPY_DTYPES[dtype]).max)
                same |= ~np.isfinite(got) & (~np.isfinite(want) | (scale * k * scale >= biggest))
    if bool(np.all(same)):
        return ""
    bad = np.argwhere(~np.asarray(same))[:3]
    shown = ", ".join(f"at {tuple(int(i) for i in p)}: {got[tuple(p)]!r} vs {want[tuple(p)]!r}"
                      for p in bad)
    return f"values differ ({int((~same).sum())} of {same.size}): {shown}"
