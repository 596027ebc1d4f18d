"""op_db entries of one op family:
GradScaler's ops (ember/ops/amp.h), through wrappers that run the in-place op on copies and return
what it wrote: _amp_foreach_non_finite_check_and_unscale_ (the unscaled gradient and found_inf)
and _amp_update_scale_ (the scale and the growth tracker), against numpy's rule."""
import numpy as np
from op_db import FLOATING, Input, OpInfo, Sample, make_values, round_to, shape_tag

import ember

ops = ember._C._autocast
STATE = {"layouts": ("contiguous", "transposed", "sliced")}


def unscale(grad, found_inf, inv_scale):
    grad, found_inf = grad.clone(), found_inf.clone()
    ops._amp_foreach_non_finite_check_and_unscale_([grad], found_inf, inv_scale)
    return grad, found_inf


def unscale_ref(grad, found_inf, inv_scale):
    non_finite = float(not np.isfinite(grad).all())
    return grad * inv_scale[0], np.maximum(found_inf, non_finite)


def one(value, dtype=ember.float32):
    return Input(round_to(np.array([value]), dtype), dtype)


def unscale_samples(rng, dtype):
    found = [Sample((Input(make_values(rng, shape, dtype), dtype), one(0.0), one(0.5)),
                    tag=shape_tag(shape)) for shape in [(3, 4), (7,), (0, 3), ()]]
    with_inf = make_values(rng, (2, 3), dtype)
    with_inf[1, 2] = np.inf
    with_nan = make_values(rng, (4,), dtype)
    with_nan[0] = np.nan
    found += [Sample((Input(with_inf, dtype), one(0.0), one(0.25))),
              Sample((Input(with_nan, dtype), one(0.0), one(2.0))),
              Sample((Input(make_values(rng, (3,), dtype), dtype), one(1.0), one(1.0)))]
    return found


def update(scale, growth_tracker, found_inf, growth_factor, backoff_factor, growth_interval):
    scale, growth_tracker = scale.clone(), growth_tracker.clone()
    ops._amp_update_scale_(scale, growth_tracker, found_inf, growth_factor, backoff_factor,
                           growth_interval)
    return scale, growth_tracker


def update_ref(scale, growth_tracker, found_inf, growth_factor, backoff_factor, growth_interval):
    if found_inf[0] > 0:
        return scale * backoff_factor, np.zeros_like(growth_tracker)
    successful = growth_tracker + 1
    if successful[0] == growth_interval:
        grown = (scale * growth_factor).astype(np.float32)
        return (grown if np.isfinite(grown).all() else scale), np.zeros_like(growth_tracker)
    return scale, successful


def update_samples(rng, dtype):
    del rng
    tracker = lambda value: one(value, ember.int32)  # noqa: E731
    return [Sample((one(1024.0), tracker(3), one(1.0), 2.0, 0.5, 10)),
            Sample((one(1024.0), tracker(3), one(0.0), 2.0, 0.5, 10)),
            Sample((one(1024.0), tracker(9), one(0.0), 2.0, 0.5, 10)),
            Sample((one(3e38), tracker(0), one(0.0), 2.0, 0.5, 1))]


ENTRIES = [
    OpInfo("_amp_foreach_non_finite_check_and_unscale_", unscale, unscale_ref, unscale_samples,
           dtypes=FLOATING, out_dtype=lambda dtype: (dtype, ember.float32), functions=(),
           **STATE),
    OpInfo("_amp_update_scale_", update, update_ref, update_samples, dtypes=(ember.float32,),
           kind="exact", out_dtype=lambda dtype: (ember.float32, ember.int32), functions=(),
           **STATE),
]
