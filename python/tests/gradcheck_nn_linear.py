"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
nn.functional's linear ops.

Each case runs on contiguous, transposed and sliced leaves (test_gradcheck's layouts); the
"broadcast" cases pass an expanded input or a bias that broadcasts over the batch.
"""
import ember

NON_DIFFERENTIABLE = {}  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    linear = ember.nn.functional.linear
    add("nn.functional.linear", "2-d bias", linear, real(3, 4), real(2, 4), real(2))
    add("nn.functional.linear", "no bias", linear, real(3, 4), real(2, 4))
    add("nn.functional.linear", "3-d input", linear, real(2, 2, 3), real(2, 3), real(2))
    add("nn.functional.linear", "1-d input", linear, real(3), real(2, 3), real(2))
    add("nn.functional.linear", "1-d weight", linear, real(2, 3), real(3))
    add("nn.functional.linear", "broadcast input",
        lambda x, w, b: linear(x.expand(3, 4), w, b), real(4), real(2, 4), real(2))
    add("nn.functional.linear", "broadcast bias", linear, real(2, 2, 3), real(2, 3), real(2, 2))
    for name, bilinear in (("nn.functional.bilinear", ember.nn.functional.bilinear),
                           ("bilinear", ember.bilinear)):
        add(name, "bias", bilinear, real(2, 3), real(2, 2), real(2, 3, 2), real(2))
        add(name, "no bias", bilinear, real(2, 3), real(2, 2), real(2, 3, 2))
        add(name, "3-d input", bilinear, real(2, 1, 2), real(2, 1, 3), real(2, 2, 3))
        add(name, "broadcast input",
            lambda x1, x2, w, b, op=bilinear: op(x1.expand(3, 2), x2, w, b),
            real(2), real(3, 2), real(2, 2, 2), real(2))
