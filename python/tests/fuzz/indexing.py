"""The indexing fuzzer: random keys for x[key], x[key] = value and index_select, against numpy.

Keys mix ints, slices (steps 1-3, empty ones like 1:1:2 included), None, Ellipsis, integer
tensors and lists, bool masks and Python bools, on tensors in random layouts with zero-size
dims. numpy places the dims of advanced indices separated by an int differently from PyTorch
(which applies ints first, as select), so keys with tensor or list indices get no ints.
"""
import numpy as np
from op_db import dtype_name

import ember

from . import known
from .opcall import Arg, matches, untouched

DTYPES = (ember.float32, ember.int64, ember.bool, ember.float16, ember.uint8)


def random_values(rng, shape, dtype):
    if dtype == ember.bool:
        return rng.random(shape) < 0.5
    if dtype.is_floating_point:
        return rng.uniform(-4, 4, shape).astype(np.float16 if dtype == ember.float16
                                                 else np.float32)
    return rng.integers(0, 100, shape).astype(np.uint8 if dtype == ember.uint8 else np.int64)


class Tensorish:
    """An index tensor: its numpy values and the expression that makes it."""

    def __init__(self, values):
        self.values = np.asarray(values)
        if self.values.dtype == np.bool_:
            self.tensor = ember.from_numpy(self.values.copy())
        else:
            self.tensor = ember.from_numpy(self.values.astype(np.int64))
        kind = "ember.bool" if self.values.dtype == np.bool_ else "ember.int64"
        self.text = f"ember.tensor({self.values.tolist()!r}, dtype={kind})" if self.values.size \
            else f"ember.zeros({tuple(self.values.shape)}, dtype={kind})"


def random_key(rng, shape):
    advanced = rng.random() < 0.6
    key, dim, used_ellipsis = [], 0, False
    while dim < len(shape) and rng.random() < 0.8:
        size = shape[dim]
        choice = rng.integers(7)
        if choice == 0 and not advanced:
            key.append(int(rng.integers(-size - 1, size + 1)) if size else 0)
        elif choice in (1, 2):
            start = int(rng.integers(-size - 1, size + 2))
            stop = int(rng.integers(-size - 1, size + 2))
            key.append(slice(start if rng.random() < 0.7 else None,
                             stop if rng.random() < 0.7 else None, int(rng.integers(1, 4))))
        elif choice == 3:
            key.append(None)
            continue
        elif choice == 4 and advanced:
            count = int(rng.integers(0, 4))
            low = -size if size else 0
            values = rng.integers(low, max(size, 1), count) if size else np.zeros(0, np.int64)
            if rng.random() < 0.1:
                values = np.append(values, size + 2)  # out of range: must raise IndexError
            key.append(Tensorish(values) if rng.random() < 0.7 else values.tolist())
        elif choice == 5 and advanced:
            key.append(Tensorish(rng.random(shape[dim:dim + 1]) < 0.5))
        elif choice == 6 and not used_ellipsis:
            # Covering at least one dim: numpy separates advanced indices by an empty Ellipsis,
            # PyTorch does not.
            key.append(Ellipsis)
            used_ellipsis = True
            dim += int(rng.integers(1, len(shape) - dim + 1))
            continue
        else:
            key.append(slice(None))
        dim += 1
    if rng.random() < 0.05:
        key.insert(0, bool(rng.random() < 0.5))
    return tuple(key)


def numpy_key(key):
    return tuple(k.values if isinstance(k, Tensorish) else
                 np.asarray(k, dtype=np.int64) if isinstance(k, list) else k for k in key)


def mask_mismatch(key, shape):
    """A bool index whose shape differs from the dims it covers: PyTorch refuses it, numpy
    accepts an empty 1-D one anywhere (as an empty integer index)."""
    def width(k):
        if k is None or k is Ellipsis or isinstance(k, bool):
            return 0
        return k.values.ndim if isinstance(k, Tensorish) and k.values.dtype == bool else 1

    dim = 0
    for k in key:
        if k is Ellipsis:
            dim += len(shape) - sum(width(j) for j in key)
        elif (isinstance(k, Tensorish) and k.values.dtype == bool
              and k.values.shape != tuple(shape[dim:dim + k.values.ndim])):
            return True
        dim += width(k)
    return False


def ember_key(key):
    return tuple(k.tensor if isinstance(k, Tensorish) else k for k in key)


def key_text(key):
    def one(k):
        if isinstance(k, Tensorish):
            return k.text
        if isinstance(k, slice):
            return ":".join("" if v is None else str(v) for v in (k.start, k.stop, k.step))
        return "..." if k is Ellipsis else repr(k)

    return ", ".join(one(k) for k in key) if key else "()"


class IndexCase:
    def __init__(self, seed, index):
        self.seed, self.index = seed, index
        rng = np.random.default_rng([seed, index, 3])
        rank = int(rng.integers(1, 5))
        shape = tuple(0 if rng.random() < 0.1 else int(rng.integers(1, 6)) for _ in range(rank))
        self.dtype = DTYPES[rng.integers(len(DTYPES))]
        layout = ("contiguous", "transposed", "stepped")[rng.integers(3)]
        self.x = Arg(random_values(rng, shape, self.dtype), self.dtype, layout, rng)
        self.key = random_key(rng, shape)
        self.op = ("getitem", "getitem", "setitem_scalar", "setitem_tensor",
                   "index_select")[rng.integers(5)]
        self.scalar = random_values(rng, (), self.dtype).item()
        self.dim = int(rng.integers(-rank, rank))
        # index_select takes no negative indices (PyTorch: "index out of range in self").
        self.select = Tensorish(rng.integers(0, shape[self.dim], int(rng.integers(0, 4)))
                                if shape[self.dim] else np.zeros(0, np.int64))
        self.rng_state = int(rng.integers(2**32))

    def describe(self):
        return (f"{self.op}: x {tuple(self.x.values.shape)}/{dtype_name(self.dtype)}/"
                f"{self.x.layout}, key [{key_text(self.key)}]")

    def repro(self):
        lines = ["import ember", f"x = {self.x.text}"]
        if self.op == "getitem":
            lines.append(f"print(x[{key_text(self.key)}])")
        elif self.op == "index_select":
            lines.append(f"print(ember.index_select(x, {self.dim}, {self.select.text}))")
        else:
            value = repr(self.scalar) if self.op == "setitem_scalar" else "value"
            if self.op == "setitem_tensor":
                lines.append("value = ...  # a tensor of x[key]'s shape, see fuzz/indexing.py")
            lines.append(f"x[{key_text(self.key)}] = {value}\nprint(x)")
        return "\n".join(lines)

    def expected(self):
        values = self.x.values.copy()
        if self.op == "index_select":
            return np.take(values, self.select.values, axis=self.dim)
        if mask_mismatch(self.key, values.shape):
            raise IndexError("a bool index does not match the shape of the dims it covers")
        return values[numpy_key(self.key)]

    def check(self):
        reason = known.index_reason(self)
        if reason:
            return "skip", reason
        try:
            selected, refused = self.expected(), None
        except (IndexError, ValueError) as error:
            selected, refused = None, error
        try:
            result = self.run(selected)
        except known.TYPED as error:
            status, detail = known.classify_error(error)
            if status == "error" and refused is None:
                return "fail", f"raised {detail}, but numpy computes a result"
            return status, detail
        except Exception as error:  # noqa: BLE001 -- any other exception is the finding
            return "fail", f"untyped exception {type(error).__name__}: {str(error)[:300]}"
        if refused is not None:
            return "fail", f"accepted a key numpy refuses ({refused})"
        if self.x.around is not None and not untouched(self.x.around, self.dtype):
            return "fail", "wrote outside the indexed tensor's elements"
        expected = self.written if self.op.startswith("setitem") else selected
        if expected is None:
            return "ok", ""
        problem = matches(result, expected, self.dtype, "exact", 1)
        return ("fail", problem) if problem else ("ok", "")

    def run(self, expected):
        x = self.x.tensor
        if self.op == "getitem":
            return x[ember_key(self.key)]
        if self.op == "index_select":
            return ember.index_select(x, self.dim, self.select.tensor)
        target = self.x.values.copy()
        if self.op == "setitem_scalar":
            value = self.scalar
            target[numpy_key(self.key)] = value
        else:
            shape = np.shape(expected) if expected is not None else ()
            rng = np.random.default_rng(self.rng_state)
            numbers = random_values(rng, shape, self.dtype)
            value = ember.from_numpy(np.array(numbers, order="C")).to(self.dtype)
            target[numpy_key(self.key)] = numbers
            if duplicated(self.key):  # which duplicate wins is unspecified
                target = None
        x[ember_key(self.key)] = value
        self.written = target
        return x


def duplicated(key):
    for k in key:
        values = k.values if isinstance(k, Tensorish) else np.asarray(k) if isinstance(
            k, list) else None
        if values is not None and values.dtype != np.bool_ and values.size and (
                len(np.unique(values)) != values.size or (values < 0).any()):
            return True
    return False
