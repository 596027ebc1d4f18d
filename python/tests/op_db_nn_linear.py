"""op_db entries of one op family: nn.functional's linear ops (named nn.functional.<name>).

linear and bilinear against numpy's matmul/einsum, on every input rank, with and without bias;
torch.bilinear is the same op at the top level.
"""
import numpy as np
from op_db import FLOATING, Input, OpInfo, Sample, make_values, shape_tag

import ember

# (input shape, weight shape, bias shape or None): 1-D to 3-D inputs, a 1-D weight, broadcast
# and absent biases, empty batches and zero features.
LINEAR_CASES = [((3, 4), (5, 4), (5,)), ((3, 4), (5, 4), None), ((2, 3, 4), (5, 4), (5,)),
                ((4,), (5, 4), (5,)), ((3, 4), (4,), None), ((3, 4), (5, 4), ()),
                ((2, 3, 4), (5, 4), (3, 5)), ((0, 4), (5, 4), (5,)), ((3, 0), (5, 0), (5,))]
# (input1 shape, input2 shape, weight shape, with bias)
BILINEAR_CASES = [((3, 4), (3, 2), (5, 4, 2), True), ((3, 4), (3, 2), (5, 4, 2), False),
                  ((2, 3, 4), (2, 3, 2), (1, 4, 2), True), ((4,), (2,), (3, 4, 2), True),
                  ((0, 4), (0, 2), (3, 4, 2), True)]


def ref_linear(x, w, b=None):
    result = np.matmul(x, w.T) if w.ndim == 2 else np.matmul(x, w)
    return result if b is None else result + b


def ref_bilinear(x1, x2, w, b=None):
    result = np.einsum("...i,oij,...j->...o", x1, w, x2)
    return result if b is None else result + b


def linear_samples(rng, dtype):
    found = []
    for shape_x, shape_w, shape_b in LINEAR_CASES:
        shapes = [shape_x, shape_w] + ([] if shape_b is None else [shape_b])
        args = tuple(Input(make_values(rng, shape, dtype, "unit"), dtype) for shape in shapes)
        found.append(Sample(args, tag=shape_tag(shape_x, shape_w), k=max(shape_x[-1], 1)))
    return found


def bilinear_samples(rng, dtype):
    found = []
    for shape_1, shape_2, shape_w, with_bias in BILINEAR_CASES:
        shapes = [shape_1, shape_2, shape_w] + ([shape_w[:1]] if with_bias else [])
        args = tuple(Input(make_values(rng, shape, dtype, "unit"), dtype) for shape in shapes)
        found.append(Sample(args, tag=shape_tag(shape_1), k=shape_w[1] * shape_w[2]))
    return found


ENTRIES = [
    OpInfo("nn.functional.linear", ember.nn.functional.linear, ref_linear, linear_samples,
           dtypes=FLOATING, kind="reduction"),
    OpInfo("nn.functional.bilinear", ember.nn.functional.bilinear, ref_bilinear, bilinear_samples,
           dtypes=FLOATING, kind="reduction"),
    OpInfo("bilinear", ember.bilinear, ref_bilinear, bilinear_samples, dtypes=FLOATING,
           kind="reduction", layouts=("contiguous", "transposed")),
]
