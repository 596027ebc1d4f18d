"""The fuzz cases run differentially against PyTorch (not in CI: PyTorch is never a test
dependency). `python tools/fuzz.py torch-ops --seed S --iterations N` (and torch-graph) in an
environment where both ember and torch import.

Each case is built exactly as the ember-only fuzzers build it; the same call runs on torch
tensors with the same values, dtypes and layouts, and the two must agree on raising or not, and
otherwise on dtype, shape and values (RELIABILITY tolerances; NaN equals NaN). For graphs the
forward outputs and the gradients of sum(output * weights) w.r.t. every leaf are compared.
"""
import numpy as np
import torch
from op_db import dtype_name

import ember

from . import graph, indexing, known, opcall

TYPED = opcall.TYPED
OVERLAP = "more than one element of the written-to tensor"


def torch_text(text):
    return text.replace("ember.", "torch.")


def to_numpy(tensor):
    if isinstance(tensor, torch.Tensor):
        tensor = tensor.detach()
        if tensor.dtype == torch.bfloat16:
            tensor = tensor.float()
        return tensor.numpy().copy()
    return opcall.as_numpy(tensor.detach())


def compare(ember_value, torch_value, kind="elementwise", k=1, scale=0.0):
    """"" when an ember result and a torch result agree, else how they differ."""
    if isinstance(torch_value, (tuple, list)):
        if not isinstance(ember_value, (tuple, list)) or len(ember_value) != len(torch_value):
            return f"ember returned {type(ember_value).__name__}, torch a sequence"
        for mine, theirs in zip(ember_value, torch_value):
            problem = compare(mine, theirs, kind, k, scale)
            if problem:
                return problem
        return ""
    if not isinstance(torch_value, torch.Tensor):
        return "" if ember_value == torch_value else f"{ember_value!r} vs {torch_value!r}"
    if not isinstance(ember_value, ember.Tensor):
        return f"ember returned {type(ember_value).__name__}"
    theirs = str(torch_value.dtype).removeprefix("torch.")
    mine = dtype_name(ember_value.dtype)
    if mine != theirs:
        return f"dtype {mine} vs torch {theirs}"
    if tuple(ember_value.shape) != tuple(torch_value.shape):
        return f"shape {tuple(ember_value.shape)} vs torch {tuple(torch_value.shape)}"
    if kind == "reduction" and ember_value.dtype in (ember.float16, ember.bfloat16):
        kind = "reduction_reduced"  # PyTorch 1.13 accumulates some of these in low precision
    problem = opcall.matches(ember_value, to_numpy(torch_value),
                             ember_value.dtype, "reduction" if kind == "reduction_reduced"
                             else kind, 4 * k if kind == "reduction_reduced" else k, scale)
    return problem.replace("values differ", "values differ from torch's") if problem else ""


def outcome(function):
    try:
        return function(), None
    except (*TYPED, AttributeError) as error:
        return None, f"{type(error).__name__}: {str(error)[:160]}"


# PyTorch 1.13 has no CPU kernel for some ops in float16 / bfloat16, and takes no Python scalar
# where ember accepts one (maximum(0.5, t)): no verdict on ember then.
TORCH_GAPS = ("not implemented for 'Half'", "not implemented for 'BFloat16'",
              "must be Tensor, not", "received an invalid combination of arguments",
              "has no attribute")


def torch_gap(error):
    return error is not None and any(gap in error for gap in TORCH_GAPS)


class DiffOpCase(opcall.OpCase):
    def run_torch(self):
        def convert(a):
            if isinstance(a, ember.dtype):
                return getattr(torch, dtype_name(a))
            return eval(torch_text(a.text), {"torch": torch}) if isinstance(a, opcall.Arg) else a

        args = [convert(a) for a in self.args]
        kwargs = {key: convert(value) for key, value in self.kwargs.items()}
        if self.variant == "op":
            op = self.info.op
            if (getattr(op, "__module__", "") or "").startswith("ember"):
                op = getattr(torch, op.__name__)
            return op(*args, **kwargs)
        return self.info.variant("method" if self.variant == "method" else "inplace")(
            *args, **kwargs)

    def check(self):
        reason = known.opcall_reason(self)
        if reason:
            return "skip", reason
        if self.unspecified_conversion():
            return "skip", "float to integer conversion of NaN, inf or out-of-range values"
        mine, my_error = outcome(self.run)
        theirs, their_error = outcome(self.run_torch)
        if torch_gap(their_error):
            return "skip", f"PyTorch 1.13 gap: {their_error[:80]}"
        if my_error and their_error:
            return "error", my_error
        if my_error and OVERLAP in my_error:
            first = self.args[0]
            if isinstance(first, opcall.Arg) and first.values.size == 0:
                return "skip", "issue 6 spurious errors: overlap error on a 0-element tensor"
            # B16: ember refuses every write into a stride-0 tensor; PyTorch 1.13 not always.
            return "skip", "ember stricter than PyTorch 1.13: write into an expanded tensor"
        if my_error:
            return "fail", f"ember raised, torch did not: {my_error}"
        if their_error:
            return "fail", f"torch raised, ember did not: {their_error}"
        problem = compare(mine, theirs, self.info.kind, self.k, self.scale())
        return ("fail", problem) if problem else ("ok", "")


def run_graph(lib, program, weights):
    leaves = graph.make_leaves(program, lib)
    outputs = graph.replay(lib, program, leaves)
    loss = sum((o * lib.tensor(w, dtype=lib.float64)).sum() for o, w in zip(outputs, weights))
    grads = lib.autograd.grad([loss], leaves, allow_unused=True) if loss.requires_grad else \
        [None] * len(leaves)
    return outputs, [g if g is not None else lib.zeros_like(leaf)
                     for g, leaf in zip(grads, leaves)]


class DiffGraphCase(graph.GraphCase):
    def check(self):
        reason = known.graph_reason(self.program)
        if reason:
            return "skip", reason
        with ember.no_grad():
            outputs, error = outcome(lambda: graph.replay(ember, self.program,
                                                          graph.make_leaves(self.program)))
        if error:
            return "error", error
        rng = np.random.default_rng([self.seed, self.index, 2])
        weights = [rng.uniform(-1, 1, tuple(o.shape)).tolist() for o in outputs]
        mine, my_error = outcome(lambda: run_graph(ember, self.program, weights))
        theirs, their_error = outcome(lambda: run_graph(torch, self.program, weights))
        for reason, piece in known.MESSAGES:
            if my_error and piece in my_error:
                return "skip", reason
        if my_error and their_error:
            return "error", my_error
        if their_error and "modified by an inplace operation" in their_error:
            # ember keeps what backward needs here; its gradient must then be right.
            status, detail = super().check()
            return status, f"torch refuses (saved tensor modified), ember: {status} {detail}"
        if my_error or their_error:
            who = "ember" if my_error else "torch"
            return "fail", f"only {who} raised: {my_error or their_error}"
        for what, a, b in (("forward", mine[0], theirs[0]), ("gradient", mine[1], theirs[1])):
            problem = compare(list(a), list(b), "reduction", 16)
            if problem:
                return "fail", f"{what}: {problem}"
        return "ok", ""


class DiffIndexCase(indexing.IndexCase):
    def torch_key(self):
        return tuple(torch.from_numpy(k.values.copy()) if isinstance(k, indexing.Tensorish)
                     else k for k in self.key)

    def run_torch(self, value):
        x = eval(torch_text(self.x.text), {"torch": torch})
        if self.op == "getitem":
            return x[self.torch_key()]
        if self.op == "index_select":
            return torch.index_select(x, self.dim, torch.from_numpy(
                self.select.values.astype(np.int64)))
        x[self.torch_key()] = value
        return x

    def check(self):
        reason = known.index_reason(self)
        if reason:
            return "skip", reason
        value = self.scalar if self.op == "setitem_scalar" else None
        if self.op == "setitem_tensor":  # a value of the shape torch gives x[key]
            selected, _ = outcome(lambda: eval(torch_text(self.x.text), {"torch": torch})[
                self.torch_key()])
            shape = tuple(selected.shape) if selected is not None else ()
            value = np.asarray(indexing.random_values(np.random.default_rng(self.rng_state),
                                                      shape, self.dtype))
        mine, my_error = outcome(lambda: self.run_ember(value))
        theirs, their_error = outcome(lambda: self.run_torch(
            torch.from_numpy(np.array(value)) if isinstance(value, np.ndarray) else value))
        if my_error and their_error:
            return "error", my_error
        if my_error or their_error:
            who = "ember" if my_error else "torch"
            return "fail", f"only {who} raised: {my_error or their_error}"
        problem = compare(mine, theirs, "exact")
        return ("fail", problem) if problem else ("ok", "")

    def run_ember(self, value):
        x = self.x.tensor
        if self.op == "getitem":
            return x[indexing.ember_key(self.key)]
        if self.op == "index_select":
            return ember.index_select(x, self.dim, self.select.tensor)
        if isinstance(value, np.ndarray):
            value = ember.from_numpy(np.array(value, order="C")).to(self.dtype)
        x[indexing.ember_key(self.key)] = value
        return x


CASES = {"torch-ops": DiffOpCase, "torch-index": DiffIndexCase, "torch-graph": DiffGraphCase}
