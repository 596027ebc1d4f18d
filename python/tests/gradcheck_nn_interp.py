"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
nn.functional's resampling ops.

interpolate's gradient is the adjoint of its map and that adjoint's gradient the map again, so
gradgradcheck exercises both directions of every mode. grid_sample is checked with respect to
input and grid (the grid away from pixel boundaries, where its gradient jumps, by random
values); its nearest mode has a zero gradient with respect to the grid.
"""
import warnings

import ember

NON_DIFFERENTIABLE = {}  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere

F = ember.nn.functional


def quiet(fn):
    """fn with its deprecation warning silenced (the deprecated aliases warn on every call)."""
    def call(*args):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return fn(*args)
    return call


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    name = "nn.functional.interpolate"
    for mode, shape, kwargs in (
            ("nearest", (1, 2, 3), {"scale_factor": 1.7}),
            ("nearest", (1, 1, 2, 3), {"size": (3, 5)}),
            ("nearest", (1, 1, 2, 2, 2), {"scale_factor": 2.0}),
            ("nearest-exact", (1, 1, 2, 3), {"size": (4, 2)}),
            ("linear", (1, 2, 3), {"size": 5, "align_corners": False}),
            ("linear", (1, 2, 3), {"size": 5, "align_corners": True}),
            ("bilinear", (1, 1, 2, 3), {"size": (3, 5), "align_corners": False}),
            ("bilinear", (1, 1, 3, 3), {"scale_factor": 0.7, "align_corners": True}),
            ("bicubic", (1, 1, 2, 3), {"size": (3, 4), "align_corners": False}),
            ("bicubic", (1, 1, 3, 2), {"size": (2, 3), "align_corners": True}),
            ("trilinear", (1, 1, 2, 2, 3), {"size": (3, 2, 2), "align_corners": False}),
            ("area", (1, 2, 5), {"size": 3}),
            ("area", (1, 1, 3, 4), {"size": (2, 3)}),
            ("bilinear", (1, 1, 5, 4), {"size": (2, 3), "antialias": True}),
            ("bicubic", (1, 1, 5, 6), {"size": (2, 4), "antialias": True}),
            ("bicubic", (1, 1, 2, 3), {"size": (3, 2), "antialias": True,
                                       "align_corners": True})):
        add(name, f"{mode}-{len(shape)}d-{'-'.join(map(str, kwargs.values()))}",
            lambda x, mode=mode, kwargs=kwargs: F.interpolate(x, mode=mode, **kwargs),
            real(*shape))
    add(name, "bilinear broadcast input",
        lambda x: F.interpolate(x.expand(2, 2, 2, 3), size=(3, 4), mode="bilinear"),
        real(1, 1, 2, 3))
    add("nn.functional.upsample", "bilinear",
        quiet(lambda x: F.upsample(x, size=(3, 4), mode="bilinear")), real(1, 1, 2, 3))
    add("nn.functional.upsample_nearest", "2x",
        quiet(lambda x: F.upsample_nearest(x, scale_factor=2)), real(1, 1, 2, 3))
    add("nn.functional.upsample_bilinear", "size",
        quiet(lambda x: F.upsample_bilinear(x, size=(3, 4))), real(1, 1, 2, 3))

    grid_sample = "nn.functional.grid_sample"
    for mode, padding, align in (("bilinear", "zeros", False), ("bilinear", "border", True),
                                 ("bilinear", "reflection", False), ("bicubic", "zeros", False),
                                 ("bicubic", "border", True), ("nearest", "zeros", False)):
        add(grid_sample, f"{mode}-{padding}-{align}",
            lambda x, g, mode=mode, padding=padding, align=align: F.grid_sample(
                x, g * 0.9, mode=mode, padding_mode=padding, align_corners=align),
            real(1, 2, 3, 3), real(1, 2, 2, 2, domain="unit"))
    add(grid_sample, "bilinear-5d",
        lambda x, g: F.grid_sample(x, g * 0.9, align_corners=False),
        real(1, 1, 2, 2, 3), real(1, 1, 2, 2, 3, domain="unit"))
    add(grid_sample, "broadcast input",
        lambda x, g: F.grid_sample(x.expand(2, 1, 3, 3), g * 0.9, align_corners=True),
        real(1, 1, 3, 3), real(2, 2, 1, 2, domain="unit"))
    add("nn.functional.affine_grid", "2d",
        lambda theta: F.affine_grid(theta, (2, 1, 2, 3), align_corners=False), real(2, 2, 3))
    add("nn.functional.affine_grid", "3d",
        lambda theta: F.affine_grid(theta, (1, 1, 2, 2, 3), align_corners=True), real(1, 3, 4))
