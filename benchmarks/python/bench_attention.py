"""ember's scaled_dot_product_attention against PyTorch's from Python, measured in one process run.

The issue's cases: (batch 16, heads 4, seq 64, dim 32) and (1, 4, 1024, 64), float32, causal and
not, forward under no_grad and forward + backward (gradients of q, k and v), and forward +
backward with dropout_p 0.1 (ember's fused kernel draws the mask), on one thread by
default. PyTorch's F.scaled_dot_product_attention where it exists (torch >= 2.0); Debian's torch
1.13 has none, so there the reference is the computation PyTorch's CPU math path performs:
softmax(q k^T scale + mask) v. Each figure is the median of repeats (ms per call) after warm-up;
the speed ratio is torch/ember (> 1: ember is faster). Then the memory kept for backward at seq
1024: ember's allocator's live bytes after the forward (fused and math paths), torch's saved
tensors' bytes (saved_tensors_hooks). A benchmark, never a test.

    PYTHONPATH=<ember>:benchmarks/python /usr/bin/python3 benchmarks/python/bench_attention.py
"""

import importlib
import math

from bench_support import compare_cases

SHAPES = {"16x4x64x32": (16, 4, 64, 32), "1x4x1024x64": (1, 4, 1024, 64)}


def attention_of(lib):
    """lib's scaled_dot_product_attention, or PyTorch's math-path composite where it has none."""
    functional = importlib.import_module(lib.__name__ + ".nn.functional")
    if hasattr(functional, "scaled_dot_product_attention"):
        return functional.scaled_dot_product_attention

    def composite(q, k, v, is_causal=False, dropout_p=0.0):
        scores = q @ k.transpose(-2, -1) * (1.0 / math.sqrt(q.shape[-1]))
        if is_causal:
            length = q.shape[-2]
            keep = lib.ones(length, length, dtype=lib.bool).tril()
            scores = scores.masked_fill(keep.logical_not(), float("-inf"))
        weights = lib.softmax(scores, -1)
        if dropout_p > 0.0:
            weights = functional.dropout(weights, dropout_p)
        return weights @ v

    return composite


def cases(lib):
    sdpa = attention_of(lib)
    lib.manual_seed(0)
    found = {}
    for shape_name, shape in SHAPES.items():
        q, k, v = (lib.randn(*shape) for _ in range(3))
        grads = [t.clone().requires_grad_() for t in (q, k, v)]
        for causal in (False, True):
            def forward(q=q, k=k, v=v, causal=causal):
                with lib.no_grad():
                    sdpa(q, k, v, is_causal=causal)

            def forward_backward(grads=grads, causal=causal):
                sdpa(*grads, is_causal=causal).sum().backward()
                for t in grads:
                    t.grad = None

            label = f"sdpa {shape_name}{' causal' if causal else ''}"
            found[f"{label} forward"] = forward
            found[f"{label} forward + backward"] = forward_backward

        def dropout_forward_backward(grads=grads):
            sdpa(*grads, dropout_p=0.1).sum().backward()
            for t in grads:
                t.grad = None

        found[f"sdpa {shape_name} dropout 0.1 forward + backward"] = dropout_forward_backward
    return found


def memory_report():
    """Bytes kept for backward at (1, 4, 1024, 64), causal, float32."""
    ember = importlib.import_module("ember")
    shape = SHAPES["1x4x1024x64"]
    rows = [f"| {name} | {held / 2**20:.2f} MiB |" for name, held in ember_memory(ember, shape)]
    try:
        torch = importlib.import_module("torch")
        fused = hasattr(torch.nn.functional, "scaled_dot_product_attention")
        held = torch_saved_bytes(torch, shape) / 2**20
        rows.append(f"| torch {'sdpa' if fused else 'math composite'} | {held:.2f} MiB |")
    except ImportError:
        pass
    print("\n| memory kept for backward, seq 1024 | bytes |\n|---|---|")
    print("\n".join(rows))


def ember_memory(ember, shape):
    math_path = ember._C._nn._scaled_dot_product_attention_math
    paths = (("ember fused", ember.nn.functional.scaled_dot_product_attention),
             ("ember math composite", lambda *a, **kw: math_path(*a, **kw)[0]))
    for name, op in paths:
        q, k, v = (ember.randn(*shape).requires_grad_() for _ in range(3))
        before = ember._C._allocator_stats()["allocated_bytes"]
        out = op(q, k, v, is_causal=True)
        held = ember._C._allocator_stats()["allocated_bytes"] - before
        out.sum().backward()
        yield name, held


def torch_saved_bytes(torch, shape):
    sdpa = attention_of(torch)
    q, k, v = (torch.randn(*shape).requires_grad_() for _ in range(3))
    inputs = {t.data_ptr() for t in (q, k, v)}
    saved = {}

    def pack(t):
        if t.data_ptr() not in inputs:
            saved[t.data_ptr()] = t.numel() * t.element_size()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = sdpa(q, k, v, is_causal=True)
    return sum(saved.values()) + out.numel() * out.element_size()


if __name__ == "__main__":
    compare_cases(cases, __doc__.splitlines()[0], unit="ms", speed=True)
    memory_report()
