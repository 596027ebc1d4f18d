"""op_db entries of one op family: the packed-sequence ops ember._pack_padded_sequence,
ember._pad_packed_sequence and nn.utils.rnn's pad_sequence (ember._C._nn.pad_sequence).

Against numpy loops that walk PyTorch's layout: packed data holds, step by step, the rows of the
sequences still running (lengths sorted decreasing) and batch_sizes counts them. Samples cover
batch_first, trailing feature dims, equal lengths, a single sequence, padding values, a
total_length beyond the longest sequence and left padding.
"""
import numpy as np
from ember._C import _nn
from op_db import ALL, Input, OpInfo, Sample, make_values

import ember


def ref_pack_padded_sequence(input, lengths, batch_first):
    time_major = np.swapaxes(input, 0, 1) if batch_first else input
    rows, batch_sizes = [], []
    for t in range(int(lengths[0])):
        running = [b for b in range(len(lengths)) if lengths[b] > t]
        rows.extend(time_major[t, b] for b in running)
        batch_sizes.append(len(running))
    return np.stack(rows), np.array(batch_sizes, dtype=np.int64)


def ref_pad_packed_sequence(data, batch_sizes, batch_first, padding_value, total_length):
    batch = int(batch_sizes[0])
    padded = np.full((total_length, batch) + data.shape[1:], padding_value, dtype=data.dtype)
    offset = 0
    for t, size in enumerate(batch_sizes):
        padded[t, :size] = data[offset:offset + size]
        offset += size
    lengths = np.array([(batch_sizes > b).sum() for b in range(batch)], dtype=np.int64)
    return (np.swapaxes(padded, 0, 1) if batch_first else padded), lengths


def ref_pad_sequence(*sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    longest = max(len(sequence) for sequence in sequences)
    padded = np.full((len(sequences), longest) + sequences[0].shape[1:], padding_value,
                     dtype=sequences[0].dtype)
    for i, sequence in enumerate(sequences):
        if padding_side == "right":
            padded[i, :len(sequence)] = sequence
        else:
            padded[i, longest - len(sequence):] = sequence
    return padded if batch_first else np.swapaxes(padded, 0, 1)


def pad_sequence(*sequences, **kwargs):
    return _nn.pad_sequence(list(sequences), **kwargs)


def lengths_of(values):
    return Input(np.array(values, dtype=np.int64), ember.int64)


# (padded time-major shape (T, B, *), lengths)
PACK_CASES = [((4, 3), [4, 2, 1]), ((3, 2, 2), [3, 3]), ((5, 1, 3), [2]),
              ((2, 4, 1, 2), [2, 2, 1, 1])]


def pack_samples(rng, dtype):
    found = []
    for shape, lengths in PACK_CASES:
        for batch_first in (False, True):
            padded_shape = (shape[1], shape[0]) + shape[2:] if batch_first else shape
            found.append(Sample((Input(make_values(rng, padded_shape, dtype, "real"), dtype),
                                 lengths_of(lengths), batch_first)))
    return found


# (batch_sizes, feature shape); no "expanded" layout: it would repeat batch_sizes' first entry.
PAD_CASES = [([3, 2, 1], ()), ([2, 2], (3,)), ([1], (2, 2)), ([4, 3, 3, 1], (2,))]


def pad_samples(rng, dtype):
    found = []
    for batch_sizes, features in PAD_CASES:
        data = make_values(rng, (sum(batch_sizes),) + features, dtype, "real")
        for batch_first, padding_value, extra in ((False, 0.0, 0), (True, 1.0, 2)):
            found.append(Sample((Input(data, dtype), lengths_of(batch_sizes), batch_first,
                                 padding_value, len(batch_sizes) + extra)))
    return found


def pad_sequence_samples(rng, dtype):
    def sequences(*shapes):
        return tuple(Input(make_values(rng, shape, dtype, "real"), dtype) for shape in shapes)
    return [Sample(sequences((3, 2), (1, 2), (2, 2))),
            Sample(sequences((2,), (4,)), {"batch_first": True, "padding_value": 7.0}),
            Sample(sequences((1, 2, 2), (3, 2, 2)), {"padding_side": "left"}),
            Sample(sequences((2, 3)), {"batch_first": True})]


ENTRIES = [
    OpInfo("_pack_padded_sequence", ember._pack_padded_sequence, ref_pack_padded_sequence,
           pack_samples, dtypes=ALL, kind="exact", out_dtype=lambda dtype: (dtype, ember.int64),
           functions=()),
    OpInfo("_pad_packed_sequence", ember._pad_packed_sequence, ref_pad_packed_sequence,
           pad_samples, dtypes=ALL, kind="exact", out_dtype=lambda dtype: (dtype, ember.int64),
           functions=(), layouts=("contiguous", "transposed", "sliced")),
    OpInfo("pad_sequence", pad_sequence, ref_pad_sequence, pad_sequence_samples, dtypes=ALL,
           kind="exact", functions=()),
]
