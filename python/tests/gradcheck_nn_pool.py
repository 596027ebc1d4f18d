"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)): pooling.

Each case runs on contiguous, transposed and sliced leaves (test_gradcheck's layouts), to first
and second order: max pooling's gradient is a scatter_add at the saved indices (whose gradient
is a gather), average pooling's is the AvgPoolBackward primitive (whose gradient is average
pooling again). Random real inputs have no ties, so the maximum is differentiable there.
"""
import ember

NON_DIFFERENTIABLE = {}  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    F = ember.nn.functional
    add("nn.functional.max_pool1d", "padded dilated",
        lambda x: F.max_pool1d(x, 3, 2, 1, 2), real(2, 2, 9))
    add("nn.functional.max_pool1d_with_indices", "values",
        lambda x: F.max_pool1d_with_indices(x, 2)[0], real(2, 7))
    add("nn.functional.max_pool1d-return_indices", "values",
        lambda x: F.max_pool1d(x, 2, return_indices=True)[0], real(1, 2, 6))
    add("max_pool1d", "ceil", lambda x: ember.max_pool1d(x, 2, ceil_mode=True), real(2, 2, 7))
    add("max_pool1d_with_indices", "values",
        lambda x: ember.max_pool1d_with_indices(x, 3, 1)[0], real(2, 6))
    add("nn.functional.max_pool2d", "overlapping",
        lambda x: F.max_pool2d(x, 3, 2, 1), real(2, 2, 5, 6))
    add("nn.functional.max_pool2d", "unbatched", lambda x: F.max_pool2d(x, 2), real(2, 4, 5))
    add("nn.functional.max_pool2d_with_indices", "values",
        lambda x: F.max_pool2d_with_indices(x, (2, 3))[0], real(1, 2, 4, 6))
    add("nn.functional.max_pool2d-return_indices", "values",
        lambda x: F.max_pool2d(x, 2, ceil_mode=True, return_indices=True)[0], real(1, 2, 5, 5))
    add("max_pool2d", "dilated", lambda x: ember.max_pool2d(x, 2, 1, 0, 2), real(1, 2, 5, 5))
    add("nn.functional.max_pool3d", "3-d", lambda x: F.max_pool3d(x, 2, 1), real(1, 2, 3, 3, 4))
    add("nn.functional.max_pool3d_with_indices", "values",
        lambda x: F.max_pool3d_with_indices(x, 2)[0], real(2, 4, 4, 4))
    add("nn.functional.max_pool3d-return_indices", "values",
        lambda x: F.max_pool3d(x, 2, return_indices=True)[0], real(1, 1, 4, 4, 4))
    add("max_pool3d", "padded", lambda x: ember.max_pool3d(x, 3, 2, 1), real(1, 2, 4, 3, 4))
    add("nn.functional.avg_pool1d", "padded", lambda x: F.avg_pool1d(x, 3, 2, 1), real(2, 2, 7))
    add("avg_pool1d", "exclude pad",
        lambda x: ember.avg_pool1d(x, 3, 2, 1, True, False), real(2, 2, 8))
    add("nn.functional.avg_pool2d", "overlapping exclude pad",
        lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False), real(2, 2, 5, 6))
    add("nn.functional.avg_pool2d", "divisor override",
        lambda x: F.avg_pool2d(x, 2, ceil_mode=True, divisor_override=3), real(2, 5, 5))
    add("nn.functional.avg_pool3d", "3-d", lambda x: F.avg_pool3d(x, 2, 1, 1),
        real(1, 2, 3, 4, 3))
    for dims, shape, size in ((1, (2, 3, 7), 3), (2, (2, 2, 5, 7), (3, 4)),
                              (3, (1, 2, 3, 5, 4), (2, 3, 2))):
        avg = getattr(F, f"adaptive_avg_pool{dims}d")
        top = getattr(F, f"adaptive_max_pool{dims}d")
        paired = getattr(F, f"adaptive_max_pool{dims}d_with_indices")
        add(f"nn.functional.adaptive_avg_pool{dims}d", "overlapping",
            lambda x, f=avg, s=size: f(x, s), real(*shape))
        add(f"nn.functional.adaptive_max_pool{dims}d", "overlapping",
            lambda x, f=top, s=size: f(x, s), real(*shape))
        add(f"nn.functional.adaptive_max_pool{dims}d_with_indices", "values",
            lambda x, f=paired, s=size: f(x, s)[0], real(*shape))
    add("adaptive_avg_pool1d", "growing", lambda x: ember.adaptive_avg_pool1d(x, 6),
        real(2, 2, 4))
    add("adaptive_max_pool1d", "values", lambda x: ember.adaptive_max_pool1d(x, 3)[0],
        real(2, 2, 7))
