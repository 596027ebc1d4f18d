"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)): max
unpooling.

Each case runs on contiguous, transposed and sliced leaves (test_gradcheck's layouts), to first
and second order: the gradient of unpooling is the gather of the output's gradient at the
indices (whose gradient scatters again). The indices come from a max pool of a fixed input, so
no two values of a plane share an index.
"""
import ember

NON_DIFFERENTIABLE = {}  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def _indices(pool, shape, *args):
    x = ember.arange(0, 1, 1 / (ember.tensor(shape).prod().item()), dtype=ember.float64)
    x = (x * 37.0).sin().reshape(shape)
    return pool(x, *args, return_indices=True)[1]


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    F = ember.nn.functional
    i1 = _indices(F.max_pool1d, (2, 3, 8), 2)
    add("nn.functional.max_unpool1d", "kernel 2", lambda x: F.max_unpool1d(x, i1, 2),
        real(2, 3, 4))
    add("nn.functional.max_unpool1d", "broadcast",
        lambda x: F.max_unpool1d(x.expand(2, 3, 4), i1, 2), real(3, 4))
    # Windows that do not overlap: overlapping ones can share a maximum (a repeated index).
    i2 = _indices(F.max_pool2d, (2, 2, 5, 6), 3, 3, 1)
    add("nn.functional.max_unpool2d", "padded output_size",
        lambda x: F.max_unpool2d(x, i2, 3, 3, 1, output_size=(5, 6)), real(2, 2, 2, 2))
    i2u = _indices(F.max_pool2d, (3, 4, 4), 2)
    add("nn.functional.max_unpool2d", "unbatched", lambda x: F.max_unpool2d(x, i2u, 2),
        real(3, 2, 2))
    i3 = _indices(F.max_pool3d, (1, 2, 4, 4, 4), 2)
    add("nn.functional.max_unpool3d", "kernel 2", lambda x: F.max_unpool3d(x, i3, 2),
        real(1, 2, 2, 2, 2))
