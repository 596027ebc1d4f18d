"""Issue 11's target "scaled_dot_product_attention at seq 1024 uses O(L) extra memory", at
L = S = 1024 and 2048, forward and backward: what autograd keeps after the forward (the
allocator's live bytes) and the peak resident memory of forward + backward in a fresh process
(getrusage's ru_maxrss), each under a bound linear in L that an L x S float32 matrix exceeds (the
allocator measure is also checked to stay below an eighth of that matrix)."""
import subprocess
import sys

import numpy as np
import pytest

import ember

sdpa = ember.nn.functional.scaled_dot_product_attention

HEAD_DIM = 16
MIB = 1 << 20


def inputs(length, seed=0):
    rng = np.random.default_rng(seed)
    return [ember.tensor(rng.uniform(-1, 1, (1, length, HEAD_DIM)), dtype=ember.float32)
            .requires_grad_() for _ in range(3)]


@pytest.mark.parametrize("length", [1024, 2048])
@pytest.mark.parametrize("causal", [False, True])
def test_forward_keeps_linear_memory_for_backward(length, causal):
    q, k, v = inputs(length)
    before = ember._C._allocator_stats()["allocated_bytes"]
    out = sdpa(q, k, v, is_causal=causal)
    held = ember._C._allocator_stats()["allocated_bytes"] - before
    out.sum().backward()
    # out (L x E) and the row log-sum-exp (L), with allocator rounding.
    assert held <= length * (HEAD_DIM + 1) * 4 + 65536
    assert held < length * length * 4 // 8


# Forward + backward of one call in a fresh process: the growth of the peak resident set (bytes)
# from after a small warm-up call (code pages, thread pool, allocator) to after the big call.
PEAK_SCRIPT = f"""
import resource, sys
import numpy as np
import ember
length, path = int(sys.argv[1]), sys.argv[2]
fused = ember.nn.functional.scaled_dot_product_attention
math = lambda *a, **kw: ember._C._nn._scaled_dot_product_attention_math(*a, **kw)[0]
op = fused if path == "fused" else math
rng = np.random.default_rng(0)
q, k, v = (ember.tensor(rng.uniform(-1, 1, (1, length, {HEAD_DIM})), dtype=ember.float32)
           .requires_grad_() for _ in range(3))
op(q[:, :128], k[:, :128], v[:, :128]).sum().backward()
grad = ember.ones(1, length, {HEAD_DIM})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
op(q, k, v).backward(grad)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024)
"""


def peak_growth(length, path):
    result = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(length), path],
                            capture_output=True, text=True, check=True, timeout=300)
    return int(result.stdout.strip())


def linear_bound(length):
    """Room for out, lse, the output gradient and three input gradients, and some page slack."""
    return 2 * MIB + 32 * length * HEAD_DIM * 4


@pytest.mark.parametrize("length", [1024, 2048])
def test_forward_and_backward_peak_memory_is_linear(length):
    assert peak_growth(length, "fused") <= linear_bound(length)

