"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)): the
packed-sequence ops, to first and second order, batch-first or not, with trailing feature dims,
and pad_sequence on right and left padding."""
from ember._C import _nn

import ember

NON_DIFFERENTIABLE = {}  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def lengths(*values):
    return ember.tensor(list(values), dtype=ember.int64)


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    add("_pack_padded_sequence", "time-major",
        lambda x: ember._pack_padded_sequence(x, lengths(3, 2, 1), False)[0], real(3, 3))
    add("_pack_padded_sequence", "batch_first with features",
        lambda x: ember._pack_padded_sequence(x, lengths(2, 1), True)[0], real(2, 3, 2))
    add("_pad_packed_sequence", "time-major",
        lambda data: ember._pad_packed_sequence(data, lengths(2, 1), False, 0.0, 2)[0],
        real(3, 2))
    add("_pad_packed_sequence", "batch_first, total_length 4",
        lambda data: ember._pad_packed_sequence(data, lengths(3, 3, 1), True, -1.0, 4)[0],
        real(7))
    add("pad_sequence", "right", lambda a, b: _nn.pad_sequence([a, b]), real(3, 2), real(1, 2))
    add("pad_sequence", "left, batch_first",
        lambda a, b: _nn.pad_sequence([a, b], True, 0.5, "left"), real(2), real(4))
    add("_pack_padded_sequence", "expanded batch",
        lambda x: ember._pack_padded_sequence(x.expand(2, 3, 2), lengths(2, 2, 1), False)[0],
        real(2, 1, 2))
    add("_pad_packed_sequence", "expanded data",
        lambda data: ember._pad_packed_sequence(data.expand(3, 2), lengths(2, 1), False, 0.0, 3)[0],
        real(1, 2))
