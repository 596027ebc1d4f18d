"""op_db entries of one op family: nn.functional's padding, embedding, pixel-shuffle and fold ops
(named nn.functional.<name>).

pad against np.pad (constant, reflect, edge, wrap) after cropping the negative pads.
"""
import numpy as np
from op_db import ALL, Input, OpInfo, Sample, make_values, shape_tag

import ember

NUMPY_PAD_MODES = {"constant": "constant", "reflect": "reflect", "replicate": "edge",
                   "circular": "wrap"}
# (input shape, pad, mode, value): every mode on 1 to 3 padded dims, with and without a batch
# dim, negative pads (crops), empty batches and pads of zero.
PAD_CASES = [
    ((2, 3, 4), (1, 2), "constant", None), ((2, 3, 4), (1, 0, 2, 1), "constant", 1.5),
    ((2, 3, 4), (-1, 2, 1, -1, 1, 1), "constant", 2.0), ((5,), (3, 0), "constant", None),
    ((0, 3), (1, 1), "constant", None), ((2, 3), (0, 0), "constant", None),
    ((2, 3, 4), (3, 2), "reflect", None), ((3, 4), (1, 2), "reflect", None),
    ((2, 3, 4, 5), (1, 2, 2, 0), "reflect", None), ((1, 2, 3, 4, 5), (1, 1, 2, 0, 0, 2), "reflect",
                                                      None),
    ((2, 3, 4), (-1, 2), "reflect", None), ((0, 3, 4), (1, 1), "replicate", None),
    ((2, 3, 4), (3, 5), "replicate", None), ((3, 4, 5), (1, 0, 2, 2), "replicate", None),
    ((1, 2, 3, 4, 2), (2, 1, 0, 1, 1, 1), "replicate", None),
    ((2, 3, 4), (4, 1), "circular", None), ((2, 2, 3, 4), (1, 2, 3, 0), "circular", None),
    ((1, 2, 2, 3, 4), (1, 1, 2, 2, 1, 0), "circular", None), ((2, 3, 4), (-1, 2), "circular",
                                                               None),
]


def _crop(x, pad):
    """x with its negative pads cut off, and the pads left to add (numpy's order)."""
    widths = [(0, 0)] * x.ndim
    index = [slice(None)] * x.ndim
    for k in range(len(pad) // 2):
        dim = x.ndim - 1 - k
        left, right = pad[2 * k], pad[2 * k + 1]
        index[dim] = slice(max(-left, 0), x.shape[dim] - max(-right, 0))
        widths[dim] = (max(left, 0), max(right, 0))
    return x[tuple(index)], widths


def _reflect_cropped(x, pad):
    """Reflect pads over the uncropped input, then the crops (PyTorch's order for reflect)."""
    widths = [(0, 0)] * x.ndim
    for k in range(len(pad) // 2):
        widths[x.ndim - 1 - k] = (max(pad[2 * k], 0), max(pad[2 * k + 1], 0))
    padded = np.pad(x, widths, mode="reflect")
    return _crop(padded, [min(p, 0) for p in pad])[0]


def ref_pad(x, pad, mode="constant", value=None):
    if mode == "reflect":
        return _reflect_cropped(x, pad)
    cropped, widths = _crop(x, pad)
    if mode == "constant":
        fill = 0 if value is None else value
        return np.pad(cropped, widths, mode="constant",
                      constant_values=np.asarray(fill).astype(x.dtype))
    return np.pad(cropped, widths, mode=NUMPY_PAD_MODES[mode])


def pad_samples(rng, dtype):
    found = []
    for shape, pad, mode, value in PAD_CASES:
        kwargs = {"mode": mode} if value is None else {"mode": mode, "value": value}
        values = make_values(rng, shape, dtype, "unit")
        found.append(Sample((Input(values, dtype), pad), kwargs, tag=shape_tag(shape)))
    return found


ENTRIES = [
    OpInfo("nn.functional.pad", ember.nn.functional.pad, ref_pad, pad_samples, dtypes=ALL,
           kind="exact"),
]
