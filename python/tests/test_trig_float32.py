"""float32 sin, cos and tan through the CPU kernels against numpy's float64 results rounded to
float32: moderate arguments (below 2^20, the Cody-Waite path of elementwise/fast_trig.h), huge
ones up to the float32 maximum (the full reduction), blocks mixing both, special values and
strided inputs."""
import numpy as np
import pytest

import ember

FUNCTIONS = [("sin", np.sin, 2), ("cos", np.cos, 2), ("tan", np.tan, 4)]


def ulp_distance(a, b):
    """Steps between float32 values on the number line (-0 one step below +0); NaN == NaN."""
    def ordinal(x):
        bits = x.view(np.int32).astype(np.int64)
        return np.where(bits < 0, -(bits & 0x7FFFFFFF) - 1, bits)
    distance = np.abs(ordinal(a) - ordinal(b))
    both_nan = np.isnan(a) & np.isnan(b)
    return np.where(both_nan, 0, np.where(np.isnan(a) | np.isnan(b), 1 << 40, distance))


def arguments():
    rng = np.random.default_rng(8)
    moderate = rng.uniform(-2.0**20, 2.0**20, 1 << 18)
    small = rng.uniform(-4.0, 4.0, 1 << 16)
    near_multiples = np.arange(-5000, 5000) * (np.pi / 2)  # rounded to float32: close to zeros
    magnitudes = 2.0 ** rng.uniform(-30, 127.9, 1 << 16) * rng.choice([-1.0, 1.0], 1 << 16)
    bounds = np.array([2.0**20, np.nextafter(np.float32(2**20), np.float32(0)), 3.4e38, 1e-45])
    return np.concatenate([moderate, small, near_multiples, magnitudes, bounds,
                           -bounds]).astype(np.float32)


@pytest.mark.parametrize("name,reference,max_ulp", FUNCTIONS)
def test_float32_trig_matches_float64_reference(name, reference, max_ulp):
    x = arguments()
    expected = reference(x.astype(np.float64)).astype(np.float32)
    result = getattr(ember, name)(ember.from_numpy(x)).numpy()
    distance = ulp_distance(result, expected)
    worst = int(np.argmax(distance))
    assert distance[worst] <= max_ulp, (x[worst], result[worst], expected[worst])


@pytest.mark.parametrize("name,reference,max_ulp", FUNCTIONS)
def test_float32_trig_blocks_mixing_moderate_and_huge_arguments(name, reference, max_ulp):
    rng = np.random.default_rng(9)
    x = rng.uniform(-1000.0, 1000.0, 4096).astype(np.float32)
    x[::300] = np.float32(1e30)  # every kernel block holds one argument the fast path refuses
    x[7::997] = np.float32(np.inf)
    x[11::1499] = np.float32(np.nan)
    with np.errstate(invalid="ignore"):
        expected = reference(x.astype(np.float64)).astype(np.float32)
    mixed = getattr(ember, name)(ember.from_numpy(x)).numpy()
    assert ulp_distance(mixed, expected).max() <= max_ulp
    # The same moderate arguments without the huge ones: the same values within an ulp.
    moderate = np.isfinite(x) & (np.abs(x) < 1e4)
    alone = getattr(ember, name)(ember.from_numpy(x[moderate])).numpy()
    assert ulp_distance(alone, mixed[moderate]).max() <= 1


@pytest.mark.parametrize("name,reference,max_ulp", FUNCTIONS)
def test_float32_trig_special_values_and_strided_input(name, reference, max_ulp):
    special = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40, -1e-40], np.float32)
    result = getattr(ember, name)(ember.from_numpy(special)).numpy()
    with np.errstate(invalid="ignore"):
        expected = reference(special.astype(np.float64)).astype(np.float32)
    assert (ulp_distance(result, expected) == 0).all()
    grid = np.linspace(-3e5, 3e5, 2 * 1000, dtype=np.float32).reshape(1000, 2)
    strided = getattr(ember, name)(ember.from_numpy(grid)[:, 1]).numpy()
    expected = reference(grid[:, 1].astype(np.float64)).astype(np.float32)
    assert ulp_distance(strided, expected).max() <= max_ulp
