"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
nn.functional's padding, embedding, pixel-shuffle and fold ops.

Each case runs on contiguous, transposed and sliced leaves (test_gradcheck's layouts); the
"broadcast" cases pass an expanded input.
"""
import ember

NON_DIFFERENTIABLE = {}  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    pad = ember.nn.functional.pad
    add("nn.functional.pad", "constant", lambda x: pad(x, (1, 2, 0, 1), value=0.5), real(2, 3, 4))
    add("nn.functional.pad", "constant crop", lambda x: pad(x, (-1, 2, 1, -1)), real(2, 3, 4))
    for mode in ("reflect", "replicate", "circular"):
        add("nn.functional.pad", f"{mode} 1d", lambda x, m=mode: pad(x, (2, 3), mode=m),
            real(2, 3, 4))
        add("nn.functional.pad", f"{mode} 2d", lambda x, m=mode: pad(x, (1, 2, 2, 1), mode=m),
            real(2, 3, 4))
        add("nn.functional.pad", f"{mode} 3d",
            lambda x, m=mode: pad(x, (1, 0, 1, 1, 0, 2), mode=m), real(1, 3, 3, 4))
        add("nn.functional.pad", f"{mode} broadcast",
            lambda x, m=mode: pad(x.expand(2, 3, 4), (2, 1), mode=m), real(3, 4))
