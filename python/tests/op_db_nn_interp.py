"""op_db entries of one op family: nn.functional's resampling ops (named nn.functional.<name>).

The references resample one dim at a time with (input index, weight) taps per output index from
PyTorch's documented source-index formulas (aten/src/ATen/native/UpSample.h): nearest indices in
float32 arithmetic as PyTorch computes them, linear and cubic weights with align_corners and a
given scale_factor, area as the mean over [floor(o * in / out), ceil((o + 1) * in / out)).
grid_sample's reference walks every output point with GridSampler.h's unnormalize, padding and
tap formulas; affine_grid's builds the base grid and multiplies by theta.
"""
import math

import numpy as np
from op_db import FLOATING, Input, OpInfo, Sample, make_values, shape_tag

import ember

CUBIC_A = -0.75


def _source_scale(in_size, out_size, align_corners, scale):
    if align_corners:
        return (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0
    return 1.0 / scale if scale else in_size / out_size


def _cubic_weights(t):
    a = CUBIC_A

    def inner(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def outer(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    return [outer(t + 1), inner(t), inner(1 - t), outer(2 - t)]


def resample_taps(mode, in_size, out_size, align_corners=False, scale=None, identity=False):
    """Per output index the (input index, weight) taps of one dim, zero weights included (they
    still multiply their inputs, so an infinity there gives NaN as in PyTorch's kernels);
    identity: every dim keeps its size (cubic)."""
    taps = []
    for o in range(out_size):
        if mode in ("nearest", "nearest-exact"):
            exact = mode == "nearest-exact"
            if not exact and out_size == in_size:
                i = o
            elif not exact and out_size == 2 * in_size:
                i = o >> 1
            else:
                s = np.float32(1.0 / scale) if scale else np.float32(in_size) / np.float32(out_size)
                position = (np.float32(o) + np.float32(0.5 if exact else 0.0)) * s
                i = min(int(np.floor(position)), in_size - 1)
            taps.append([(i, 1.0)])
        elif mode == "linear":
            if out_size == in_size:
                taps.append([(o, 1.0), (o, 0.0)])
                continue
            s = _source_scale(in_size, out_size, align_corners, scale)
            real = s * o if align_corners else max(s * (o + 0.5) - 0.5, 0.0)
            i0 = min(math.floor(real), in_size - 1)
            lam = min(max(real - i0, 0.0), 1.0)
            taps.append([(i0, 1 - lam), (i0 + (1 if i0 < in_size - 1 else 0), lam)])
        elif mode == "cubic":
            if identity:
                taps.append([(o, 1.0 if k == 1 else 0.0) for k in range(4)])
                continue
            s = _source_scale(in_size, out_size, align_corners, scale)
            real = s * o if align_corners else s * (o + 0.5) - 0.5
            i0 = min(math.floor(real), in_size - 1)
            t = min(max(real - i0, 0.0), 1.0)
            taps.append([(min(max(i0 - 1 + k, 0), in_size - 1), w)
                         for k, w in enumerate(_cubic_weights(t))])
        else:  # area
            start = (o * in_size) // out_size
            end = -((-(o + 1) * in_size) // out_size)
            taps.append([(i, 1.0 / (end - start)) for i in range(start, end)])
    return taps


def antialias_taps(mode, in_size, out_size, align_corners=False, scale=None):
    """PyTorch's antialiasing taps: every input within the filter's support of the centre
    s * (o + 0.5), support and filter argument stretched by s >= 1, weights normalised."""
    def triangle(x):
        return max(1.0 - abs(x), 0.0)

    def keys(x):  # Keys' kernel with A = -0.5
        x, a = abs(x), -0.5
        if x < 1:
            return ((a + 2) * x - (a + 3)) * x * x + 1
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a if x < 2 else 0.0

    s = _source_scale(in_size, out_size, align_corners, scale)
    width, kernel = (1.0, triangle) if mode == "linear" else (2.0, keys)
    support = width * s if s >= 1 else width
    inverse = 1 / s if s >= 1 else 1.0
    taps = []
    for o in range(out_size):
        center = s * (o + 0.5)
        first = max(int(center - support + 0.5), 0)  # int() truncates toward zero, as C++
        last = min(int(center + support + 0.5), in_size)
        row = [(i, kernel((i - center + 0.5) * inverse)) for i in range(first, last)]
        total = sum(w for _, w in row)
        taps.append([(i, w / total) for i, w in row] if total else row)
    return taps


def apply_taps(x, axis, taps):
    rows = []
    for row in taps:
        total = None
        for i, w in row:
            term = w * np.take(x, i, axis=axis)
            total = term if total is None else total + term
        rows.append(total)
    return np.stack(rows, axis=axis)


KERNELS = {"nearest": "nearest", "nearest-exact": "nearest-exact", "linear": "linear",
           "bilinear": "linear", "trilinear": "linear", "bicubic": "cubic", "area": "area"}


def ref_interpolate(x, size=None, scale_factor=None, mode="nearest", align_corners=None,
                    recompute_scale_factor=None, antialias=False):
    spatial = x.ndim - 2
    in_sizes = x.shape[2:]
    if size is not None:
        sizes = [size] * spatial if isinstance(size, int) else list(size)
        scales = [None] * spatial
    else:
        factors = ([scale_factor] * spatial if isinstance(scale_factor, (int, float))
                   else list(scale_factor))
        sizes = [math.floor(n * f) for n, f in zip(in_sizes, factors)]
        recompute = recompute_scale_factor or mode == "area"
        scales = [None] * spatial if recompute else factors
    kernel = KERNELS[mode]
    same = list(in_sizes) == sizes
    result = x
    for d in range(spatial):
        if antialias:
            taps = antialias_taps(kernel, in_sizes[d], sizes[d], bool(align_corners), scales[d])
        else:
            taps = resample_taps(kernel, in_sizes[d], sizes[d], bool(align_corners), scales[d],
                                 same)
        result = apply_taps(result, d + 2, taps)
    return result


# (input shape, keyword arguments): every mode, align_corners both ways, sizes up and down,
# scale factors kept and recomputed, non-integer factors, empty batches.
INTERPOLATE_CASES = [
    ((2, 3, 5), {"scale_factor": 2.0}),
    ((2, 3, 5), {"size": 3}),
    ((2, 3, 5), {"scale_factor": 1.7}),
    ((1, 2, 3, 4), {"size": (5, 7)}),
    ((1, 2, 3, 4), {"scale_factor": (2.0, 3.0)}),
    ((1, 2, 4, 4), {"scale_factor": 0.6}),
    ((1, 1, 2, 3, 4), {"size": (3, 5, 2)}),
    ((0, 2, 3, 4), {"scale_factor": 2.0}),
    ((2, 3, 5), {"scale_factor": 1.7, "mode": "nearest-exact"}),
    ((1, 2, 3, 4), {"size": (5, 7), "mode": "nearest-exact"}),
    ((1, 1, 2, 3, 4), {"size": (3, 5, 2), "mode": "nearest-exact"}),
    ((2, 3, 5), {"size": 8, "mode": "linear"}),
    ((2, 3, 5), {"size": 8, "mode": "linear", "align_corners": True}),
    ((2, 3, 5), {"scale_factor": 1.5, "mode": "linear"}),
    ((2, 3, 5), {"scale_factor": 1.5, "mode": "linear", "recompute_scale_factor": True}),
    ((2, 3, 5), {"size": 1, "mode": "linear", "align_corners": True}),
    ((1, 2, 3, 4), {"size": (5, 7), "mode": "bilinear"}),
    ((1, 2, 9, 7), {"size": (4, 3), "mode": "bilinear", "antialias": True}),
    ((1, 2, 9, 7), {"scale_factor": (0.4, 0.7), "mode": "bilinear", "antialias": True,
                    "align_corners": True}),
    ((1, 2, 3, 4), {"size": (5, 3), "mode": "bilinear", "antialias": True}),
    ((2, 1, 8, 9), {"size": (3, 5), "mode": "bicubic", "antialias": True}),
    ((1, 2, 3, 4), {"size": (6, 2), "mode": "bicubic", "antialias": True,
                    "align_corners": True}),
    ((0, 2, 6, 6), {"size": (3, 3), "mode": "bicubic", "antialias": True}),
    ((1, 2, 3, 4), {"size": (5, 7), "mode": "bilinear", "align_corners": True}),
    ((1, 2, 4, 4), {"scale_factor": 2.0, "mode": "bilinear"}),
    ((1, 2, 6, 5), {"size": (4, 3), "mode": "bilinear"}),
    ((0, 2, 3, 4), {"scale_factor": 2.0, "mode": "bilinear"}),
    ((1, 2, 3, 4), {"size": (5, 7), "mode": "bicubic"}),
    ((1, 2, 3, 4), {"size": (5, 7), "mode": "bicubic", "align_corners": True}),
    ((1, 2, 6, 5), {"scale_factor": 0.5, "mode": "bicubic"}),
    ((1, 2, 4, 4), {"size": (4, 6), "mode": "bicubic"}),
    ((1, 1, 2, 3, 4), {"size": (3, 5, 2), "mode": "trilinear"}),
    ((1, 1, 2, 3, 4), {"scale_factor": 2.0, "mode": "trilinear", "align_corners": True}),
    ((2, 3, 7), {"size": 3, "mode": "area"}),
    ((1, 2, 5, 7), {"size": (2, 3), "mode": "area"}),
    ((1, 2, 5, 7), {"scale_factor": 0.5, "mode": "area"}),
    ((1, 1, 4, 5, 6), {"size": (2, 3, 4), "mode": "area"}),
]


def interpolate_samples(rng, dtype):
    return [Sample((Input(make_values(rng, shape, dtype, "real"), dtype),), dict(kwargs),
                   tag=shape_tag(shape), k=16) for shape, kwargs in INTERPOLATE_CASES]


def _deprecated_samples(mode):
    def samples(rng, dtype):
        return [Sample((Input(make_values(rng, shape, dtype, "real"), dtype),), kwargs, k=16)
                for shape, kwargs in (((1, 2, 3, 4), {"size": (5, 7)}),
                                      ((1, 2, 3, 4), {"scale_factor": 2}))]
    return samples


def ref_upsample(x, size=None, scale_factor=None, mode="nearest", align_corners=None):
    return ref_interpolate(x, size, scale_factor, mode, align_corners)


def ref_upsample_nearest(x, size=None, scale_factor=None):
    return ref_interpolate(x, size, scale_factor, "nearest")


def ref_upsample_bilinear(x, size=None, scale_factor=None):
    return ref_interpolate(x, size, scale_factor, "bilinear", True)


# ---------------------------------------------------------------- grid_sample


def _unnormalize(coord, size, align_corners):
    if align_corners:
        return (coord + 1) / 2 * (size - 1)
    return ((coord + 1) * size - 1) / 2


def _reflect(x, twice_low, twice_high):
    if twice_low == twice_high:
        return 0.0
    low = twice_low / 2
    span = (twice_high - twice_low) / 2
    x = abs(x - low)
    extra = math.fmod(x, span)
    flips = math.floor(x / span)
    return extra + low if flips % 2 == 0 else span - extra + low


def _pad(coord, size, padding_mode, align_corners):
    if padding_mode == "border":
        return min(max(coord, 0.0), size - 1.0)
    if padding_mode == "reflection":
        if align_corners:
            coord = _reflect(coord, 0, 2 * (size - 1))
        else:
            coord = _reflect(coord, -1, 2 * size - 1)
        return min(max(coord, 0.0), size - 1.0)
    return coord


def ref_grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    align = bool(align_corners)
    n, c = x.shape[:2]
    in_sizes = x.shape[2:]  # (D,) H, W
    spatial = len(in_sizes)
    out_sizes = grid.shape[1:-1]
    result = np.zeros((n, c) + out_sizes)

    def value(b, position):  # position: integer (x, y[, z]); zeros outside
        index = tuple(reversed(position))
        if all(0 <= p < size for p, size in zip(index, in_sizes)):
            return x[(b, slice(None)) + index]
        return np.zeros(c)

    for b in range(n):
        for point in np.ndindex(*out_sizes):
            coords = grid[(b,) + point]
            sizes = in_sizes[::-1]  # W, H(, D): the grid's order
            pixel = [_unnormalize(coords[d], sizes[d], align) for d in range(spatial)]
            if mode == "bicubic":
                low = [math.floor(p) for p in pixel]
                weights = [_cubic_weights(p - q) for p, q in zip(pixel, low)]
                total = np.zeros(c)
                for j in range(4):
                    for i in range(4):
                        px = _pad(low[0] - 1 + i, sizes[0], padding_mode, align)
                        py = _pad(low[1] - 1 + j, sizes[1], padding_mode, align)
                        total += weights[0][i] * weights[1][j] * value(b, (int(px), int(py)))
                result[(b, slice(None)) + point] = total
                continue
            pixel = [_pad(p, size, padding_mode, align) for p, size in zip(pixel, sizes)]
            if mode == "nearest":
                position = tuple(int(np.round(p)) for p in pixel)  # half to even, as nearbyint
                result[(b, slice(None)) + point] = value(b, position)
                continue
            low = [math.floor(p) for p in pixel]
            total = np.zeros(c)
            for corner in range(1 << spatial):
                position = []
                weight = 1.0
                for d in range(spatial):
                    high = (corner >> d) & 1
                    fraction = pixel[d] - low[d]
                    position.append(low[d] + high)
                    weight *= fraction if high else 1 - fraction
                total += weight * value(b, tuple(position))
            result[(b, slice(None)) + point] = total
    return result


# (input shape, grid shape, mode, padding_mode, align_corners); grids reach past [-1, 1] so that
# every padding mode matters.
GRID_CASES = [
    ((2, 3, 4, 5), (2, 3, 2, 2), "bilinear", "zeros", False),
    ((2, 3, 4, 5), (2, 3, 2, 2), "bilinear", "border", True),
    ((2, 3, 4, 5), (2, 3, 2, 2), "bilinear", "reflection", False),
    ((2, 3, 4, 5), (2, 3, 2, 2), "bilinear", "reflection", True),
    ((1, 2, 3, 4), (1, 4, 3, 2), "nearest", "zeros", False),
    ((1, 2, 3, 4), (1, 4, 3, 2), "nearest", "border", True),
    ((1, 2, 3, 4), (1, 4, 3, 2), "nearest", "reflection", False),
    ((1, 2, 3, 4), (1, 2, 3, 2), "bicubic", "zeros", False),
    ((1, 2, 3, 4), (1, 2, 3, 2), "bicubic", "border", True),
    ((1, 2, 3, 4), (1, 2, 3, 2), "bicubic", "reflection", False),
    ((1, 2, 2, 3, 4), (1, 2, 2, 2, 3), "bilinear", "zeros", False),
    ((1, 2, 2, 3, 4), (1, 2, 2, 2, 3), "bilinear", "reflection", True),
    ((1, 2, 2, 3, 4), (1, 2, 1, 2, 3), "nearest", "border", False),
    ((0, 2, 3, 4), (0, 2, 2, 2), "bilinear", "zeros", False),
    ((2, 1, 1, 1), (2, 2, 2, 2), "bilinear", "reflection", False),
]


def grid_sample_samples(rng, dtype):
    found = []
    for shape, grid_shape, mode, padding_mode, align in GRID_CASES:
        x = Input(make_values(rng, shape, dtype, "real"), dtype)
        grid = Input(make_values(rng, grid_shape, dtype, "real") * 0.7, dtype)
        found.append(Sample((x, grid), {"mode": mode, "padding_mode": padding_mode,
                                            "align_corners": align},
                            tag=shape_tag(shape, grid_shape), k=16))
    return found


# ---------------------------------------------------------------- affine_grid


def _axis(steps, align_corners):
    if steps <= 1:
        return np.zeros(steps)
    points = np.linspace(-1.0, 1.0, steps)
    return points if align_corners else points * (steps - 1) / steps


def ref_affine_grid(theta, size, align_corners=None):
    spatial = len(size) - 2
    axes = [_axis(extent, bool(align_corners)) for extent in size[2:]]  # (D,) H, W
    mesh = np.meshgrid(*axes, indexing="ij")
    columns = [mesh[spatial - 1 - d] for d in range(spatial)]  # x, y(, z)
    base = np.stack(columns + [np.ones(tuple(size[2:]))], axis=-1)
    points = base.reshape(-1, spatial + 1)
    result = np.einsum("pk,njk->npj", points, theta)
    return result.reshape((size[0],) + tuple(size[2:]) + (spatial,))


AFFINE_CASES = [((2, 2, 3), (2, 3, 4, 5), False), ((2, 2, 3), (2, 3, 4, 5), True),
                ((1, 2, 3), (1, 1, 1, 3), False), ((2, 3, 4), (2, 1, 2, 3, 4), False),
                ((2, 3, 4), (2, 1, 2, 3, 4), True)]


def affine_grid_samples(rng, dtype):
    return [Sample((Input(make_values(rng, theta_shape, dtype, "real"), dtype), size),
                   {"align_corners": align}, k=4) for theta_shape, size, align in AFFINE_CASES]


ENTRIES = [
    OpInfo("nn.functional.interpolate", ember.nn.functional.interpolate, ref_interpolate,
           interpolate_samples, dtypes=FLOATING, kind="reduction"),
    OpInfo("nn.functional.upsample", ember.nn.functional.upsample, ref_upsample,
           _deprecated_samples("nearest"), dtypes=FLOATING, kind="reduction"),
    OpInfo("nn.functional.upsample_nearest", ember.nn.functional.upsample_nearest,
           ref_upsample_nearest, _deprecated_samples("nearest"), dtypes=FLOATING,
           kind="reduction"),
    OpInfo("nn.functional.upsample_bilinear", ember.nn.functional.upsample_bilinear,
           ref_upsample_bilinear, _deprecated_samples("bilinear"), dtypes=FLOATING,
           kind="reduction"),
    # float32 and float64, as PyTorch's CPU kernels: a float16 grid rounds its pixel positions.
    OpInfo("nn.functional.grid_sample", ember.nn.functional.grid_sample, ref_grid_sample,
           grid_sample_samples, dtypes=FLOATING[:2], kind="reduction"),
    OpInfo("nn.functional.affine_grid", ember.nn.functional.affine_grid, ref_affine_grid,
           affine_grid_samples, dtypes=FLOATING[:2], kind="reduction"),
]
