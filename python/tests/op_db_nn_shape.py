"""op_db entries of one op family: nn.functional's padding, embedding, pixel-shuffle and fold ops
(named nn.functional.<name>).

pad against np.pad (constant, reflect, edge, wrap) after cropping the negative pads; embedding
against numpy indexing, embedding_bag, unfold and fold against explicit loops, pixel_shuffle
against reshape/transpose.
"""
import numpy as np
from op_db import ALL, FLOATING, Input, OpInfo, Sample, make_values, shape_tag

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


# (indices shape, table shape, kwargs)
EMBEDDING_CASES = [((4,), (6, 3), {}), ((2, 3), (5, 4), {"padding_idx": 1}),
                   ((), (3, 2), {}), ((0, 2), (4, 3), {}), ((3, 2), (4, 0), {}),
                   ((5,), (4, 2), {"padding_idx": -1, "scale_grad_by_freq": True})]


def ref_embedding(indices, weight, **kwargs):
    return weight[indices]


def embedding_samples(rng, dtype):
    found = []
    for shape_i, shape_w, kwargs in EMBEDDING_CASES:
        index = np.asarray(rng.integers(0, shape_w[0], shape_i), dtype=np.int64)
        weight = make_values(rng, shape_w, dtype, "unit")
        found.append(Sample((Input(index, ember.int64), Input(weight, dtype)), kwargs,
                            tag=shape_tag(shape_i, shape_w)))
    return found


# (input, offsets or None, mode, with per_sample_weights, include_last_offset, padding_idx)
EMBEDDING_BAG_CASES = [
    ([0, 2, 4, 1, 3, 3], [0, 2, 2], "sum", False, False, None),
    ([0, 2, 4, 1, 3, 3], [0, 2, 2], "mean", False, False, None),
    ([0, 2, 4, 1, 3, 3], [0, 3], "max", False, False, None),
    ([0, 2, 4, 1, 3, 3], [0, 1, 4], "sum", True, False, None),
    ([0, 2, 4, 1, 3, 3], [0, 1, 6], "mean", False, True, 3),
    ([[0, 2], [4, 4], [1, 3]], None, "mean", False, False, 4),
    ([[0, 2, 1], [4, 4, 0]], None, "max", False, False, None),
]


def ref_embedding_bag(input, weight, offsets=None, mode="mean", per_sample_weights=None,
                      include_last_offset=False, padding_idx=None):
    flat = input.reshape(-1)
    if offsets is None:
        starts = list(range(0, input.size, input.shape[1]))
        ends = starts[1:] + [input.size]
    else:
        starts = list(offsets[:-1] if include_last_offset else offsets)
        ends = list(offsets[1:]) if include_last_offset else starts[1:] + [input.size]
    result = np.zeros((len(starts), weight.shape[1]), dtype=weight.dtype)
    for bag, (start, end) in enumerate(zip(starts, ends)):
        rows = [weight[flat[i]] * (1 if per_sample_weights is None else per_sample_weights[i])
                for i in range(start, end) if flat[i] != padding_idx]
        if rows:
            combine = {"sum": np.sum, "mean": np.mean, "max": np.max}[mode]
            result[bag] = combine(np.stack(rows), axis=0)
    return result


def embedding_bag_samples(rng, dtype):
    found = []
    for values, offsets, mode, weighted, include_last, padding_idx in EMBEDDING_BAG_CASES:
        index = np.asarray(values, dtype=np.int64)
        weight = make_values(rng, (5, 3), dtype, "unit")
        kwargs = {"mode": mode, "include_last_offset": include_last, "padding_idx": padding_idx}
        if offsets is not None:
            kwargs["offsets"] = Input(np.asarray(offsets, dtype=np.int64), ember.int64)
        if weighted:
            kwargs["per_sample_weights"] = Input(make_values(rng, index.shape, dtype, "unit"),
                                                 dtype)
        found.append(Sample((Input(index, ember.int64), Input(weight, dtype)), kwargs,
                            k=index.size))
    return found


def ref_embedding_bag_tuple(weight, indices, offsets, scale_grad_by_freq=False, mode=0,
                            sparse=False, per_sample_weights=None, include_last_offset=False,
                            padding_idx=None):
    """torch.embedding_bag's (output, offset2bag, bag_size, max_indices), mode 0/1/2."""
    name = ("sum", "mean", "max")[mode]
    output = ref_embedding_bag(indices, weight, offsets, name, per_sample_weights,
                               include_last_offset, padding_idx)
    starts = list(offsets[:-1] if include_last_offset else offsets)
    ends = list(offsets[1:]) if include_last_offset else starts[1:] + [indices.size]
    bags = len(starts)
    offset2bag = np.full(indices.size, bags, dtype=np.int64)
    bag_size = np.zeros(bags, dtype=np.int64)
    max_indices = np.zeros((bags, weight.shape[1]), dtype=np.int64)
    for bag, (start, end) in enumerate(zip(starts, ends)):
        offset2bag[start:end] = bag
        best = None
        for i in range(start, end):
            if indices[i] == padding_idx:
                continue
            bag_size[bag] += 1
            row = weight[indices[i]]
            best = row.copy() if best is None else best
            for d in range(weight.shape[1]):  # a later row wins only when greater
                if bag_size[bag] == 1 or row[d] > best[d]:
                    best[d], max_indices[bag, d] = row[d], indices[i]
    if mode == 0:
        return output, offset2bag, np.zeros(bags, dtype=np.int64), np.zeros(bags, dtype=np.int64)
    return output, offset2bag, bag_size, (max_indices if mode == 2 else bag_size.copy())


def embedding_bag_tuple_samples(rng, dtype):
    found = []
    for values, offsets, mode, weighted, include_last, padding_idx in EMBEDDING_BAG_CASES:
        if offsets is None:
            continue
        index = np.asarray(values, dtype=np.int64)
        weight = make_values(rng, (5, 3), dtype, "unit")
        kwargs = {"mode": ("sum", "mean", "max").index(mode),
                  "include_last_offset": include_last, "padding_idx": padding_idx}
        if weighted:
            kwargs["per_sample_weights"] = Input(make_values(rng, index.shape, dtype, "unit"),
                                                 dtype)
        found.append(Sample((Input(weight, dtype), Input(index, ember.int64),
                             Input(np.asarray(offsets, dtype=np.int64), ember.int64)), kwargs,
                            k=index.size))
    # Ties in mode max: the first row holding the maximum is its index.
    tied = np.asarray([[1, 5], [3, 5], [3, 0], [7, 7]]).astype(np.float64)
    found.append(Sample((Input(tied, dtype), Input(np.asarray([0, 1, 2, 3, 1, 0]), ember.int64),
                         Input(np.asarray([0, 3, 3, 5]), ember.int64)), {"mode": 2}, k=6))
    return found


PIXEL_SHUFFLE_CASES = [((1, 8, 2, 3), 2), ((2, 3, 9, 1, 2), 3), ((4, 2, 3), 1),
                       ((0, 4, 2, 2), 2), ((2, 4, 0, 3), 2)]


def ref_pixel_shuffle(x, r):
    *batch, c, h, w = x.shape
    b = len(batch)
    split = x.reshape(*batch, c // (r * r), r, r, h, w)
    order = list(range(b)) + [b, b + 3, b + 1, b + 4, b + 2]
    return split.transpose(order).reshape(*batch, c // (r * r), h * r, w * r)


def ref_pixel_unshuffle(x, r):
    *batch, c, h, w = x.shape
    b = len(batch)
    split = x.reshape(*batch, c, h // r, r, w // r, r)
    order = list(range(b)) + [b, b + 2, b + 4, b + 1, b + 3]
    return split.transpose(order).reshape(*batch, c * r * r, h // r, w // r)


def pixel_shuffle_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype, "unit"), dtype), r),
                   tag=shape_tag(shape)) for shape, r in PIXEL_SHUFFLE_CASES]


def pixel_unshuffle_samples(rng, dtype):
    cases = [((1, 2, 4, 6), 2), ((2, 1, 3, 6, 3), 3), ((3, 2, 2), 1), ((0, 1, 2, 2), 2)]
    return [Sample((Input(make_values(rng, shape, dtype, "unit"), dtype), r),
                   tag=shape_tag(shape)) for shape, r in cases]


def _pairs(*values):
    return [(v, v) if isinstance(v, int) else tuple(v) for v in values]


def _blocks(size, kernel, dilation, padding, stride):
    return [(size[d] + 2 * padding[d] - dilation[d] * (kernel[d] - 1) - 1) // stride[d] + 1
            for d in range(2)]


def ref_unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    kernel, dilation, padding, stride = _pairs(kernel_size, dilation, padding, stride)
    batched = x if x.ndim == 4 else x[None]
    n, c, h, w = batched.shape
    bh, bw = _blocks((h, w), kernel, dilation, padding, stride)
    result = np.zeros((n, c * kernel[0] * kernel[1], bh * bw), dtype=x.dtype)
    for ch in range(c):
        for ki in range(kernel[0]):
            for kj in range(kernel[1]):
                row = (ch * kernel[0] + ki) * kernel[1] + kj
                for by in range(bh):
                    for bx in range(bw):
                        y = by * stride[0] + ki * dilation[0] - padding[0]
                        xx = bx * stride[1] + kj * dilation[1] - padding[1]
                        if 0 <= y < h and 0 <= xx < w:
                            result[:, row, by * bw + bx] = batched[:, ch, y, xx]
    return result if x.ndim == 4 else result[0]


def ref_fold(cols, output_size, kernel_size, dilation=1, padding=0, stride=1):
    size, kernel, dilation, padding, stride = _pairs(output_size, kernel_size, dilation, padding,
                                                     stride)
    batched = cols if cols.ndim == 3 else cols[None]
    n = batched.shape[0]
    c = batched.shape[1] // (kernel[0] * kernel[1])
    bh, bw = _blocks(size, kernel, dilation, padding, stride)
    result = np.zeros((n, c, size[0], size[1]), dtype=cols.dtype)
    for ch in range(c):
        for ki in range(kernel[0]):
            for kj in range(kernel[1]):
                row = (ch * kernel[0] + ki) * kernel[1] + kj
                for by in range(bh):
                    for bx in range(bw):
                        y = by * stride[0] + ki * dilation[0] - padding[0]
                        xx = bx * stride[1] + kj * dilation[1] - padding[1]
                        if 0 <= y < size[0] and 0 <= xx < size[1]:
                            result[:, ch, y, xx] += batched[:, row, by * bw + bx]
    return result if cols.ndim == 3 else result[0]


# (input shape, kernel_size, dilation, padding, stride)
UNFOLD_CASES = [((2, 3, 4, 5), 2, 1, 0, 1), ((1, 2, 5, 6), (2, 3), (2, 1), (1, 0), (2, 1)),
                ((3, 4, 4), 3, 1, 1, 2), ((0, 3, 4, 5), 2, 1, 1, 1)]


def unfold_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype, "unit"), dtype), k),
                   {"dilation": d, "padding": p, "stride": s}, tag=shape_tag(shape))
            for shape, k, d, p, s in UNFOLD_CASES]


# (input shape, output_size, kernel_size, dilation, padding, stride)
FOLD_CASES = [((2, 12, 12), (4, 5), 2, 1, 0, 1), ((1, 12, 12), (5, 6), (2, 3), (2, 1), (1, 0),
                                                  (2, 1)),
              ((18, 4), 4, 3, 1, 1, 2), ((0, 8, 4), 3, 2, 1, 0, 1)]


def fold_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype, "unit"), dtype), size, k),
                   {"dilation": d, "padding": p, "stride": s}, tag=shape_tag(shape),
                   k=4)
            for shape, size, k, d, p, s in FOLD_CASES]


ENTRIES = [
    OpInfo("nn.functional.pad", ember.nn.functional.pad, ref_pad, pad_samples, dtypes=ALL,
           kind="exact"),
    OpInfo("nn.functional.embedding", ember.nn.functional.embedding, ref_embedding,
           embedding_samples, dtypes=ALL, kind="exact"),
    OpInfo("nn.functional.embedding_bag", ember.nn.functional.embedding_bag, ref_embedding_bag,
           embedding_bag_samples, dtypes=FLOATING, kind="reduction"),
    OpInfo("embedding_bag", ember.embedding_bag, ref_embedding_bag_tuple,
           embedding_bag_tuple_samples, dtypes=FLOATING, kind="reduction",
           out_dtype=lambda dtype: (dtype, ember.int64, ember.int64, ember.int64)),
    OpInfo("nn.functional.pixel_shuffle", ember.nn.functional.pixel_shuffle, ref_pixel_shuffle,
           pixel_shuffle_samples, dtypes=ALL, kind="exact"),
    OpInfo("pixel_shuffle", ember.pixel_shuffle, ref_pixel_shuffle, pixel_shuffle_samples,
           dtypes=ALL, kind="exact"),
    OpInfo("nn.functional.pixel_unshuffle", ember.nn.functional.pixel_unshuffle,
           ref_pixel_unshuffle, pixel_unshuffle_samples, dtypes=ALL, kind="exact"),
    OpInfo("pixel_unshuffle", ember.pixel_unshuffle, ref_pixel_unshuffle,
           pixel_unshuffle_samples, dtypes=ALL, kind="exact"),
    OpInfo("nn.functional.unfold", ember.nn.functional.unfold, ref_unfold, unfold_samples,
           dtypes=ALL, kind="exact"),
    OpInfo("nn.functional.fold", ember.nn.functional.fold, ref_fold, fold_samples,
           dtypes=FLOATING, kind="reduction"),
]
