"""gradcheck and gradgradcheck over every differentiable op_db entry (RELIABILITY T4, T5, T7).

Each entry gets small float64 cases (at most ~12 elements per input) with inputs away from the
non-differentiable points, run on contiguous, transposed and sliced (step 2) leaves, with
broadcast operands and in-place variants on non-leaf clones. Ops whose gradient is zero
everywhere are checked to give zeros; every other op_db entry must be listed as
non-differentiable with a reason, so a new op without a gradient rule fails here.
"""
import importlib
import math
import zlib
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest
from ember.autograd.gradcheck import GradcheckError
from op_db import OP_DB, OP_FAMILIES, OPS_BY_NAME

import ember
from ember.autograd import gradcheck, gradgradcheck

F64 = ember.float64

# ---------------------------------------------------------------- inputs

# Input domains (low, high, random sign): away from 0 where abs/norm/div/log care.
DOMAINS = {
    "real": (-2.0, 2.0, False),
    "positive": (0.5, 2.5, False),
    "nonzero": (0.3, 2.0, True),
    "unit": (-0.9, 0.9, False),
    "magnitude": (0.6, 1.4, True),  # for products of many factors
    "above_minus_one": (-0.5, 2.0, False),
    "exponent": (-2.0, 2.0, False),
    "fractional": (0.1, 0.9, True),  # x mod 1 away from 0: away from floor/round jumps
    "above_one": (1.2, 3.0, False),
    "probability": (0.1, 0.9, False),
}


@dataclass(frozen=True)
class Spec:
    """A differentiable tensor argument: its shape, domain and flat positions forced to 0."""

    shape: tuple
    domain: str = "real"
    zeros: tuple = ()


def values_for(spec, rng):
    low, high, signed = DOMAINS[spec.domain]
    values = rng.uniform(low, high, spec.shape)
    if signed:
        values = values * rng.choice([-1.0, 1.0], spec.shape)
    if spec.domain == "fractional":
        values = values + rng.integers(-2, 3, spec.shape)
    values = np.asarray(values, dtype=np.float64)
    flat = values.reshape(-1)
    for position in spec.zeros:
        flat[position] = 0.0
    return flat.reshape(spec.shape)


def place(values, layout):
    """A float64 leaf holding `values`: contiguous, transposed in memory or every other element."""
    if layout == "transposed" and values.ndim >= 2:
        order = tuple(reversed(range(values.ndim)))
        base = ember.from_numpy(np.ascontiguousarray(values.transpose(order)))
        tensor = base.permute(*order)
    elif layout == "sliced" and values.ndim >= 1:
        wide = np.zeros(values.shape[:-1] + (2 * values.shape[-1],))
        wide[..., ::2] = values
        tensor = ember.from_numpy(wide)[..., ::2]
    else:
        tensor = ember.from_numpy(np.array(values, order="C"))
    return tensor.requires_grad_()


def applies(layout, specs):
    if layout == "transposed":
        return any(len(spec.shape) >= 2 for spec in specs)
    if layout == "sliced":
        return any(len(spec.shape) >= 1 for spec in specs)
    return True


LAYOUTS = ("contiguous", "transposed", "sliced")


@dataclass
class Case:
    op: str  # the op_db entry
    note: str  # what the case exercises (unique within the entry)
    fn: Callable  # fn(*tensors) -> tensor or tuple
    specs: tuple  # one Spec per tensor argument of fn
    layouts: tuple = LAYOUTS


CASES = []


def add(op, note, fn, *specs, layouts=LAYOUTS):
    assert op in OPS_BY_NAME, op
    CASES.append(Case(op, note, fn, tuple(specs), layouts))


def real(*shape, domain="real", zeros=()):
    return Spec(tuple(shape), domain, zeros)


def variant(op_name, which):
    return OPS_BY_NAME[op_name].variant(which)


# ---------------------------------------------------------------- element-wise

# Piecewise constant: the gradient is zero (checked by test_zero_gradient too).
ZERO_GRADIENT_UNARY = ("sign", "floor", "ceil", "round", "trunc")


def add_unary(name, domain):
    op, inplace = OPS_BY_NAME[name].op, variant(name, "inplace")
    add(name, "3x4", op, real(3, 4, domain=domain))
    add(name, "0-d", op, real(domain=domain), layouts=("contiguous",))
    add(name, "expanded", lambda x: op(x.expand(3, 4)), real(4, domain=domain))
    add(name, "inplace", lambda x: inplace(x.clone()), real(3, 4, domain=domain))


# Every unary elementwise entry (a .def row) on its op_db grad_domain, so a new row needs none here.
for _info in OP_DB:
    if _info.grad_domain is not None:
        add_unary(_info.name, _info.grad_domain)

BROADCAST_PAIRS = [((3, 4), (3, 4)), ((2, 1, 3), (2, 1)), ((3, 4), (4,)), ((4,), (3, 4)),
                   ((3, 4), ())]


def add_binary(name, domains=("real", "real"), kwargs=None, scalar=1.25, reversed_scalar=True):
    info = OPS_BY_NAME[name]
    kwargs = kwargs or {}
    op, inplace = info.op, info.variant("inplace")
    for shape_a, shape_b in BROADCAST_PAIRS:
        add(name, f"{shape_a}x{shape_b}", lambda a, b: op(a, b, **kwargs),
            real(*shape_a, domain=domains[0]), real(*shape_b, domain=domains[1]))
    add(name, "tensor-scalar", lambda a: op(a, scalar, **kwargs), real(3, 4, domain=domains[0]))
    if reversed_scalar:
        add(name, "scalar-tensor", lambda b: op(scalar, b, **kwargs),
            real(3, 4, domain=domains[1]))
    if inplace is not None:
        add(name, "inplace", lambda a, b: inplace(a.clone(), b, **kwargs),
            real(3, 4, domain=domains[0]), real(4, domain=domains[1]))


# Every differentiable binary .def row on its op_db grad_domains; the options below only where
# an op needs them.
BINARY_OPTIONS = {"pow": {"scalar": 1.5}, "maximum": {"reversed_scalar": False},
                  "minimum": {"reversed_scalar": False}}
for _info in OP_DB:
    if _info.grad_domains is not None:
        add_binary(_info.name, _info.grad_domains, **BINARY_OPTIONS.get(_info.name, {}))
# The alpha forms and true_divide are not .def rows.
add_binary("add_alpha", kwargs={"alpha": 1.5}, reversed_scalar=False)
add_binary("sub_alpha", kwargs={"alpha": -0.5}, reversed_scalar=False)
add_binary("true_divide", ("real", "nonzero"))
add("pow", "negative-base-integer-exponent", lambda a: ember.pow(a, 3), real(3, 4))
for _name in ("max_other", "min_other"):
    for _a, _b in BROADCAST_PAIRS:
        add(_name, f"{_a}x{_b}", lambda a, b, op=OPS_BY_NAME[_name].op: op(a, b), real(*_a),
            real(*_b))
# Rounding divisions: piecewise constant in both operands.
for _name, _kwargs in (("floor_divide", {}), ("div_trunc", {"rounding_mode": "trunc"}),
                       ("div_floor", {"rounding_mode": "floor"})):
    add(_name, "3x4", lambda a, b, op=OPS_BY_NAME[_name].op, kw=_kwargs: op(a, b, **kw),
        real(3, 4, domain="fractional"), real(3, 4, domain="positive"))

# clamp: scalar bounds, away from the values; tensor bounds are differentiable too.
for _note, _kwargs in (("min-max", {"min": -1.25, "max": 1.5}), ("min", {"min": -0.5}),
                       ("max", {"max": 0.75}), ("min-above-max", {"min": 1.0, "max": -1.0})):
    add("clamp", _note, lambda x, kw=_kwargs: ember.clamp(x, **kw), real(3, 4))
add("clamp", "inplace", lambda x: x.clone().clamp_(-0.5, 0.5), real(3, 4))
add("clamp_tensor", "min-max", lambda x, lo, hi: ember.clamp(x, min=lo, max=hi), real(3, 4),
    real(3, 4, domain="unit"), real(3, 4, domain="positive"))
add("clamp_tensor", "broadcast-bounds", lambda x, lo, hi: ember.clamp(x, min=lo, max=hi),
    real(3, 4), real(4, domain="unit"), real(3, 1, domain="positive"))
add("clamp_tensor", "min", lambda x, lo: ember.clamp(x, min=lo), real(3, 4),
    real(3, 4, domain="unit"))
add("clamp_tensor", "max", lambda x, hi: ember.clamp(x, max=hi), real(3, 4),
    real(4, domain="positive"))
add("clamp_min", "scalar", lambda x: x.clamp_min(-0.5), real(3, 4))
add("clamp_min", "tensor", lambda x, lo: ember.clamp_min(x, lo), real(3, 4), real(4, domain="unit"))
add("clamp_max", "scalar", lambda x: x.clamp_max(0.75), real(3, 4))
add("clamp_max", "tensor", lambda x, hi: ember.clamp_max(x, hi), real(3, 4),
    real(3, 1, domain="positive"))

COND_34 = ember.tensor([[True, False, True, True], [False, False, True, False],
                        [True, True, False, True]])
COND_31 = ember.tensor([[True], [False], [True]])
MASK_4 = ember.tensor([True, False, False, True])
add("where", "3x4", lambda x, y: ember.where(COND_34, x, y), real(3, 4), real(3, 4))
add("where", "broadcast", lambda x, y: ember.where(COND_31, x, y), real(4), real(3, 4))
add("where", "scalar-other", lambda x: ember.where(COND_34, x, 0.5), real(3, 4))
add("where", "method", lambda x, y: x.where(COND_34, y), real(3, 4), real(4))
add("masked_fill", "3x4", lambda x: ember.masked_fill(x, COND_34, 1.5), real(3, 4))
add("masked_fill", "broadcast-mask", lambda x: x.masked_fill(MASK_4, -2.0), real(3, 4))
add("masked_fill", "inplace", lambda x: x.clone().masked_fill_(COND_34, 0.25), real(3, 4))
add("masked_fill", "0-d-tensor-value", lambda x, v: x.masked_fill(MASK_4, v), real(3, 4), real())

# ---------------------------------------------------------------- reductions

for _name in ("sum", "mean"):
    _op = OPS_BY_NAME[_name].op
    add(_name, "all", lambda x, op=_op: op(x), real(3, 4))
    add(_name, "dim0", lambda x, op=_op: op(x, dim=0), real(3, 4))
    add(_name, "dim1-keepdim", lambda x, op=_op: op(x, dim=1, keepdim=True), real(3, 4))
    add(_name, "dims-0-2", lambda x, op=_op: op(x, dim=(0, 2)), real(2, 3, 2))
    add(_name, "dims-neg-keepdim", lambda x, op=_op: op(x, dim=(-1, -2), keepdim=True),
        real(2, 3, 2))
    add(_name, "0-d", lambda x, op=_op: op(x), real(), layouts=("contiguous",))
add("sum", "dtype", lambda x: ember.sum(x, dim=1, dtype=F64), real(3, 4))

add("prod", "all", lambda x: ember.prod(x), real(3, 4, domain="magnitude"))
add("prod", "dim1", lambda x: ember.prod(x, dim=1), real(3, 4, domain="magnitude"))
add("prod", "dim0-keepdim", lambda x: ember.prod(x, dim=0, keepdim=True),
    real(3, 4, domain="magnitude"))
add("prod", "one-zero", lambda x: ember.prod(x, dim=1), real(3, 4, domain="magnitude", zeros=(1,)))
add("prod", "two-zeros", lambda x: ember.prod(x, dim=1),
    real(3, 4, domain="magnitude", zeros=(4, 6)))
add("prod", "all-one-zero", lambda x: ember.prod(x), real(2, 3, domain="magnitude", zeros=(2,)))
add("prod", "all-two-zeros", lambda x: ember.prod(x),
    real(2, 3, domain="magnitude", zeros=(0, 5)))
add("prod", "0-d", lambda x: ember.prod(x), real(), layouts=("contiguous",))

for _name in ("amax", "amin"):
    _op = OPS_BY_NAME[_name].op
    add(_name, "all", lambda x, op=_op: op(x), real(3, 4))
    add(_name, "dim1", lambda x, op=_op: op(x, dim=1), real(3, 4))
    add(_name, "dims-keepdim", lambda x, op=_op: op(x, dim=(0, 2), keepdim=True), real(2, 3, 2))
for _name in ("max", "min"):
    add(_name, "all", lambda x, op=OPS_BY_NAME[_name].op: op(x), real(3, 4))
for _name in ("max_dim", "min_dim"):
    _op = OPS_BY_NAME[_name].op
    add(_name, "dim0-values", lambda x, op=_op: op(x, 0), real(3, 4))
    add(_name, "dim1-keepdim-values", lambda x, op=_op: op(x, dim=1, keepdim=True)[0],
        real(3, 4))
    add(_name, "3-d", lambda x, op=_op: op(x, -1).values, real(2, 3, 2))

for _name in ("var", "std"):
    _op = OPS_BY_NAME[_name].op
    add(_name, "all", lambda x, op=_op: op(x), real(3, 4))
    add(_name, "dim1", lambda x, op=_op: op(x, dim=1), real(3, 4))
    add(_name, "dim0-correction0-keepdim", lambda x, op=_op: op(x, dim=0, correction=0,
                                                                keepdim=True), real(3, 4))
    add(_name, "correction2", lambda x, op=_op: op(x, dim=1, correction=2), real(3, 4))
    add(_name, "unbiased-false", lambda x, op=_op: op(x, unbiased=False), real(2, 3, 2))

for _p in (1, 2, math.inf, -math.inf, 3, 0.5):
    add("norm", f"p{_p}-all", lambda x, p=_p: ember.norm(x, p=p), real(3, 4, domain="nonzero"))
    add("norm", f"p{_p}-dim1", lambda x, p=_p: x.norm(p=p, dim=1),
        real(3, 4, domain="nonzero"))
add("norm", "p2-dims-keepdim", lambda x: x.norm(p=2, dim=(0, 2), keepdim=True),
    real(2, 3, 2, domain="nonzero"))
add("norm", "p3-dim0-keepdim", lambda x: x.norm(p=3, dim=0, keepdim=True),
    real(3, 4, domain="nonzero"))
add("norm", "default", lambda x: x.norm(), real(3, 4, domain="nonzero"))

add("logsumexp", "dim1", lambda x: ember.logsumexp(x, dim=1), real(3, 4))
add("logsumexp", "dim0-keepdim", lambda x: ember.logsumexp(x, dim=0, keepdim=True), real(3, 4))
add("logsumexp", "dims", lambda x: ember.logsumexp(x, dim=(0, 2)), real(2, 3, 2))

# ---------------------------------------------------------------- linear algebra

add("mm", "2x3@3x4", ember.mm, real(2, 3, domain="unit"), real(3, 4, domain="unit"))
add("mm", "method", lambda a, b: a.mm(b), real(3, 2, domain="unit"), real(2, 3, domain="unit"))
for _a, _b in [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 2)),
               ((2, 2, 3), (3, 2)), ((3, 2), (2, 2, 3)), ((2, 1, 2, 3), (2, 3, 2)),
               ((3,), (2, 3, 2)), ((2, 2, 3), (3,))]:
    add("matmul", f"{_a}@{_b}", ember.matmul, real(*_a, domain="unit"), real(*_b, domain="unit"))
add("matmul", "operator", lambda a, b: a @ b, real(2, 3), real(3, 2))
add("bmm", "2x2x3@2x3x2", ember.bmm, real(2, 2, 3, domain="unit"), real(2, 3, 2, domain="unit"))
add("mv", "2x3@3", ember.mv, real(2, 3), real(3))
add("dot", "4.4", ember.dot, real(4), real(4))
add("outer", "3x4", ember.outer, real(3), real(4))
for _note, _bias, _kwargs in (("plain", (2, 2), {}), ("broadcast-bias", (2,), {}),
                              ("0-d-bias", (), {}), ("scaled", (1, 2), {"beta": 0.5, "alpha": 2.0}),
                              ("beta0", (2, 2), {"beta": 0, "alpha": -1.5})):
    add("addmm", _note, lambda bias, a, b, kw=_kwargs: ember.addmm(bias, a, b, **kw),
        real(*_bias), real(2, 3, domain="unit"), real(3, 2, domain="unit"))

# ---------------------------------------------------------------- views and copies

CONTIGUOUS = ("contiguous",)
add("view", "12", lambda x: x.view(12), real(3, 4), layouts=CONTIGUOUS)
add("view", "2x-1", lambda x: x.view(2, -1), real(3, 4), layouts=CONTIGUOUS)
add("view", "0-d", lambda x: x.view(()), real(1), layouts=CONTIGUOUS)
add("reshape", "4x3", lambda x: ember.reshape(x, (4, 3)), real(3, 4))
add("reshape", "flat", lambda x: x.reshape(-1), real(2, 3, 2))
add("view_as", "12", lambda x, y: x.view_as(y.detach()), real(3, 4), real(12),
    layouts=CONTIGUOUS)
add("reshape_as", "2x6", lambda x, y: x.reshape_as(y.detach()), real(3, 4), real(2, 6))
add("expand_as", "3x4", lambda x, y: x.expand_as(y.detach()), real(3, 1), real(3, 4))
add("permute", "2-0-1", lambda x: ember.permute(x, (2, 0, 1)), real(2, 3, 2))
add("permute", "method", lambda x: x.permute(1, 0), real(3, 4))
add("transpose", "0-2", lambda x: ember.transpose(x, 0, 2), real(2, 3, 2))
add("transpose", "swapaxes", lambda x: x.swapaxes(-1, -2), real(3, 4))
add("t", "2-d", lambda x: ember.t(x), real(3, 4))
add("t", "1-d", lambda x: x.t(), real(4))
add("expand", "3x4", lambda x: x.expand(3, 4), real(3, 1))
add("expand", "new-dims", lambda x: x.expand(2, -1, 4), real(3, 4))
add("expand", "0-d", lambda x: x.expand(2, 3), real(), layouts=CONTIGUOUS)
add("broadcast_to", "2x3x4", lambda x: ember.broadcast_to(x, (2, 3, 4)), real(4))
add("squeeze", "all", lambda x: ember.squeeze(x), real(3, 1, 4, 1))
add("squeeze", "dim", lambda x: x.squeeze(1), real(3, 1, 4))
add("unsqueeze", "0", lambda x: ember.unsqueeze(x, 0), real(3, 4))
add("unsqueeze", "-1", lambda x: x.unsqueeze(-1), real(3, 4))
add("narrow", "dim0", lambda x: ember.narrow(x, 0, 1, 2), real(3, 4))
add("narrow", "dim1-neg", lambda x: x.narrow(-1, -3, 2), real(3, 4))
add("select", "dim0", lambda x: ember.select(x, 0, 1), real(3, 4))
add("select", "dim1-neg", lambda x: x.select(1, -1), real(3, 4))
add("flatten", "all", lambda x: ember.flatten(x), real(2, 3, 2))
add("flatten", "1-2", lambda x: x.flatten(1), real(2, 3, 2))
add("unflatten", "dim0", lambda x: x.unflatten(0, (2, 3)), real(6, 2))
add("unflatten", "dim1", lambda x: x.unflatten(1, (2, -1)), real(2, 6))
add("as_strided", "2x2", lambda x: ember.as_strided(x, (2, 2), (1, 2)), real(3, 4),
    layouts=CONTIGUOUS)
add("as_strided", "offset", lambda x: x.as_strided((3, 3), (4, 1), 1), real(3, 4),
    layouts=CONTIGUOUS)
add("as_strided", "overlapping", lambda x: x.as_strided((4, 3), (2, 1)), real(12),
    layouts=CONTIGUOUS)
add("as_strided", "stride0", lambda x: x.as_strided((2, 3), (0, 1)), real(3, 4),
    layouts=CONTIGUOUS)
add("contiguous", "3x4", lambda x: x.contiguous(), real(3, 4))
add("clone", "3x4", lambda x: ember.clone(x), real(3, 4))
add("clone", "method", lambda x: x.clone() * 1, real(2, 3, 2))

GETITEM_KEYS = {
    "step2": slice(None, None, 2),
    "steps": (slice(1, None, 2), slice(None, None, 2)),
    "ellipsis-int": (Ellipsis, 1),
    "none-slice": (None, slice(1, 3)),
    "int": 1,
    "negative-int": -1,
    "slice-int": (slice(None), 2),
    "reverse-range": (slice(-2, None), slice(0, 3, 2)),
}
for _note, _key in GETITEM_KEYS.items():
    add("getitem", _note, lambda x, key=_key: x[key], real(4, 3))
add("getitem", "3-d-mixed", lambda x: x[1, :, ::2], real(2, 3, 2))
INDEX_KEYS = {
    "int-array": ember.tensor([0, 2, 0]),
    "list": [3, 1],
    "array-slice": (ember.tensor([0, 2]), slice(1, None)),
    "slice-array": (slice(None), ember.tensor([2, 0, 2])),
    "two-arrays": (ember.tensor([0, 1, 3]), ember.tensor([2, 0, 2])),
}
for _note, _key in INDEX_KEYS.items():
    add("getitem", _note, lambda x, key=_key: x[key], real(4, 3))

MASK_43 = ember.tensor([[True, False, True], [False, False, False], [True, True, False],
                        [False, True, True]])
MASK_ROWS = ember.tensor([True, False, True, True])
MASK_23 = ember.tensor([[True, False, True], [False, True, True]])
add("getitem_mask", "full", lambda x: x[MASK_43], real(4, 3))
add("getitem_mask", "rows", lambda x: x[MASK_ROWS], real(4, 3))
add("getitem_mask", "leading-dims", lambda x: x[MASK_23], real(2, 3, 2))


def assign(key):
    """y = x.clone(); y[key] = v, differentiated w.r.t. x and v."""

    def fn(x, value):
        y = x.clone()
        y[key] = value
        return y

    return fn


def assign_scalar(key, value):
    def fn(x):
        y = x.clone()
        y[key] = value
        return y

    return fn


# Basic keys write into a view of the clone (in-place on a view of a non-leaf).
SETITEM_BASIC = [("step2-columns", (slice(None), slice(None, None, 2)), (4, 2)),
                 ("row", (1,), (3,)), ("rows-broadcast", (slice(1, 3),), (1, 3)),
                 ("ellipsis-int", (Ellipsis, 2), ())]
for _note, _key, _shape in SETITEM_BASIC:
    add("setitem", _note, assign(_key), real(4, 3), real(*_shape))
add("setitem", "slice-scalar", assign_scalar((slice(None), 1), 2.5), real(4, 3))
SETITEM_ADVANCED = [("int-array", ember.tensor([0, 2]), (2, 3)),
                    ("int-array-broadcast", ember.tensor([3, 1]), (3,)),
                    ("two-arrays", (ember.tensor([0, 1, 3]), ember.tensor([2, 0, 1])), (3,)),
                    ("mask", MASK_43, (6,)), ("mask-0-d-value", MASK_43, ())]
for _note, _key, _shape in SETITEM_ADVANCED:
    add("setitem", _note, assign(_key), real(4, 3), real(*_shape))
add("setitem", "mask-scalar", assign_scalar(MASK_43, -1.5), real(4, 3))
# Constant tensors written over part of a non-leaf: no gradient flows to what they replace.
add("setitem", "row-constant", assign_scalar(1, ember.tensor([5.0, 6.0, 7.0], dtype=F64)),
    real(4, 3))
add("setitem", "int-array-constant",
    assign_scalar(ember.tensor([0, 3]), ember.zeros(2, 3, dtype=F64)), real(4, 3))

INDEX_03 = ember.tensor([3, 0, 3])
add("index_select", "dim0-repeats", lambda x: ember.index_select(x, 0, INDEX_03), real(4, 3))
add("index_select", "dim1", lambda x: ember.index_select(x, 1, ember.tensor([2])), real(4, 3))
add("index_select", "dim-neg", lambda x: ember.index_select(x, -1, ember.tensor([1, 0])),
    real(2, 3, 2))
add("masked_select", "full", lambda x: ember.masked_select(x, MASK_43), real(4, 3))
add("masked_select", "broadcast-mask", lambda x: ember.masked_select(x, MASK_4), real(3, 4))
add("masked_select", "broadcast-input", lambda x: ember.masked_select(x, COND_34), real(4))
add("index_put_", "accumulate-repeats",
    lambda x, v: x.clone().index_put_((INDEX_03,), v, accumulate=True), real(4, 3), real(3, 3))
add("index_put_", "broadcast-values",
    lambda x, v: x.clone().index_put_((INDEX_03,), v, accumulate=True), real(4, 3), real(3))

add("to", "float64-no-op", lambda x: x.to(F64), real(3, 4))
add("to", "double", lambda x: x.double() * 1, real(3, 4))


def copy_into(shape):
    def fn(source):
        target = ember.zeros(shape, dtype=F64)
        target.copy_(source)
        return target

    return fn


add("copy_", "same-shape", copy_into((3, 4)), real(3, 4))
add("copy_", "broadcast-source", copy_into((3, 4)), real(4))
add("copy_", "0-d-source", copy_into((2, 3)), real(), layouts=CONTIGUOUS)
add("copy_", "into-non-leaf", lambda x, s: (x * 2).copy_(s), real(3, 4), real(3, 4))
add("fill_", "non-leaf", lambda x: (x * 2).fill_(1.5), real(3, 4))
add("zero_", "non-leaf", lambda x: (x * 2).zero_(), real(3, 4))

# ---------------------------------------------------------------- the op families

# Each gradcheck_<family>.py (beside op_db_<family>.py) adds its cases through register(add, real)
# and lists its NON_DIFFERENTIABLE entries (name -> reason) and its ZERO_GRADIENT names.
FAMILY_CASES = [importlib.import_module(f"gradcheck_{family}") for family in OP_FAMILIES]
for _module in FAMILY_CASES:
    _module.register(add, real)

# ---------------------------------------------------------------- what is not checked, and why

ZERO_GRADIENT = set(ZERO_GRADIENT_UNARY) | {"floor_divide", "div_trunc", "div_floor", "fill_",
                                            "zero_"}
for _module in FAMILY_CASES:
    ZERO_GRADIENT |= set(_module.ZERO_GRADIENT)
BOOL_RESULT = "bool result: comparisons and logical ops have no gradient"
INTEGER_RESULT = "integer (index) result"
RANDOM = "random sampling: no gradient w.r.t. the sampled values"
CREATION = "creation op: no tensor input to differentiate"
INTEGER_INPUTS = "bitwise op: takes only integer and bool tensors, which never require grad"
# Elementwise .def rows take their reason from their type rule, so a new row needs none here.
RULE_REASONS = {"Comparison": BOOL_RESULT, "Logical": BOOL_RESULT, "Bitwise": INTEGER_INPUTS,
                "Shift": INTEGER_INPUTS, "Integral": INTEGER_INPUTS}
NON_DIFFERENTIABLE = {
    **{name: RULE_REASONS[rule] for name, rule in ember._C._elementwise_type_rules.items()
       if rule in RULE_REASONS},
    **dict.fromkeys(("logical_not", "all", "any", "isclose", "allclose", "equal"),
                    BOOL_RESULT),
    **dict.fromkeys(("argmax", "argmin", "nonzero"), INTEGER_RESULT),
    **dict.fromkeys(("bernoulli", "rand", "randn", "randint", "normal", "rand_like", "randn_like",
                     "bernoulli_", "normal_", "uniform_"), RANDOM),
    **dict.fromkeys(("zeros", "ones", "empty", "full", "arange", "linspace", "eye", "zeros_like",
                     "ones_like", "full_like", "empty_like", "tensor", "as_tensor",
                     "scalar_tensor", "from_numpy"), CREATION),
}
for _module in FAMILY_CASES:
    NON_DIFFERENTIABLE.update(_module.NON_DIFFERENTIABLE)

# ---------------------------------------------------------------- known ember bugs (strict)

# (op, note) -> reason, for the first-order and the second-order test separately.
KNOWN_FAILURES = {}
PROD_ZEROS = ("prod's gradient is not differentiable where two or more elements are zero: the "
              "rule returns a constant 0 there, so d2/dx_i dx_j (i, j zero) is 0 instead of the "
              "product of the other elements (PyTorch uses exclusive cumulative products)")
KNOWN_GRADGRAD_FAILURES = {("prod", "two-zeros"): PROD_ZEROS, ("prod", "all-two-zeros"): PROD_ZEROS}
KNOWN_ZERO_FAILURES = {}


def case_params(known):
    params = []
    for case in CASES:
        for layout in LAYOUTS:
            if layout not in case.layouts or not applies(layout, case.specs):
                continue
            marks = ()
            reason = known.get((case.op, case.note))
            if reason:
                marks = (pytest.mark.xfail(strict=True, reason=reason),)
            params.append(pytest.param(case, layout, id=f"{case.op}-{case.note}-{layout}",
                                       marks=marks))
    return params


def make_inputs(case, layout):
    rng = np.random.default_rng(zlib.crc32(f"{case.op}/{case.note}".encode()))
    return tuple(place(values_for(spec, rng), layout) for spec in case.specs)


# ---------------------------------------------------------------- the checks


@pytest.mark.parametrize("case,layout", case_params(KNOWN_FAILURES))
def test_gradcheck(case, layout):
    inputs = make_inputs(case, layout)
    assert gradcheck(case.fn, inputs)
    assert any(o.requires_grad for o in outputs_of(case.fn(*inputs))), "no output requires grad"


@pytest.mark.parametrize("case,layout", case_params(KNOWN_GRADGRAD_FAILURES))
def test_gradgradcheck(case, layout):
    inputs = make_inputs(case, layout)
    assert gradgradcheck(case.fn, inputs)


def outputs_of(result):
    return [o for o in (result if isinstance(result, tuple) else (result,))
            if isinstance(o, ember.Tensor) and o.dtype.is_floating_point]


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_ZERO_FAILURES[name]))
    if name in KNOWN_ZERO_FAILURES else name for name in sorted(ZERO_GRADIENT)])
def test_zero_gradient(name):
    """Piecewise-constant ops keep requires_grad and give a zero gradient, as in PyTorch."""
    for case in (c for c in CASES if c.op == name):
        inputs = make_inputs(case, "contiguous")
        output = case.fn(*inputs)
        assert output.requires_grad, f"{name} [{case.note}]: output does not require grad"
        grads = ember.autograd.grad(output, inputs, ember.ones_like(output), allow_unused=True)
        for grad in grads:
            assert grad is not None and not grad.detach().numpy().any(), (name, case.note, grad)


def test_op_db_is_covered():
    """Every op_db entry is checked here, has a zero gradient, or is listed with a reason."""
    checked = {case.op for case in CASES}
    names = {info.name for info in OP_DB}
    assert not checked & set(NON_DIFFERENTIABLE), checked & set(NON_DIFFERENTIABLE)
    assert checked >= ZERO_GRADIENT
    unaccounted = names - checked - set(NON_DIFFERENTIABLE)
    assert not unaccounted, f"op_db entries without gradient checks: {sorted(unaccounted)}"
    stale = (checked | set(NON_DIFFERENTIABLE)) - names
    assert not stale, f"not in op_db: {sorted(stale)}"
    notes = [(case.op, case.note) for case in CASES]
    assert len(notes) == len(set(notes)), "case notes must be unique per op"


@pytest.mark.parametrize("name", sorted(name for name, reason in NON_DIFFERENTIABLE.items()
                                         if reason in (BOOL_RESULT, INTEGER_RESULT)))
def test_non_differentiable_results_do_not_require_grad(name):
    """Ops with bool / integer results never produce a tensor that requires grad."""
    info = OPS_BY_NAME[name]
    for sample in info.sample_inputs(F64)[:3]:
        args = [ember.from_numpy(np.array(arg.values, dtype=np.float64)).requires_grad_()
                if hasattr(arg, "values") and arg.dtype == F64 else
                ember.from_numpy(np.array(arg.values)) if hasattr(arg, "values") else arg
                for arg in sample.args]
        result = info.op(*args, **sample.kwargs)
        for part in result if isinstance(result, tuple) else (result,):  # nonzero(as_tuple=True)
            assert not part.requires_grad and part.grad_fn is None, name


# ---------------------------------------------------------------- ties and casts


def test_maximum_tie_splits_gradient_evenly():
    x = ember.tensor([1.0, 2.0, 3.0], dtype=F64, requires_grad=True)
    y = ember.tensor([1.0, 0.0, 3.0], dtype=F64, requires_grad=True)
    ember.maximum(x, y).sum().backward()
    assert x.grad.tolist() == [0.5, 1.0, 0.5]
    assert y.grad.tolist() == [0.5, 0.0, 0.5]


def test_amax_tie_splits_gradient_evenly():
    x = ember.tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]], dtype=F64, requires_grad=True)
    x.amax(dim=1).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]]


def test_max_dim_tie_routes_gradient_to_the_returned_index():
    x = ember.tensor([[1.0, 3.0, 3.0]], dtype=F64, requires_grad=True)
    values, indices = ember.max(x, dim=1)
    values.sum().backward()
    expected = [0.0, 0.0, 0.0]
    expected[int(indices.item())] = 1.0
    assert x.grad.tolist() == [expected]


def test_cast_gradients_come_back_in_the_input_dtype():
    x = ember.tensor([1.0, -2.0, 0.5], dtype=F64, requires_grad=True)
    (x.to(ember.float32) * 3).sum().backward()
    assert x.grad.dtype == F64 and x.grad.tolist() == [3.0, 3.0, 3.0]
    w = ember.tensor([1.0, -2.0, 0.5], dtype=ember.float32, requires_grad=True)
    (w.double() ** 2).sum().backward()
    assert w.grad.dtype == ember.float32 and w.grad.tolist() == [2.0, -4.0, 1.0]
    h = ember.tensor([1.0, 2.0], dtype=ember.float16, requires_grad=True)
    (h.float() * 2).sum().backward()
    assert h.grad.dtype == ember.float16 and h.grad.tolist() == [2.0, 2.0]


def test_cast_to_the_same_dtype_is_a_no_op():
    x = ember.tensor([1.0, 2.0], dtype=F64, requires_grad=True)
    y = x.to(F64)
    assert y.is_leaf and y.grad_fn is None and y.data_ptr() == x.data_ptr()
    (y * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_cast_to_integer_has_no_gradient():
    x = ember.tensor([1.5, 2.5], dtype=F64, requires_grad=True)
    assert not x.to(ember.int64).requires_grad
    assert not x.long().requires_grad


def test_copy_from_another_dtype_routes_gradient_back():
    source = ember.tensor([1.0, 2.0, 3.0], dtype=ember.float32, requires_grad=True)
    target = ember.zeros(2, 3, dtype=F64)
    target.copy_(source)
    assert target.requires_grad
    (target * 2).sum().backward()
    assert source.grad.dtype == ember.float32 and source.grad.tolist() == [4.0, 4.0, 4.0]


# ---------------------------------------------------------------- gradcheck itself


class _WrongSquare(ember.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 3 * x  # should be 2x


class _DetachedSquare(ember.autograd.Function):
    """Right first derivative, but its backward is not differentiable w.r.t. x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * 2 * x.detach()


def leaf(*shape, seed=0):
    return ember.from_numpy(np.random.default_rng(seed).uniform(-1, 1, shape)).requires_grad_()


def test_gradcheck_reports_a_wrong_gradient():
    x = leaf(3)
    with pytest.raises(RuntimeError, match="Jacobian mismatch for output 0 with respect to "
                                           "input 0") as info:
        gradcheck(_WrongSquare.apply, (x,))
    assert isinstance(info.value, GradcheckError)
    assert "numerical" in str(info.value) and "analytical" in str(info.value)
    assert gradcheck(_WrongSquare.apply, (x,), raise_exception=False) is False


def test_gradgradcheck_reports_a_wrong_second_derivative():
    x = leaf(3)
    assert gradcheck(_DetachedSquare.apply, (x,))
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        gradgradcheck(_DetachedSquare.apply, (x,))
    assert gradgradcheck(_DetachedSquare.apply, (x,), raise_exception=False) is False


def test_gradcheck_names_the_input_and_output():
    x, y = leaf(2, seed=1), leaf(2, seed=2)

    def fn(a, b):
        return a * 2, _WrongSquare.apply(b)

    with pytest.raises(RuntimeError, match="for output 1 with respect to input 1"):
        gradcheck(fn, (x, y))


def test_gradcheck_restores_inputs_and_accepts_non_tensor_arguments():
    x = leaf(2, 3)
    before = x.detach().numpy().copy()
    assert gradcheck(lambda a, scale, dim: (a * scale).sum(dim), (x, 2.5, 1))
    assert gradgradcheck(lambda a, scale, dim: (a * scale).exp().sum(dim), (x, 2.5, 1))
    np.testing.assert_array_equal(x.detach().numpy(), before)
    assert x.grad is None


def test_gradcheck_only_checks_inputs_that_require_grad():
    x, c = leaf(3), ember.from_numpy(np.array([1.0, 2.0, 3.0]))
    assert gradcheck(lambda a, b: a * b, (x, c))
    assert gradcheck(lambda a: a.sin(), x)  # a single tensor for inputs


def test_gradcheck_with_explicit_grad_outputs():
    x = leaf(3)
    grad_output = ember.from_numpy(np.array([1.0, -2.0, 0.5])).requires_grad_()
    assert gradgradcheck(lambda a: a.tanh(), (x,), (grad_output,))
    assert gradgradcheck(lambda a: a.tanh(), x, grad_output)


def test_gradcheck_multiple_outputs_and_integer_outputs():
    x = leaf(3, 4)
    assert gradcheck(lambda a: (a.sin(), a.cos().sum(0)), (x,))
    assert gradcheck(lambda a: ember.max(a, dim=1), (x,))  # values and int64 indices


def test_gradcheck_detects_a_detached_output():
    x = leaf(3)
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        gradcheck(lambda a: a.detach() * 2, (x,))


def test_gradcheck_input_errors():
    with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
        gradcheck(lambda a: a * 2, (ember.ones(3, dtype=F64),))
    expanded = ember.ones(1, dtype=F64).expand(3).requires_grad_()
    with pytest.raises(RuntimeError, match="stride 0"):
        gradcheck(lambda a: a * 2, (expanded,))


def test_gradcheck_is_exported():
    assert ember.autograd.gradcheck is gradcheck
    assert "gradcheck" in ember.autograd.__all__ and "gradgradcheck" in ember.autograd.__all__
