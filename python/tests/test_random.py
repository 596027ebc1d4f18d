"""Generators and random ops: reproducibility from a generator's state, independence of
generators from the default one and from the thread count, per-process seeding, PyTorch's
call forms (generator=, seeds, random_'s ranges), and bad inputs."""
import subprocess
import sys

import numpy as np
import pytest

import ember

N = 1 << 17  # above the kernels' parallel grain


def gen(seed=0):
    return ember.Generator().manual_seed(seed)


# Every sampler that takes a generator, as a function of it.
SAMPLERS = {
    "rand": lambda g: ember.rand(N, generator=g),
    "randn": lambda g: ember.randn(N, generator=g, dtype=ember.float64),
    "randint": lambda g: ember.randint(-5, 5, (N,), generator=g),
    "randperm": lambda g: ember.randperm(N, generator=g),
    "normal": lambda g: ember.normal(1.0, 2.0, (N,), generator=g),
    "normal_tensors": lambda g: ember.normal(ember.zeros(N), ember.ones(N), generator=g),
    "normal_tensor_mean": lambda g: ember.normal(ember.zeros(N), 3.0, generator=g),
    "normal_tensor_std": lambda g: ember.normal(1.0, ember.ones(N), generator=g),
    "bernoulli": lambda g: ember.bernoulli(ember.full((N,), 0.3), generator=g),
    "bernoulli_p": lambda g: ember.bernoulli(ember.zeros(N), 0.3, generator=g),
    "bernoulli_method": lambda g: ember.full((N,), 0.3).bernoulli(generator=g),
    "multinomial": lambda g: ember.multinomial(ember.ones(64, 1000), 10, generator=g),
    "multinomial_replacement": lambda g: ember.ones(64, 1000).multinomial(100, True, generator=g),
    "poisson": lambda g: ember.poisson(ember.full((N,), 3.0), generator=g),
    "uniform_": lambda g: ember.empty(N).uniform_(-1, 1, generator=g),
    "normal_": lambda g: ember.empty(N).normal_(2, 3, generator=g),
    "bernoulli_": lambda g: ember.empty(N).bernoulli_(0.2, generator=g),
    "bernoulli_tensor_": lambda g: ember.empty(N).bernoulli_(ember.full((N,), 0.2), generator=g),
    "exponential_": lambda g: ember.empty(N).exponential_(2.0, generator=g),
    "geometric_": lambda g: ember.empty(N).geometric_(0.2, generator=g),
    "log_normal_": lambda g: ember.empty(N, dtype=ember.float64).log_normal_(generator=g),
    "cauchy_": lambda g: ember.empty(N).cauchy_(generator=g),
    "random_": lambda g: ember.empty(N, dtype=ember.int32).random_(generator=g),
    "random_to": lambda g: ember.empty(N).random_(10, generator=g),
    "random_from_to": lambda g: ember.empty(N, dtype=ember.int16).random_(-3, 3, generator=g),
}


def values(tensor):
    return tensor.double().numpy()


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_a_seeded_generator_reproduces_its_stream(name):
    draw = SAMPLERS[name]
    first = values(draw(gen(42)))
    np.testing.assert_array_equal(values(draw(gen(42))), first)
    g = gen(42)
    draw(g)
    assert not np.array_equal(values(draw(g)), first), "the stream must move on"


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_a_generator_leaves_the_default_alone(name):
    ember.manual_seed(5)
    expected = ember.rand(8).numpy()
    ember.manual_seed(5)
    SAMPLERS[name](gen(1))
    np.testing.assert_array_equal(ember.rand(8).numpy(), expected)


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_streams_do_not_depend_on_the_thread_count(name):
    threads = ember.get_num_threads()
    try:
        ember.set_num_threads(1)
        single = values(SAMPLERS[name](gen(7)))
        ember.set_num_threads(2)
        np.testing.assert_array_equal(values(SAMPLERS[name](gen(7))), single)
    finally:
        ember.set_num_threads(threads)


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_the_default_generator_is_reproducible(name):
    ember.manual_seed(11)
    first = values(SAMPLERS[name](None))
    ember.manual_seed(11)
    np.testing.assert_array_equal(values(SAMPLERS[name](None)), first)


def test_generator_api():
    g = ember.Generator()
    assert g.initial_seed() == 67280421310721  # PyTorch's default seed of a new Generator
    assert g.device == ember.device("cpu")
    assert ember.Generator("cpu").initial_seed() == 67280421310721
    assert g.manual_seed(3) is g and g.initial_seed() == 3
    state = g.get_state()
    assert state.dtype == ember.uint8 and tuple(state.shape) == (16,)
    expected = ember.rand(5, generator=g).tolist()
    assert g.set_state(state) is g
    assert ember.rand(5, generator=g).tolist() == expected
    chosen = g.seed()
    assert isinstance(chosen, int) and g.initial_seed() == chosen
    assert g.seed() != chosen


def test_seeds_outside_int64_follow_pytorch():
    g = ember.Generator()
    assert g.manual_seed(2**64 - 1).initial_seed() == 2**64 - 1
    assert g.manual_seed(-1).initial_seed() == 2**64 - 1  # reinterpreted bit for bit
    with pytest.raises(RuntimeError, match="Overflow"):
        g.manual_seed(2**64)
    with pytest.raises(TypeError):
        g.manual_seed(1.5)


def test_global_seed_functions():
    assert ember.manual_seed(3) is ember.default_generator
    assert ember.initial_seed() == 3 and ember.default_generator.initial_seed() == 3
    state = ember.get_rng_state()
    expected = ember.randn(6).tolist()
    ember.set_rng_state(state)
    assert ember.randn(6).tolist() == expected
    ember.default_generator.manual_seed(4)
    assert ember.initial_seed() == 4
    chosen = ember.seed()
    assert ember.initial_seed() == chosen


def test_bad_states_raise_and_keep_the_state():
    g = gen(9)
    state = g.get_state()
    with pytest.raises(RuntimeError, match="ByteTensor"):
        g.set_state(ember.zeros(16))
    with pytest.raises(RuntimeError, match="16 bytes"):
        ember.set_rng_state(ember.zeros(3, dtype=ember.uint8))
    assert g.get_state().tolist() == state.tolist()
    with pytest.raises(TypeError):
        ember.rand(3, generator="cpu")
    if not ember.cuda.is_available():
        with pytest.raises(RuntimeError, match="no CUDA device is available|no CUDA support"):
            ember.Generator("cuda")


SEED_SCRIPT = ("import ember, sys; {} print(ember.initial_seed(), ember.rand(4).tolist())")


def run_in_new_process(setup=""):
    result = subprocess.run([sys.executable, "-c", SEED_SCRIPT.format(setup)],
                            capture_output=True, text=True, check=True, timeout=120)
    return result.stdout


def test_each_process_starts_from_its_own_seed():
    assert run_in_new_process() != run_in_new_process()
    seeded = "ember.manual_seed(17);"
    assert run_in_new_process(seeded) == run_in_new_process(seeded)


def test_generators_are_thread_safe():
    """Threads sharing one generator each reserve distinct stream positions."""
    from concurrent.futures import ThreadPoolExecutor
    g = gen(2)
    with ThreadPoolExecutor(4) as pool:
        draws = list(pool.map(lambda _: tuple(ember.rand(3, generator=g).tolist()), range(64)))
    assert len(set(draws)) == 64
    # The same 64 draws, in some order, as one thread takes them.
    g = gen(2)
    assert set(draws) == {tuple(ember.rand(3, generator=g).tolist()) for _ in range(64)}


def test_multinomial_method_equals_function():
    weights = ember.rand(5, 7) + 0.1
    assert (weights.multinomial(4, generator=gen(1)).tolist() ==
            ember.multinomial(weights, 4, generator=gen(1)).tolist())


def test_multinomial_bad_inputs():
    with pytest.raises(RuntimeError, match="element < 0"):
        ember.multinomial(ember.tensor([1.0, -1.0]), 1)
    with pytest.raises(RuntimeError, match="`inf`"):
        ember.multinomial(ember.tensor([1.0, float("inf")]), 1)
    with pytest.raises(RuntimeError, match="sum of probabilities"):
        ember.multinomial(ember.zeros(2, 3), 1, True)
    with pytest.raises(RuntimeError, match="without replacement"):
        ember.multinomial(ember.ones(3), 4)
    with pytest.raises(RuntimeError, match="not enough"):
        ember.multinomial(ember.tensor([1.0, 0.0, 0.0]), 2)
    with pytest.raises(RuntimeError, match="1 or 2 dim"):
        ember.multinomial(ember.ones(2, 2, 2), 1)
    with pytest.raises(RuntimeError, match="floating-point"):
        ember.multinomial(ember.ones(3, dtype=ember.int64), 1)
    with pytest.raises(RuntimeError, match="n_sample <= 0"):
        ember.multinomial(ember.ones(3), 0)


def test_multinomial_distribution_without_replacement():
    """The first two draws of [1, 2, 3] without replacement: P(a, b) = w_a/6 * w_b/(6 - w_a)."""
    g = gen(5)
    counts = {}
    trials = 30000
    drawn = ember.multinomial(ember.tensor([1.0, 2.0, 3.0]).expand(trials, 3), 2, generator=g)
    for pair in map(tuple, drawn.tolist()):
        counts[pair] = counts.get(pair, 0) + 1
    w = [1.0, 2.0, 3.0]
    for a in range(3):
        for b in range(3):
            if a != b:
                p = w[a] / 6 * w[b] / (6 - w[a])
                assert abs(counts.get((a, b), 0) / trials - p) <= 6 * np.sqrt(p * (1 - p) / trials)


def test_randperm_forms():
    assert ember.randperm(5).dtype == ember.int64
    assert ember.randperm(5, dtype=ember.float32).dtype == ember.float32
    assert ember.randperm(0).tolist() == []
    with pytest.raises(RuntimeError, match="non-negative"):
        ember.randperm(-1)
    with pytest.raises(RuntimeError, match="too large"):
        ember.randperm(300, dtype=ember.int8)


def test_random_ranges():
    x = ember.empty(2000, dtype=ember.uint8).random_()
    assert x.min().item() == 0 and x.max().item() == 255
    y = ember.empty(2000).random_(5)
    assert set(y.tolist()) == {0.0, 1.0, 2.0, 3.0, 4.0}
    z = ember.empty(2000, dtype=ember.int8).random_(-2, 2)
    assert set(z.tolist()) == {-2, -1, 0, 1}
    with pytest.raises(RuntimeError, match="from=3 >= to=3"):
        ember.empty(2).random_(3, 3)
    with pytest.raises(RuntimeError, match="out of bounds"):
        ember.empty(2, dtype=ember.uint8).random_(0, 300)


@pytest.mark.parametrize(("fill", "message"), [
    (lambda x: x.exponential_(-1.0), "lambda > 0"),
    (lambda x: x.geometric_(0.0), r"\(0, 1\)"),
    (lambda x: x.log_normal_(0.0, 0.0), "std > 0"),
    (lambda x: x.cauchy_(0.0, -1.0), "sigma > 0"),
    (lambda x: x.normal_(0.0, -1.0), "std >= 0"),
    (lambda x: x.uniform_(2.0, 1.0), "from <= to"),
    (lambda x: x.bernoulli_(1.5), r"\[0, 1\]"),
    (lambda x: x.bernoulli_(ember.ones(3)), "must match"),
])
def test_bad_fills_write_nothing(fill, message):
    x = ember.zeros(4)
    with pytest.raises(RuntimeError, match=message):
        fill(x)
    assert x.tolist() == [0.0] * 4


def test_float_fills_refuse_integer_tensors():
    for fill in ("exponential_", "log_normal_", "cauchy_", "normal_", "uniform_"):
        with pytest.raises(RuntimeError, match="floating point"):
            getattr(ember.zeros(2, dtype=ember.int64), fill)()


def test_poisson_bad_rates():
    with pytest.raises(RuntimeError, match="non-negative"):
        ember.poisson(ember.tensor([1.0, -2.0]))
    with pytest.raises(RuntimeError, match="non-negative"):
        ember.poisson(ember.tensor([float("nan")]))
    with pytest.raises(RuntimeError, match="floating point"):
        ember.poisson(ember.ones(2, dtype=ember.int64))


def test_normal_forms():
    mean = ember.zeros(3, requires_grad=True)
    out = ember.normal(mean, ember.ones(3))
    assert out.requires_grad  # with zero gradients, as PyTorch (gradcheck_random.ZERO_GRADIENT)
    assert tuple(ember.normal(ember.zeros(2, 1), ember.ones(1, 5)).shape) == (2, 5)
    assert ember.normal(2.0, 3.0, (4,)).shape == (4,)
    assert ember.normal(2.0, 3.0, size=(4,), generator=gen()).shape == (4,)
    with pytest.raises(RuntimeError, match="std >= 0"):
        ember.normal(ember.zeros(2), ember.tensor([1.0, -1.0]))
    with pytest.raises(TypeError, match="size"):
        ember.normal(0.0, 1.0)


def test_like_factories_take_no_generator_as_in_pytorch():
    x = ember.zeros(2, 3, dtype=ember.int32)
    r = ember.randint_like(x, 4)
    assert r.dtype == ember.int32 and tuple(r.shape) == (2, 3)
    assert ember.randint_like(x, 2, 3).tolist() == [[2, 2, 2], [2, 2, 2]]
    with pytest.raises(TypeError):
        ember.rand_like(ember.zeros(2), generator=gen())
