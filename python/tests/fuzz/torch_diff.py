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
from op_db import dtype_name, tolerance

import ember

from . import graph, known, opcall

TYPED = opcall.TYPED


def torch_text(text):
    return text.replace("ember.", "torch.")


def to_numpy(tensor):
    if isinstance(tensor, torch.Tensor):
        tensor = tensor.detach()
        if tensor.dtype == torch.bfloat16:
            tensor = tensor.float()
        return tensor.numpy().copy()
    return opcall.as_numpy(tensor.detach())


def compare(ember_value, torch_value, kind="elementwise", k=1):
    """"" when an ember result and a torch result agree, else how they differ."""
    if isinstance(torch_value, (tuple, list)):
        if not isinstance(ember_value, (tuple, list)) or len(ember_value) != len(torch_value):
            return f"ember returned {type(ember_value).__name__}, torch a sequence"
        for mine, theirs in zip(ember_value, torch_value):
            problem = compare(mine, theirs, kind, k)
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
    got, want = to_numpy(ember_value).astype(np.float64), to_numpy(torch_value).astype(np.float64)
    rtol, atol = tolerance(ember_value.dtype, kind, k)
    with np.errstate(all="ignore"):
        same = (np.abs(got - want) <= atol + rtol * np.abs(want)) | (got == want) | (
            np.isnan(got) & np.isnan(want))
    if bool(np.all(same)):
        return ""
    bad = tuple(int(i) for i in np.argwhere(~same)[0])
    return f"values differ ({int((~same).sum())} of {same.size}), at {bad}: " \
           f"{got[bad]!r} vs torch {want[bad]!r}"


def outcome(function):
    try:
        return function(), None
    except TYPED as error:
        return None, f"{type(error).__name__}: {str(error)[:160]}"


class DiffOpCase(opcall.OpCase):
    def run_torch(self):
        def convert(a):
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
        mine, my_error = outcome(self.run)
        theirs, their_error = outcome(self.run_torch)
        if my_error and their_error:
            return "error", my_error
        if my_error:
            return "fail", f"ember raised, torch did not: {my_error}"
        if their_error:
            return "fail", f"torch raised, ember did not: {their_error}"
        problem = compare(mine, theirs, self.info.kind, self.sample.k)
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
            shapes = [tuple(o.shape) for o in graph.replay(
                ember, self.program, graph.make_leaves(self.program))]
        rng = np.random.default_rng([self.seed, self.index, 2])
        weights = [rng.uniform(-1, 1, shape).tolist() for shape in shapes]
        mine, my_error = outcome(lambda: run_graph(ember, self.program, weights))
        theirs, their_error = outcome(lambda: run_graph(torch, self.program, weights))
        if my_error and their_error:
            return "error", my_error
        if my_error or their_error:
            who = "ember" if my_error else "torch"
            return "fail", f"only {who} raised: {my_error or their_error}"
        for what, a, b in (("forward", mine[0], theirs[0]), ("gradient", mine[1], theirs[1])):
            problem = compare(list(a), list(b), "reduction", 16)
            if problem:
                return "fail", f"{what}: {problem}"
        return "ok", ""
