"""ember.nn.init: PyTorch's gain table and fans, each fill's distribution (bounds and moments
within 6 standard errors), no graph recorded, the generator used exactly as PyTorch's does (one
Philox offset per random fill, so C++ and Python agree), and PyTorch's errors and warnings.
"""
import math
import warnings

import numpy as np
import pytest

import ember
import ember.nn as nn
from ember.nn import init


def values(tensor):
    return tensor.detach().to(ember.float64).numpy().reshape(-1)


# PyTorch's documented table (torch.nn.init.calculate_gain).
GAINS = [("linear", None, 1.0), ("conv1d", None, 1.0), ("conv2d", None, 1.0),
         ("conv3d", None, 1.0), ("conv_transpose1d", None, 1.0), ("conv_transpose2d", None, 1.0),
         ("conv_transpose3d", None, 1.0), ("sigmoid", None, 1.0), ("tanh", None, 5.0 / 3),
         ("relu", None, math.sqrt(2.0)), ("leaky_relu", None, math.sqrt(2.0 / (1 + 0.01**2))),
         ("leaky_relu", 0.2, math.sqrt(2.0 / 1.04)), ("leaky_relu", 1, 1.0),
         ("selu", None, 0.75)]


@pytest.mark.parametrize(("nonlinearity", "param", "gain"), GAINS)
def test_calculate_gain_is_pytorchs_table(nonlinearity, param, gain):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(gain, rel=1e-15)


def test_calculate_gain_errors():
    with pytest.raises(ValueError, match="Unsupported nonlinearity gelu"):
        init.calculate_gain("gelu")
    with pytest.raises(ValueError, match="negative_slope True not a valid number"):
        init.calculate_gain("leaky_relu", True)
    with pytest.raises(ValueError, match="not a valid number"):
        init.calculate_gain("leaky_relu", "0.1")


def test_fans():
    assert init._calculate_fan_in_and_fan_out(ember.empty(5, 3)) == (3, 5)
    assert init._calculate_fan_in_and_fan_out(ember.empty(16, 8, 3, 3)) == (72, 144)
    assert init._calculate_fan_in_and_fan_out(ember.empty(4, 2, 5)) == (10, 20)


@pytest.mark.parametrize("fill", [init.xavier_uniform_, init.xavier_normal_,
                                  init.kaiming_uniform_, init.kaiming_normal_,
                                  init._calculate_fan_in_and_fan_out])
def test_fewer_than_two_dims_raise(fill):
    with pytest.raises(ValueError, match="fewer than 2 dimensions.*\\[7\\]"):
        fill(ember.empty(7))


@pytest.mark.parametrize(("fill", "shape", "match"), [
    (init.eye_, (2, 2, 2), "Only tensors with 2 dimensions"),
    (init.dirac_, (3, 3), "Only tensors with 3, 4, or 5 dimensions"),
    (lambda t: init.dirac_(t, groups=2), (3, 2, 3), "divisible by groups"),
    (init.orthogonal_, (4,), "Only tensors with 2 or more dimensions"),
    (lambda t: init.sparse_(t, 0.5), (2, 2, 2), "Only tensors with 2 dimensions"),
    (lambda t: init.kaiming_uniform_(t, mode="fan_avg"), (2, 2), "Mode fan_avg not supported"),
    (lambda t: init.kaiming_normal_(t, nonlinearity="swish"), (2, 2),
     "Unsupported nonlinearity swish"),
])
def test_bad_shapes_and_names_raise_value_error(fill, shape, match):
    with pytest.raises(ValueError, match=match):
        fill(ember.empty(*shape))


def check_uniform(v, low, high):
    assert v.min() >= low and v.max() <= high
    assert v.min() < low + 0.01 * (high - low) and v.max() > high - 0.01 * (high - low)
    width = high - low
    assert abs(v.mean() - (low + high) / 2) < 6 * width / math.sqrt(12 * v.size)
    assert abs(v.var() - width**2 / 12) < 6 * width**2 * 0.075 / math.sqrt(v.size)


def check_normal(v, mean, std):
    assert abs(v.mean() - mean) < 6 * std / math.sqrt(v.size)
    assert abs(v.std() - std) < 6 * std / math.sqrt(2 * v.size)


def test_uniform_and_normal():
    t = ember.empty(200, 300, dtype=ember.float64)
    check_uniform(values(init.uniform_(t, -2.0, 3.0)), -2.0, 3.0)
    check_uniform(values(init.uniform_(t)), 0.0, 1.0)
    check_normal(values(init.normal_(t, 1.5, 0.5)), 1.5, 0.5)


def test_kaiming_and_xavier_follow_pytorchs_formulas():
    t = ember.empty(300, 200, dtype=ember.float64)
    gain = math.sqrt(2.0 / (1 + 5))
    bound = math.sqrt(3.0) * gain / math.sqrt(200)
    check_uniform(values(init.kaiming_uniform_(t, a=math.sqrt(5))), -bound, bound)
    bound = math.sqrt(3.0) * math.sqrt(2.0) / math.sqrt(300)
    check_uniform(values(init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu")),
                  -bound, bound)
    check_normal(values(init.kaiming_normal_(t, nonlinearity="relu")), 0.0,
                 math.sqrt(2.0) / math.sqrt(200))
    check_normal(values(init.kaiming_normal_(t, a=0.1, mode="FAN_OUT")), 0.0,
                 math.sqrt(2.0 / 1.01) / math.sqrt(300))
    bound = 2.0 * math.sqrt(6.0 / 500)
    check_uniform(values(init.xavier_uniform_(t, gain=2.0)), -bound, bound)
    check_normal(values(init.xavier_normal_(t)), 0.0, math.sqrt(2.0 / 500))
    conv = ember.empty(64, 16, 3, 3, dtype=ember.float64)
    bound = math.sqrt(3.0) * math.sqrt(2.0) / math.sqrt(16 * 9)
    check_uniform(values(init.kaiming_uniform_(conv, nonlinearity="relu")), -bound, bound)


def test_trunc_normal_stays_in_bounds_with_the_truncated_mean():
    t = init.trunc_normal_(ember.empty(100000, dtype=ember.float64), mean=0.5, std=1.0, a=-1.0,
                           b=1.5)
    v = values(t)
    assert v.min() >= -1.0 and v.max() <= 1.5

    def pdf(x):
        return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)

    def cdf(x):
        return (1 + math.erf(x / math.sqrt(2))) / 2

    z = cdf(1.0) - cdf(-1.5)
    assert abs(v.mean() - (0.5 + (pdf(-1.5) - pdf(1.0)) / z)) < 6 * 0.7 / math.sqrt(v.size)
    float32 = init.trunc_normal_(ember.empty(1000), std=0.02, a=-0.04, b=0.04)
    assert values(float32).min() >= -0.04 and values(float32).max() <= 0.04


def test_trunc_normal_warns_for_a_mean_far_from_the_interval():
    with pytest.warns(UserWarning, match="mean is more than 2 std from \\[a, b\\]"):
        init.trunc_normal_(ember.empty(10), mean=10.0, std=1.0, a=-2.0, b=2.0)


def test_zero_element_kaiming_warns_and_does_nothing():
    t = ember.empty(0, 3)
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        assert init.kaiming_uniform_(t) is t
    with pytest.warns(UserWarning):
        init.kaiming_normal_(ember.empty(0))


def test_deterministic_fills():
    t = ember.empty(2, 3)
    assert init.constant_(t, 0.25).tolist() == [[0.25] * 3] * 2
    assert init.ones_(t).tolist() == [[1.0] * 3] * 2
    assert init.zeros_(t).tolist() == [[0.0] * 3] * 2
    assert init.eye_(t).tolist() == [[1, 0, 0], [0, 1, 0]]
    conv = init.dirac_(ember.full((4, 2, 3, 3), 9.0), groups=2)
    expected = np.zeros((4, 2, 3, 3))
    for group in range(2):
        for channel in range(2):
            expected[group * 2 + channel, channel, 1, 1] = 1
    np.testing.assert_array_equal(conv.numpy(), expected)
    # dirac_ as a convolution weight passes its input through
    x = ember.randn(1, 3, 5)
    weight = init.dirac_(ember.empty(3, 3, 3))
    unfolded = ember.stack([x[0, :, i:i + 3] for i in range(3)])  # (positions, channels, 3)
    passed = ember.einsum("ocw,pcw->op", weight, unfolded)
    np.testing.assert_allclose(passed.numpy(), x[0, :, 1:4].numpy(), rtol=1e-6)


@pytest.mark.parametrize("shape", [(6, 4), (3, 7), (4, 2, 3), (5, 5)])
def test_orthogonal(shape):
    t = init.orthogonal_(ember.empty(*shape, dtype=ember.float64), gain=1.5)
    m = t.reshape(shape[0], -1).numpy()
    gram = m.T @ m if m.shape[0] >= m.shape[1] else m @ m.T
    np.testing.assert_allclose(gram, 2.25 * np.eye(gram.shape[0]), atol=1e-12)


def test_sparse_zeroes_ceil_sparsity_rows_per_column():
    t = init.sparse_(ember.empty(10, 8, dtype=ember.float64), sparsity=0.25, std=0.5)
    v = t.numpy()
    assert ((v == 0).sum(axis=0) == 3).all()
    nonzero = v[v != 0]
    assert abs(nonzero.std() - 0.5) < 0.25


def test_fills_record_no_graph_and_return_the_same_object():
    leaf = ember.empty(4, 3, requires_grad=True)
    for fill in (lambda t: init.uniform_(t), lambda t: init.normal_(t), init.ones_, init.zeros_,
                 init.eye_, init.xavier_uniform_, init.xavier_normal_, init.kaiming_uniform_,
                 init.kaiming_normal_, init.orthogonal_, lambda t: init.sparse_(t, 0.5),
                 lambda t: init.trunc_normal_(t), lambda t: init.constant_(t, 2)):
        assert fill(leaf) is leaf
        assert leaf.requires_grad and leaf.is_leaf and leaf.grad_fn is None
    # The values are used by autograd afterwards like any leaf's.
    (leaf * 2).sum().backward()
    assert leaf.grad.tolist() == [[2.0] * 3] * 4


def test_a_view_of_a_leaf_can_be_initialised():
    leaf = ember.zeros(4, 3, requires_grad=True)
    init.ones_(leaf[1])
    assert leaf.tolist()[1] == [1.0, 1.0, 1.0] and leaf.grad_fn is None


def test_each_random_fill_takes_the_next_generator_offset():
    """Linear's reset (kaiming_uniform_ then uniform_) equals two direct fills with the same
    bounds: the draws are Tensor.uniform_'s, which C++ and Python share."""
    ember.manual_seed(123)
    weight = init.kaiming_uniform_(ember.empty(4, 3), a=math.sqrt(5))
    bias = init.uniform_(ember.empty(4), -1 / math.sqrt(3), 1 / math.sqrt(3))
    ember.manual_seed(123)
    bound = math.sqrt(3.0) * math.sqrt(2.0 / 6) / math.sqrt(3)
    assert ember.equal(weight, ember.empty(4, 3).uniform_(-bound, bound))
    assert ember.equal(bias, ember.empty(4).uniform_(-1 / math.sqrt(3), 1 / math.sqrt(3)))


def test_generator_keyword():
    generator = ember.Generator().manual_seed(5)
    first = init.xavier_uniform_(ember.empty(3, 3), generator=generator)
    state = ember.get_rng_state()
    generator.manual_seed(5)
    assert ember.equal(first, init.xavier_uniform_(ember.empty(3, 3), generator=generator))
    assert ember.equal(state, ember.get_rng_state())  # the default generator was not used
    generator.manual_seed(5)
    a = init.orthogonal_(ember.empty(3, 4), generator=generator)
    generator.manual_seed(5)
    assert ember.equal(a, init.orthogonal_(ember.empty(3, 4), generator=generator))
    generator.manual_seed(5)
    a = init.sparse_(ember.empty(6, 4), 0.5, generator=generator)
    generator.manual_seed(5)
    assert ember.equal(a, init.sparse_(ember.empty(6, 4), 0.5, generator=generator))


def test_init_is_reachable_as_in_pytorch():
    assert nn.init is init
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        init.kaiming_uniform_(ember.empty(3, 3), math.sqrt(5))  # a positionally, no warning
    assert "nonlinearity='leaky_relu'" in init.kaiming_uniform_.__doc__.splitlines()[0]


# Linear(3, 2) then Bilinear(2, 1, 2) after manual_seed(2024), as the C++ frontend draws them
# (ember/nn/nn_layers_test.cpp holds the same table): weight, bias, weight, bias.
CPP_FRONTEND_TABLE = [
    ["0x1.ea6ac4p-4", "-0x1.11a764p-2", "0x1.1e7f7cp-1", "-0x1.ec5c96p-2", "-0x1.6b82e8p-3",
     "-0x1.2f32aep-4"],
    ["-0x1.debdb6p-3", "0x1.36f17cp-3"],
    ["0x1.0f55fep-2", "-0x1.773eb6p-3", "-0x1.81ff24p-2", "0x1.d21806p-4"],
    ["0x1.5a075ap-2", "-0x1.7bf54cp-2"],
]


def test_layer_initialisation_matches_the_cpp_frontend():
    """PyTorch's reset_parameters of Linear and Bilinear, called from Python, give the C++
    frontend's weights bit for bit."""
    ember.manual_seed(2024)
    weight = init.kaiming_uniform_(ember.empty(2, 3), a=math.sqrt(5))
    fan_in, _ = init._calculate_fan_in_and_fan_out(weight)
    bias = init.uniform_(ember.empty(2), -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))
    bound = 1 / math.sqrt(2)
    bilinear_weight = init.uniform_(ember.empty(2, 2, 1), -bound, bound)
    bilinear_bias = init.uniform_(ember.empty(2), -bound, bound)
    for tensor, expected in zip((weight, bias, bilinear_weight, bilinear_bias), CPP_FRONTEND_TABLE):
        assert tensor.reshape(-1).tolist() == [float.fromhex(value) for value in expected]


def test_norm_layer_state_matches_the_cpp_frontend():
    """PReLU, BatchNorm1d, LayerNorm and GroupNorm: the state_dict keys, order and values the C++
    frontend's named_parameters / named_buffers give (NormLayers.StateIsTheTableSharedWithPython
    in ember/nn/nn_frontend_layers_test.cpp)."""
    net = nn.Module()
    net.prelu = nn.PReLU(num_parameters=3, init=0.1)
    net.bn = nn.BatchNorm1d(3)
    net.ln = nn.LayerNorm((2, 3))
    net.gn = nn.GroupNorm(2, 4)
    expected_parameters = [("prelu.weight", ["0x1.99999ap-4"] * 3), ("bn.weight", [1.0] * 3),
                           ("bn.bias", [0.0] * 3), ("ln.weight", [1.0] * 6),
                           ("ln.bias", [0.0] * 6), ("gn.weight", [1.0] * 4),
                           ("gn.bias", [0.0] * 4)]
    parameters = list(net.named_parameters())
    assert [name for name, _ in parameters] == [name for name, _ in expected_parameters]
    for (name, parameter), (_, expected) in zip(parameters, expected_parameters):
        values = [float.fromhex(v) if isinstance(v, str) else v for v in expected]
        assert parameter.detach().reshape(-1).tolist() == values, name
    assert [name for name, _ in net.named_buffers()] == ["bn.running_mean", "bn.running_var",
                                                         "bn.num_batches_tracked"]
    assert list(net.state_dict()) == [
        "prelu.weight", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
        "bn.num_batches_tracked", "ln.weight", "ln.bias", "gn.weight", "gn.bias"]
    assert net.bn.num_batches_tracked.dtype == ember.int64


# MultiheadAttention(2, 1, add_bias_kv=True) after manual_seed(2024), as the C++ frontend draws
# it (MultiheadAttention.SeededInitialisationIsTheTableSharedWithPython in
# ember/nn/nn_transformer_test.cpp): in_proj_weight, in_proj_bias, bias_k, bias_v,
# out_proj.weight, out_proj.bias.
MULTIHEAD_ATTENTION_TABLE = [
    ["0x1.4c5138p-2", "-0x1.cb945p-3", "-0x1.d8bf58p-2", "0x1.1d6c4cp-3", "-0x1.5c3a7ep-1",
     "0x1.21c048p-1", "-0x1.7a789p-1", "-0x1.551a38p-1", "-0x1.5c6384p-3", "-0x1.5f2d9cp-2",
     "0x1.3afd68p-3", "0x1.b0f6dep-1"],
    [0.0] * 6,
    ["0x1.5df80ap-5", "0x1.18c3a8p-1"],
    ["-0x1.37a9aep-1", "-0x1.64f79p+0"],
    ["0x1.2c516p-3", "-0x1.4f27fcp-2", "0x1.5ee30ep-1", "-0x1.2d823ap-1"],
    [0.0] * 2,
]


def test_multihead_attention_initialisation_matches_the_cpp_frontend():
    """PyTorch's draw order (out_proj's Linear, xavier_uniform_ in_proj_weight, xavier_normal_
    bias_k and bias_v) gives the C++ frontend's parameters bit for bit."""
    ember.manual_seed(2024)
    attention = nn.MultiheadAttention(2, 1, add_bias_kv=True)
    parameters = list(attention.state_dict().values())
    assert len(parameters) == len(MULTIHEAD_ATTENTION_TABLE)
    for tensor, expected in zip(parameters, MULTIHEAD_ATTENTION_TABLE):
        values = [float.fromhex(v) if isinstance(v, str) else v for v in expected]
        assert tensor.reshape(-1).tolist() == values


def test_transformer_initialisation_matches_the_cpp_frontend():
    """A seeded Transformer(4, 2, 2, 1, dim_feedforward=6): the encoder's deep copies draw nothing
    and xavier_uniform_ re-draws every matrix, as the C++ frontend's
    (Transformer.SeededInitialisationIsTheChecksumSharedWithPython in
    ember/nn/nn_transformer_test.cpp): the sum of |parameter| in float64, in state-dict order."""
    ember.manual_seed(7)
    transformer = nn.Transformer(4, 2, 2, 1, dim_feedforward=6)
    checksum = 0.0
    for parameter in transformer.state_dict().values():
        checksum += parameter.double().abs().sum().item()
    assert checksum == float.fromhex("0x1.6c61707403200p+7")


# RNN(2, 1), LSTM(1, 2, bias=False, proj_size=1) and GRUCell(1, 1, bias=False) after
# manual_seed(2024), as the C++ frontend draws them (ember/nn/nn_rnn_layers_test.cpp,
# RNNLayers.SeededInitialisationIsTheTableSharedWithPython holds the same table).
CPP_RECURRENT_TABLE = [
    "0x1.a8b6bp-3", "-0x1.d9fb8p-2", "-0x1.9e9a18p-2", "0x1.7fba18p-2", "0x1.e95bc8p-2",
    "-0x1.22844cp-1", "0x1.0b2bcep-2", "0x1.56fd46p-1", "0x1.8fe28p-5", "-0x1.e91f1p-2",
    "0x1.52ee1ap-1", "-0x1.428642p-1", "0x1.793f3ap-6", "-0x1.03b46ep-2", "-0x1.3d6834p-4",
    "-0x1.5c7a0ap-1", "0x1.52947p-3", "-0x1.52f26cp-1", "-0x1.10eedap-3", "-0x1.480246p-1",
    "-0x1.bfe0bep-2", "-0x1.b7bb32p-2", "-0x1.3770a2p-1", "-0x1.c37ba8p-2", "-0x1.3a2978p-2",
    "0x1.b90b08p-1", "0x1.681cb8p-1", "-0x1.963cep-4", "0x1.4d0538p-1",
]


def test_recurrent_initialisation_matches_the_cpp_frontend():
    """The recurrent layers and cells draw every parameter from U(-1/sqrt(hidden),
    1/sqrt(hidden)) in registration order, bit for bit as the C++ frontend."""
    ember.manual_seed(2024)
    layers = (nn.RNN(2, 1), nn.LSTM(1, 2, bias=False, proj_size=1),
              nn.GRUCell(1, 1, bias=False))
    drawn = [value for layer in layers for parameter in layer.parameters()
             for value in parameter.detach().reshape(-1).tolist()]
    assert drawn == [float.fromhex(value) for value in CPP_RECURRENT_TABLE]
