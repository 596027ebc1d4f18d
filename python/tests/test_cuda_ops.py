"""T15 (RELIABILITY.md): every op of the op database on CUDA against the same op on the CPU, on
the same samples (contiguous and transposed inputs; empty and 0-d ones contiguous), within the
op's tolerance class for the result dtype. Random ops draw from the same seed on both devices and
must agree (Philox gives the same numbers). An op without a CUDA kernel yet is an expected failure
that names the op, so the report shows the backend's coverage. Without a CUDA device the whole
suite is one skipped test saying so (tools/gpu_check.sh runs it on a GPU)."""
import re

import numpy as np
import pytest
from op_db import OP_DB, as_numpy, dtype_name
from test_ops import Call, assert_matches

import ember

NO_DEVICE = "needs a CUDA device: T15 runs on a machine with a GPU (tools/gpu_check.sh)"


@pytest.fixture(autouse=True)
def tf32_off():
    """T15 compares with TF32 off; cuDNN allows it by default (as in PyTorch)."""
    previous = ember.backends.cudnn.allow_tf32
    ember.backends.cudnn.allow_tf32 = False
    yield
    ember.backends.cudnn.allow_tf32 = previous


def to_device(value, device):
    if isinstance(value, ember.Tensor):
        return value.to(device)
    if isinstance(value, ember.Generator):
        # A generator must serve its tensors' device: a fresh one at the same stream position.
        moved = ember.Generator(device=device)
        moved.set_state(value.get_state())
        return moved
    if isinstance(value, (tuple, list)):
        return type(value)(to_device(part, device) for part in value)
    return value


def as_reference(result):
    """The CPU result as the numpy values assert_matches compares against."""
    if isinstance(result, (tuple, list)):
        return tuple(as_reference(part) for part in result)
    return as_numpy(result) if isinstance(result, ember.Tensor) else np.asarray(result)


def dtypes_of(result):
    if isinstance(result, (tuple, list)):
        return tuple(dtypes_of(part) for part in result)
    return result.dtype


def cases():
    if not ember.cuda.is_available():
        yield pytest.param(None, None, None, marks=pytest.mark.skip(reason=NO_DEVICE),
                           id="no-cuda-device")
        return
    for info in OP_DB:
        for dtype in info.dtypes:
            for layout in ("contiguous", "transposed"):
                yield pytest.param(info, dtype, layout,
                                   id=f"{info.name}-{dtype_name(dtype)}-{layout}")


@pytest.mark.parametrize(("info", "dtype", "layout"), list(cases()))
def test_cuda_matches_cpu(info, dtype, layout):
    for sample in info.sample_inputs(dtype):
        if sample.tag != "regular" and layout != "contiguous":
            continue
        call = Call(info, sample, layout)
        where = call.describe(layout) + " on cuda"
        # Moved before the CPU run, so that a generator argument starts from the same state.
        args = to_device(call.args, "cuda")
        kwargs = {key: to_device(value, "cuda") for key, value in call.kwargs.items()}
        if info.name == "linalg.lstsq" and kwargs.get("driver", "gels") != "gels":
            # As PyTorch's, CUDA lstsq has the driver 'gels' only (its default there).
            with pytest.raises(RuntimeError, match="other than `gels` is not supported on CUDA"):
                info.op(*args, **kwargs)
            continue
        ember.manual_seed(info.seed(dtype))
        expected = call.run()
        ember.manual_seed(info.seed(dtype))
        try:
            result = info.op(*args, **kwargs)
        except (RuntimeError, NotImplementedError) as error:
            if "has no CUDA kernel" in str(error):
                pytest.xfail(str(error).splitlines()[0])
            raise
        assert_matches(to_device(result, "cpu"), as_reference(expected), dtypes_of(expected),
                       info.kind, sample.k, where)


# The matmul family through cuBLAS beyond the op database's samples: broadcast batch dims,
# sliced and transposed operands read in place, addmm's alpha and beta, TF32 off by default and
# on only when allowed, and no integer kernel (PyTorch has none either).
MATMUL_DTYPES = [ember.float32, ember.float64, ember.float16, ember.bfloat16]
MATMUL_TOLERANCES = {ember.float32: (1e-5, 1e-4), ember.float64: (1e-7, 1e-7),
                     ember.float16: (1e-2, 1e-2), ember.bfloat16: (1.6e-2, 1e-2)}


def assert_close_to_cpu(on_device, expected):
    assert on_device.device.type == "cuda"
    rtol, atol = MATMUL_TOLERANCES[expected.dtype]
    np.testing.assert_allclose(as_numpy(on_device.cpu().double()), as_numpy(expected.double()),
                               rtol=rtol, atol=atol)


@pytest.mark.skipif(not ember.cuda.is_available(), reason=NO_DEVICE)
@pytest.mark.parametrize("dtype", MATMUL_DTYPES, ids=dtype_name)
def test_matmul_layouts_match_cpu(dtype):
    ember.manual_seed(0)
    a = ember.randn(3, 1, 6, 9).to(dtype)
    b = ember.randn(4, 9, 5).to(dtype)
    assert_close_to_cpu(ember.matmul(a.cuda(), b.cuda()), ember.matmul(a, b))
    wide = ember.randn(9, 12).to(dtype)
    assert_close_to_cpu(ember.mm(a[0, 0].cuda(), wide.cuda()[:, 2:7]),
                        ember.mm(a[0, 0], wide[:, 2:7]))
    assert_close_to_cpu(ember.bmm(b.cuda().transpose(1, 2), b.cuda()),
                        ember.bmm(b.transpose(1, 2), b))
    bias = ember.randn(5).to(dtype)
    assert_close_to_cpu(ember.addmm(bias.cuda(), a[0, 0].cuda(), b[0].cuda(), beta=0.5, alpha=2),
                        ember.addmm(bias, a[0, 0], b[0], beta=0.5, alpha=2))


@pytest.mark.skipif(not ember.cuda.is_available(), reason=NO_DEVICE)
def test_matmul_tf32_only_when_allowed():
    assert ember.backends.cuda.matmul.allow_tf32 is False
    ember.manual_seed(0)
    a = ember.randn(64, 256) * 3 + 1
    b = ember.randn(256, 64)
    exact = as_numpy(ember.mm(a.double(), b.double()))
    full = as_numpy(ember.mm(a.cuda(), b.cuda()).cpu())
    np.testing.assert_allclose(full, exact, rtol=1e-4, atol=1e-3)
    try:
        ember.backends.cuda.matmul.allow_tf32 = True
        tf32 = as_numpy(ember.mm(a.cuda(), b.cuda()).cpu())
    finally:
        ember.backends.cuda.matmul.allow_tf32 = False
    np.testing.assert_allclose(tf32, exact, rtol=5e-2, atol=1.0)
    if ember.cuda.get_device_properties().major >= 8:
        assert not np.array_equal(full, tf32)


@pytest.mark.skipif(not ember.cuda.is_available(), reason=NO_DEVICE)
def test_integer_matmul_has_no_cuda_kernel():
    a = ember.ones(2, 2, dtype=ember.int64).cuda()
    with pytest.raises(NotImplementedError, match=r"\[mm\] has no CUDA kernel"):
        ember.mm(a, a)


# Convolutions through cuDNN: the gradients too (the data and weight passes), with groups, a
# stride, and 'same' padding with an even kernel (uneven padding), against the CPU; TF32 off.
CONV_CASES = [((2, 4, 7, 6), (6, 2, 3, 2), {"stride": (2, 1), "padding": 1, "groups": 2}),
              ((2, 3, 6, 5), (4, 3, 2, 2), {"padding": "same"}),
              ((2, 3, 9), (4, 3, 4), {"padding": "same", "dilation": 2})]


def assert_device_matches_cpu(on_device, expected, tolerance, what=""):
    """Each device result is a CUDA tensor within `tolerance` of the CPU's."""
    for actual, wanted in zip(on_device, expected):
        assert actual.device.type == "cuda"
        np.testing.assert_allclose(as_numpy(actual.cpu()), as_numpy(wanted), rtol=tolerance,
                                   atol=tolerance, err_msg=what)


@pytest.mark.skipif(not ember.cuda.is_available(), reason=NO_DEVICE)
@pytest.mark.parametrize("dtype", [ember.float32, ember.float64], ids=dtype_name)
@pytest.mark.parametrize(("x_shape", "w_shape", "kwargs"), CONV_CASES)
def test_conv_gradients_match_cpu(dtype, x_shape, w_shape, kwargs):
    ember.manual_seed(0)
    conv = ember.nn.functional.conv1d if len(x_shape) == 3 else ember.nn.functional.conv2d
    inputs = [ember.randn(*shape).to(dtype) for shape in (x_shape, w_shape, (w_shape[0],))]
    upstream = None
    results = {}
    for device in ("cpu", "cuda"):
        leaves = [t.to(device).detach().requires_grad_() for t in inputs]
        out = conv(*leaves, **kwargs)
        if upstream is None:
            upstream = ember.randn(*out.shape).to(dtype)
        out.backward(upstream.to(device))
        results[device] = [out.detach()] + [leaf.grad for leaf in leaves]
    tolerance = 1e-7 if dtype == ember.float64 else 1e-4
    assert_device_matches_cpu(results["cuda"], results["cpu"], tolerance)


# Normalisation, pooling and resampling on CUDA beyond the op database's samples: the forward
# outputs (max pooling's indices included) and every gradient against the CPU, which runs the
# backward kernels (batch_norm/group_norm backward, avg-pool and upsample adjoints, max pooling's
# scatter_add to the indices).
F = ember.nn.functional
NN_CASES = {
    "batch_norm_train": (lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
                         [(4, 3, 5, 6), (3,), (3,)]),
    "batch_norm_1d": (lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True, eps=1e-3),
                      [(7, 5), (5,), (5,)]),
    "group_norm": (lambda x, w, b: F.group_norm(x, 2, w, b), [(2, 4, 5, 3), (4,), (4,)]),
    "max_pool2d": (lambda x: F.max_pool2d_with_indices(x, 3, 2, 1), [(2, 3, 9, 8)]),
    "max_pool3d_ceil": (lambda x: F.max_pool3d(x, 2, 2, 1, ceil_mode=True, return_indices=True),
                        [(2, 2, 5, 4, 7)]),
    "max_pool1d_dilated": (lambda x: F.max_pool1d(x, 3, 1, 1, dilation=2), [(2, 3, 11)]),
    "adaptive_max_pool2d": (lambda x: F.adaptive_max_pool2d(x, (3, 4), return_indices=True),
                            [(2, 3, 7, 9)]),
    "avg_pool2d": (lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
                   [(2, 3, 8, 7)]),
    "avg_pool3d_divisor": (lambda x: F.avg_pool3d(x, 2, 1, 1, divisor_override=5),
                           [(1, 2, 3, 4, 5)]),
    "adaptive_avg_pool2d": (lambda x: F.adaptive_avg_pool2d(x, (3, 4)), [(2, 3, 7, 9)]),
    "bilinear": (lambda x: F.interpolate(x, size=(7, 9), mode="bilinear"), [(2, 3, 4, 5)]),
    "bilinear_aligned": (lambda x: F.interpolate(x, scale_factor=2.5, mode="bilinear",
                                                 align_corners=True), [(2, 3, 4, 5)]),
    "bicubic": (lambda x: F.interpolate(x, size=(3, 11), mode="bicubic"), [(2, 3, 6, 5)]),
    "nearest": (lambda x: F.interpolate(x, scale_factor=(2, 3), mode="nearest"), [(2, 3, 4, 5)]),
    "area": (lambda x: F.interpolate(x, size=(3, 4), mode="area"), [(2, 3, 7, 9)]),
    "trilinear": (lambda x: F.interpolate(x, size=(3, 5, 4), mode="trilinear"),
                  [(1, 2, 2, 3, 6)]),
    "bilinear_antialias": (lambda x: F.interpolate(x, size=(4, 3), mode="bilinear",
                                                   antialias=True), [(2, 3, 9, 8)]),
}


def outputs_and_grads(device, fn, tensors, dtype):
    leaves = [t.to(device).detach().requires_grad_() for t in tensors]
    result = fn(*leaves)
    outputs = tuple(result) if isinstance(result, (tuple, list)) else (result,)
    ember.manual_seed(1)
    upstream = ember.randn(*outputs[0].shape).to(dtype)
    outputs[0].backward(upstream.to(device))
    return [out.detach() for out in outputs] + [leaf.grad for leaf in leaves]


@pytest.mark.skipif(not ember.cuda.is_available(), reason=NO_DEVICE)
@pytest.mark.parametrize("dtype", [ember.float32, ember.float64], ids=dtype_name)
@pytest.mark.parametrize("name", list(NN_CASES))
def test_norm_pool_and_resampling_gradients_match_cpu(name, dtype):
    fn, shapes = NN_CASES[name]
    ember.manual_seed(0)
    tensors = [ember.randn(*shape).to(dtype) for shape in shapes]
    expected = outputs_and_grads("cpu", fn, tensors, dtype)
    on_device = outputs_and_grads("cuda", fn, tensors, dtype)
    tolerance = 1e-9 if dtype == ember.float64 else 1e-4
    assert_device_matches_cpu(on_device, expected, tolerance, name)


@pytest.mark.skipif(not ember.cuda.is_available(), reason=NO_DEVICE)
def test_batch_norm_running_statistics_match_cpu():
    ember.manual_seed(0)
    x = ember.randn(6, 4, 5) * 3 + 1
    stats = {}
    for device in ("cpu", "cuda"):
        mean = ember.zeros(4, device=device)
        var = ember.ones(4, device=device)
        y = F.batch_norm(x.to(device), mean, var, training=True, momentum=0.3)
        evaluated = F.batch_norm(x.to(device), mean, var, training=False)
        stats[device] = [y, mean, var, evaluated]
    for actual, wanted in zip(stats["cuda"], stats["cpu"]):
        np.testing.assert_allclose(as_numpy(actual.cpu()), as_numpy(wanted), rtol=1e-5,
                                   atol=1e-5)


@pytest.mark.skipif(not ember.cuda.is_available(), reason=NO_DEVICE)
@pytest.mark.parametrize("dtype", [ember.float32, ember.float64], ids=dtype_name)
@pytest.mark.parametrize(("mask", "is_causal"), [(None, False), (None, True), ("bool", False),
                                                 ("float", False)])
def test_attention_and_gradients_match_cpu(dtype, mask, is_causal):
    ember.manual_seed(0)
    inputs = [ember.randn(2, 3, 5, 4).to(dtype), ember.randn(2, 3, 7, 4).to(dtype),
              ember.randn(2, 3, 7, 6).to(dtype)]
    attn_mask = None
    if mask == "bool":
        attn_mask = ember.rand(2, 1, 5, 7) > 0.3
    elif mask == "float":
        attn_mask = ember.randn(2, 1, 5, 7).to(dtype)
    upstream = ember.randn(2, 3, 5, 6).to(dtype)
    results = {}
    for device in ("cpu", "cuda"):
        leaves = [t.to(device).detach().requires_grad_() for t in inputs]
        device_mask = None if attn_mask is None else attn_mask.to(device)
        out = ember.nn.functional.scaled_dot_product_attention(
            *leaves, attn_mask=device_mask, is_causal=is_causal)
        out.backward(upstream.to(device))
        results[device] = [out.detach()] + [leaf.grad for leaf in leaves]
    tolerance = 1e-7 if dtype == ember.float64 else 1e-4
    assert_device_matches_cpu(results["cuda"], results["cpu"], tolerance)


def generators_at_one_state(seed):
    cpu = ember.Generator()
    cpu.manual_seed(seed)
    cuda = ember.Generator(device="cuda")
    cuda.set_state(cpu.get_state())
    return cpu, cuda


@pytest.mark.skipif(not ember.cuda.is_available(), reason=NO_DEVICE)
def test_samplers_draw_the_cpus_numbers():
    """The same Philox state gives the CPU's draws; the device's exp/log/lgamma may differ in the
    last bit, so gamma draws agree to rounding and a rare binomial rejection may differ."""
    alpha = ember.tensor([0.3, 1.0, 2.5, 17.0, 1e-3, 250.0] * 200, dtype=ember.float64)
    cpu, cuda = generators_at_one_state(5)
    on_cpu = ember._standard_gamma(alpha, generator=cpu)
    on_cuda = ember._standard_gamma(alpha.cuda(), generator=cuda)
    assert on_cuda.device.type == "cuda"
    close = np.isclose(as_numpy(on_cuda.cpu()), as_numpy(on_cpu), rtol=1e-9, atol=0)
    assert close.mean() > 0.99
    grad = ember._standard_gamma_grad(alpha.cuda(), on_cuda)
    np.testing.assert_allclose(as_numpy(grad.cpu()),
                               as_numpy(ember._standard_gamma_grad(alpha, on_cuda.cpu())),
                               rtol=1e-9, atol=1e-12)
    count = ember.tensor([0.0, 5, 12, 1000, 40, 1e6] * 200, dtype=ember.float64)
    prob = ember.tensor([0.5, 0.0, 1.0, 0.3, 0.99, 0.5] * 200, dtype=ember.float64)
    cpu, cuda = generators_at_one_state(9)
    on_cpu = ember.binomial(count, prob, generator=cpu)
    on_cuda = ember.binomial(count.cuda(), prob.cuda(), generator=cuda)
    assert (as_numpy(on_cuda.cpu()) == as_numpy(on_cpu)).mean() > 0.99


@pytest.mark.skipif(not ember.cuda.is_available(), reason=NO_DEVICE)
def test_poisson_and_multinomial_draw_the_cpus_numbers():
    """poisson reads the CPU's per-element Philox streams (a rare PTRS decision may differ with
    the device's log/lgamma); multinomial reads the CPU's uniforms, so without replacement the
    categories are the CPU's and with replacement they differ only where a draw falls within
    rounding of a cumulative-sum boundary."""
    rates = ember.tensor([0.0, 0.5, 3.0, 9.99, 10.0, 42.5, 1e6] * 300, dtype=ember.float32)
    cpu, cuda = generators_at_one_state(3)
    on_cpu = ember.poisson(rates, generator=cpu)
    on_cuda = ember.poisson(rates.cuda(), generator=cuda)
    assert on_cuda.device.type == "cuda" and on_cuda.dtype == ember.float32
    assert (as_numpy(on_cuda.cpu()) == as_numpy(on_cpu)).mean() > 0.99
    strided = rates.reshape(300, 7).t()
    cpu, cuda = generators_at_one_state(4)
    assert (as_numpy(ember.poisson(strided.cuda(), generator=cuda).cpu()) ==
            as_numpy(ember.poisson(strided, generator=cpu))).mean() > 0.99

    probs = ember.rand(16, 500, dtype=ember.float64)
    probs[:, :7] = 0
    for replacement, samples in ((True, 2000), (False, 100)):
        cpu, cuda = generators_at_one_state(7)
        on_cpu = ember.multinomial(probs, samples, replacement, generator=cpu)
        on_cuda = ember.multinomial(probs.cuda(), samples, replacement, generator=cuda)
        assert on_cuda.device.type == "cuda" and on_cuda.dtype == ember.int64
        same = (as_numpy(on_cuda.cpu()) == as_numpy(on_cpu)).mean()
        assert same > (0.999 if replacement else 0.99), (replacement, same)
    for dtype in (ember.float32, ember.float16):
        weights = ember.tensor([1.0, 0.0, 3.0, 4.0], dtype=dtype)
        picks = as_numpy(ember.multinomial(weights.cuda(), 20000, True).cpu())
        shares = np.bincount(picks, minlength=4) / picks.size
        np.testing.assert_allclose(shares, [0.125, 0.0, 0.375, 0.5], atol=0.02)
        drawn = as_numpy(ember.multinomial(weights.cuda(), 3).cpu())
        assert sorted(drawn.tolist()) == [0, 2, 3]


@pytest.mark.skipif(not ember.cuda.is_available(), reason=NO_DEVICE)
@pytest.mark.parametrize(("call", "message"), [
    (lambda: ember.poisson(ember.tensor([1.0, -2.0]).cuda()), "invalid Poisson rate"),
    (lambda: ember.poisson(ember.tensor([1.0, float("nan")]).cuda()), "invalid Poisson rate"),
    (lambda: ember.multinomial(ember.tensor([[1.0, -1.0]]).cuda(), 1), "element < 0"),
    (lambda: ember.multinomial(ember.tensor([1.0, float("inf")]).cuda(), 1), "element < 0"),
    (lambda: ember.multinomial(ember.tensor([[1.0, 1.0], [0.0, 0.0]]).cuda(), 1, True),
     "sum of probabilities <= 0) in row 1"),
    (lambda: ember.multinomial(ember.tensor([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]]).cuda(), 2),
     "row 1 has 1 positive weights for 2 samples"),
], ids=["negative-rate", "nan-rate", "negative-prob", "inf-prob", "zero-row", "few-positive"])
def test_poisson_and_multinomial_check_their_parameters_on_cuda(call, message):
    with pytest.raises(RuntimeError, match=re.escape(message)):
        call()


RNN_CASES = [
    ("RNN", {"nonlinearity": "relu", "bidirectional": True}),
    ("LSTM", {"num_layers": 2, "batch_first": True}),
    ("LSTM", {"proj_size": 2, "bidirectional": True}),
    ("GRU", {"bias": False}),
    ("LSTMCell", {}),
    ("GRUCell", {}),
    ("RNNCell", {"nonlinearity": "tanh"}),
]


@pytest.mark.skipif(not ember.cuda.is_available(), reason=NO_DEVICE)
@pytest.mark.parametrize("dtype", [ember.float32, ember.float64], ids=dtype_name)
@pytest.mark.parametrize(("name", "kwargs"), RNN_CASES, ids=[case[0] for case in RNN_CASES])
def test_recurrent_layers_and_gradients_match_cpu(dtype, name, kwargs):
    ember.manual_seed(0)
    module = getattr(ember.nn, name)(3, 4, **kwargs).to(dtype)
    x = ember.randn(5, 3) if name.endswith("Cell") else ember.randn(2, 5, 3)
    x = x.to(dtype)
    results = {}
    for device in ("cpu", "cuda"):
        moved = module.to(device)
        leaf = x.to(device).detach().requires_grad_()
        out = moved(leaf)
        out = out[0] if isinstance(out, tuple) else out
        out.sum().backward()
        grads = [p.grad.detach().to("cpu").clone() for p in moved.parameters()]
        results[device] = [out.detach().to("cpu"), leaf.grad.to("cpu"), *grads]
        for p in moved.parameters():
            p.grad = None
    tolerance = 1e-7 if dtype == ember.float64 else 1e-4
    for on_device, expected in zip(results["cuda"], results["cpu"]):
        np.testing.assert_allclose(as_numpy(on_device), as_numpy(expected),
                                   rtol=tolerance, atol=tolerance)


# The LAPACK ops that go through cuSOLVER and cuBLAS on CUDA beyond the op database's samples:
# their gradients (the backward formulas run solves, SVDs and determinants on the device), on
# well-conditioned matrices (square operands get 4 I added).
LINALG_CASES = {
    "det": (lambda a: ember.linalg.det(a), [(2, 4, 4)]),
    "slogdet": (lambda a: ember.linalg.slogdet(a)[1], [(3, 5, 5)]),
    "solve_triangular": (lambda a, b: ember.linalg.solve_triangular(a, b, upper=True),
                         [(2, 4, 4), (2, 4, 3)]),
    "solve_triangular_right_unit": (
        lambda a, b: ember.linalg.solve_triangular(a, b, upper=False, left=False,
                                                   unitriangular=True), [(4, 4), (3, 2, 4)]),
    "lstsq_tall": (lambda a, b: ember.linalg.lstsq(a, b).solution, [(2, 6, 3), (2, 6, 2)]),
    "lstsq_wide": (lambda a, b: ember.linalg.lstsq(a, b).solution, [(3, 5), (3, 2)]),
}


@pytest.mark.skipif(not ember.cuda.is_available(), reason=NO_DEVICE)
@pytest.mark.parametrize("dtype", [ember.float32, ember.float64], ids=dtype_name)
@pytest.mark.parametrize("name", list(LINALG_CASES))
def test_linalg_and_gradients_match_cpu(name, dtype):
    fn, shapes = LINALG_CASES[name]
    ember.manual_seed(0)
    tensors = []
    for shape in shapes:
        t = ember.randn(*shape, dtype=ember.float64)
        if shape[-1] == shape[-2]:
            t = t + 4 * ember.eye(shape[-1], dtype=ember.float64)
        tensors.append(t.to(dtype))
    expected = outputs_and_grads("cpu", fn, tensors, dtype)
    on_device = outputs_and_grads("cuda", fn, tensors, dtype)
    tolerance = 1e-8 if dtype == ember.float64 else 1e-3
    assert_device_matches_cpu(on_device, expected, tolerance, name)


@pytest.mark.skipif(not ember.cuda.is_available(), reason=NO_DEVICE)
def test_linalg_singular_and_rank_deficient_matrices_on_cuda():
    singular = ember.tensor([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0], [0.5, -1.0, 4.0]]).cuda()
    assert ember.linalg.det(singular).item() == 0
    sign, logabsdet = ember.linalg.slogdet(singular)
    assert sign.item() == 0 and logabsdet.item() == float("-inf")
    a = ember.randn(5, 3)
    a[:, 1] = 0
    with pytest.raises(ember.linalg.LinAlgError):
        ember.linalg.lstsq(a.cuda(), ember.randn(5, 2).cuda())
    result = ember.linalg.lstsq(ember.randn(5, 3).cuda(), ember.randn(5, 2).cuda())
    assert result.rank.numel() == 0 and result.singular_values.numel() == 0
    assert result.residuals.shape == (2,)
