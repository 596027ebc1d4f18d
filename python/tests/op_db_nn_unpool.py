"""op_db entries of one op family: nn.functional's max unpooling (named nn.functional.<name>).

The samples unpool what the max pool reference (op_db_nn_pool.ref_max_pool) returns, so the
indices are real pool indices; the numpy reference writes each plane's values at their flat
indices into zeros, with PyTorch's default output size (in - 1) * stride - 2 * padding + kernel.
Samples cover batched and unbatched inputs, empty batches, padding and an explicit output_size.
"""
import numpy as np
from op_db import Input, OpInfo, Sample, make_values, shape_tag
from op_db_nn_pool import expand, planes_of, ref_max_pool

import ember


def ref_max_unpool(dims, x, indices, kernel_size, stride=None, padding=0, output_size=None):
    kernel = expand(kernel_size, dims)
    stride = kernel if stride is None else expand(stride, dims)
    padding = expand(padding, dims)
    planes, batch = planes_of(x, dims)
    index_planes, _ = planes_of(indices, dims)
    if output_size is None:
        spatial = planes.shape[1:]
        out = tuple((spatial[d] - 1) * stride[d] - 2 * padding[d] + kernel[d]
                    for d in range(dims))
    else:
        out = tuple(output_size)[-dims:]
    result = np.zeros((planes.shape[0], int(np.prod(out))), dtype=x.dtype)
    for p in range(planes.shape[0]):
        result[p, index_planes[p].reshape(-1)] = planes[p].reshape(-1)
    return result.reshape(batch + out)


# (pool input shape, kernel_size, stride, padding, output_size) per spatial rank; the samples
# unpool the max pool of the input with the same arguments.
CASES = {
    1: [((2, 3, 8), 2, None, 0, None), ((3, 9), 3, 2, 1, None), ((2, 2, 7), 2, None, 0, (7,)),
        ((0, 2, 6), 2, None, 0, None)],
    2: [((2, 3, 6, 4), 2, None, 0, None), ((3, 5, 7), (3, 2), (2, 1), (1, 0), None),
        ((2, 2, 5, 5), 2, None, 0, (2, 2, 5, 5)), ((0, 2, 4, 4), 2, None, 0, None)],
    3: [((2, 2, 4, 4, 4), 2, None, 0, None), ((2, 5, 4, 6), (3, 2, 2), 2, 1, None),
        ((2, 1, 3, 5, 4), 2, None, 0, (3, 5, 4))],
}


def unpool_samples(dims):
    def samples(rng, dtype):
        found = []
        for shape, kernel, stride, padding, output_size in CASES[dims]:
            x = make_values(rng, shape, dtype, "real")
            values, indices = ref_max_pool(dims, x, kernel, stride, padding,
                                           return_indices=True)
            kwargs = {"stride": stride, "padding": padding, "output_size": output_size}
            found.append(Sample((Input(values, dtype), Input(indices, ember.int64), kernel),
                                kwargs, tag=shape_tag(shape)))
        return found
    return samples


def bound(function, *leading):
    def call(*args, **kwargs):
        return function(*leading, *args, **kwargs)
    return call


F = ember.nn.functional
ENTRIES = [
    OpInfo(f"nn.functional.max_unpool{dims}d", getattr(F, f"max_unpool{dims}d"),
           bound(ref_max_unpool, dims), unpool_samples(dims), kind="exact")
    for dims in (1, 2, 3)
]
