"""nn.MultiheadAttention and the Transformer modules: values against NumPy written from PyTorch's
documented equations (op_db_nn_transformer.ref_multi_head_attention for the attention), masks,
PyTorch's state dict keys (hand-written lists), gradcheck through an encoder layer and the typed
errors."""
import math

import numpy as np
import pytest
from op_db import OPS_BY_NAME

import ember
from ember import nn
from ember.nn import functional as F  # noqa: N812 (PyTorch's idiom)

ref_multi_head_attention = OPS_BY_NAME["nn.functional.multi_head_attention_forward"].ref


def values(tensor):
    if tensor is None or isinstance(tensor, np.ndarray):
        return tensor
    return tensor.detach().numpy().astype(np.float64)


def ref_module_attention(module, query, key, value, **kwargs):
    """ref_multi_head_attention with the module's parameters (sequence-first inputs)."""
    return ref_multi_head_attention(
        values(query), values(key), values(value), module.embed_dim, module.num_heads,
        values(module.in_proj_weight), values(module.in_proj_bias), values(module.bias_k),
        values(module.bias_v), module.add_zero_attn, 0.0, values(module.out_proj.weight),
        values(module.out_proj.bias), use_separate_proj_weight=not module._qkv_same_embed_dim,
        q_proj_weight=values(module.q_proj_weight), k_proj_weight=values(module.k_proj_weight),
        v_proj_weight=values(module.v_proj_weight), **kwargs)


def ref_layer_norm(x, norm):
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + norm.eps) * values(norm.weight) + values(norm.bias)


def ref_linear(x, linear):
    return x @ values(linear.weight).T + values(linear.bias)


def ref_gelu(x):
    return 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


def ref_encoder_layer(layer, x, activation, mask=None):
    def attend(h):
        return ref_module_attention(layer.self_attn, h, h, h, attn_mask=mask)[0]

    def feed_forward(h):
        return ref_linear(activation(ref_linear(h, layer.linear1)), layer.linear2)

    if layer.norm_first:
        h = x + attend(ref_layer_norm(x, layer.norm1))
        return h + feed_forward(ref_layer_norm(h, layer.norm2))
    h = ref_layer_norm(x + attend(x), layer.norm1)
    return ref_layer_norm(h + feed_forward(h), layer.norm2)


# ------------------------------------------------------------ MultiheadAttention


@pytest.mark.parametrize("options", [{}, {"kdim": 3, "vdim": 5}, {"add_bias_kv": True},
                                     {"add_zero_attn": True, "bias": False}])
def test_multihead_attention_matches_the_equations(options):
    ember.manual_seed(0)
    attention = nn.MultiheadAttention(4, 2, **options)
    query = ember.randn(3, 2, 4)
    key = ember.randn(5, 2, options.get("kdim", 4))
    value = ember.randn(5, 2, options.get("vdim", 4))
    padding = ember.tensor([[False, True, False, False, True], [False, False, False, True, True]])
    output, weights = attention(query, key, value, key_padding_mask=padding)
    expected, expected_weights = ref_module_attention(attention, query, key, value,
                                                      key_padding_mask=values(padding) > 0)
    np.testing.assert_allclose(output.detach().numpy(), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(weights.detach().numpy(), expected_weights, rtol=1e-5, atol=1e-6)
    without, none = attention(query, key, value, key_padding_mask=padding, need_weights=False)
    assert none is None
    np.testing.assert_allclose(without.detach().numpy(), expected, rtol=1e-5, atol=1e-6)


def test_multihead_attention_masks_kinds_agree():
    attention = nn.MultiheadAttention(4, 2)
    x = ember.randn(4, 3, 4)
    causal = nn.Transformer.generate_square_subsequent_mask(4)
    as_bool = causal.isinf()
    by_float = attention(x, x, x, attn_mask=causal)
    by_bool = attention(x, x, x, attn_mask=as_bool)
    hinted = attention(x, x, x, attn_mask=causal, need_weights=False, is_causal=True)[0]
    for output in (by_bool[0], hinted):
        np.testing.assert_allclose(output.detach().numpy(), by_float[0].detach().numpy(),
                                   rtol=1e-5, atol=1e-6)
    weights = attention(x, x, x, attn_mask=as_bool, average_attn_weights=False)[1]
    assert weights.shape == (3, 2, 4, 4)
    assert weights[:, :, 0, 1:].abs().sum().item() == 0.0
    per_head = causal.expand(6, 4, 4)
    np.testing.assert_allclose(attention(x, x, x, attn_mask=per_head)[0].detach().numpy(),
                               by_float[0].detach().numpy(), rtol=1e-5, atol=1e-6)


def test_multihead_attention_batch_first_and_unbatched():
    ember.manual_seed(1)
    seq_first = nn.MultiheadAttention(4, 2)
    ember.manual_seed(1)
    batch_first = nn.MultiheadAttention(4, 2, batch_first=True)
    x = ember.randn(3, 2, 4)
    expected = seq_first(x, x, x)[0]
    xt = x.transpose(0, 1)
    np.testing.assert_allclose(batch_first(xt, xt, xt)[0].transpose(0, 1).detach().numpy(),
                               expected.detach().numpy(), rtol=1e-6, atol=1e-6)
    single, weights = seq_first(x[:, 0], x[:, 0], x[:, 0])
    assert single.shape == (3, 4) and weights.shape == (3, 3)
    np.testing.assert_allclose(single.detach().numpy(), expected[:, 0].detach().numpy(),
                               rtol=1e-5, atol=1e-6)


def test_multihead_attention_parameter_names_and_init():
    attention = nn.MultiheadAttention(4, 2)
    assert list(attention.state_dict()) == ["in_proj_weight", "in_proj_bias", "out_proj.weight",
                                            "out_proj.bias"]
    assert attention.in_proj_bias.abs().sum().item() == 0.0
    assert attention.out_proj.bias.abs().sum().item() == 0.0
    bound = math.sqrt(6 / (4 + 12))  # xavier_uniform_ of (12, 4)
    assert attention.in_proj_weight.abs().max().item() <= bound
    separate = nn.MultiheadAttention(4, 2, kdim=3, vdim=5, add_bias_kv=True)
    assert list(separate.state_dict()) == [
        "q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "bias_k", "bias_v",
        "out_proj.weight", "out_proj.bias"]
    assert separate.in_proj_weight is None
    assert list(nn.MultiheadAttention(4, 2, bias=False).state_dict()) == [
        "in_proj_weight", "out_proj.weight"]


def test_multihead_attention_typed_errors():
    with pytest.raises(ValueError, match="divisible"):
        nn.MultiheadAttention(5, 2)
    attention = nn.MultiheadAttention(4, 2)
    x = ember.randn(3, 2, 4)
    with pytest.raises(RuntimeError, match=r"attn_mask of shape \(L, S\) = \(3, 3\)"):
        attention(x, x, x, attn_mask=ember.zeros(2, 2))
    with pytest.raises(TypeError, match="key_padding_mask to be bool"):
        attention(x, x, x, key_padding_mask=ember.zeros(2, 3, dtype=ember.int32))
    with pytest.raises(RuntimeError, match="expected query of 3 dims"):
        attention(ember.randn(1, 3, 2, 4), x, x)
    with pytest.raises(RuntimeError, match="is_causal"):
        attention(x, x, x, is_causal=True)
    with pytest.raises(ValueError, match="embed_dim_to_check"):
        F.multi_head_attention_forward(x, x, x, 8, 2, attention.in_proj_weight, None, None, None,
                                       False, 0.0, attention.out_proj.weight, None)


def test_multihead_attention_dropout_only_in_training():
    attention = nn.MultiheadAttention(4, 1, dropout=0.5)
    x = ember.randn(3, 2, 4)
    attention.eval()
    first = attention(x, x, x)[1]
    assert ember.allclose(first.sum(-1), ember.ones(2, 3))
    assert ember.equal(first, attention(x, x, x)[1])
    attention.train()
    dropped = attention(x, x, x, average_attn_weights=False)[1]
    assert (dropped == 0).any().item()


def test_multihead_attention_gradcheck():
    ember.manual_seed(2)
    attention = nn.MultiheadAttention(4, 2, add_bias_kv=True, dtype=ember.float64)
    x = ember.randn(3, 2, 4, dtype=ember.float64, requires_grad=True)
    memory = ember.randn(2, 2, 4, dtype=ember.float64, requires_grad=True)
    mask = ember.tensor([[False, True], [False, False]])
    assert ember.autograd.gradcheck(
        lambda q, m, w: F.multi_head_attention_forward(
            q, m, m, 4, 2, w, attention.in_proj_bias, attention.bias_k, attention.bias_v, False,
            0.0, attention.out_proj.weight, attention.out_proj.bias, key_padding_mask=mask),
        (x, memory, attention.in_proj_weight))


# ------------------------------------------------------------ Transformer layers


@pytest.mark.parametrize(("norm_first", "activation"), [(False, "relu"), (True, "gelu")])
def test_encoder_layer_matches_the_equations(norm_first, activation):
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0,
                                       activation=activation, norm_first=norm_first)
    x = ember.randn(5, 3, 8)
    mask = nn.Transformer.generate_square_subsequent_mask(5)
    reference = {"relu": lambda h: np.maximum(h, 0), "gelu": ref_gelu}[activation]
    expected = ref_encoder_layer(layer, values(x), reference, mask=values(mask))
    np.testing.assert_allclose(layer(x, src_mask=mask).detach().numpy(), expected, rtol=1e-4,
                               atol=1e-5)


def test_encoder_layer_callable_activation_and_batch_first():
    ember.manual_seed(3)
    layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, activation=ember.tanh)
    ember.manual_seed(3)
    batch_first = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, activation=ember.tanh,
                                             batch_first=True)
    x = ember.randn(5, 3, 8)
    expected = ref_encoder_layer(layer, values(x), np.tanh)
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(batch_first(x.transpose(0, 1)).transpose(0, 1).detach().numpy(),
                               expected, rtol=1e-4, atol=1e-5)


def test_decoder_layer_matches_the_equations():
    layer = nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, dropout=0.0)
    tgt, memory = ember.randn(4, 2, 8), ember.randn(6, 2, 8)
    mask = nn.Transformer.generate_square_subsequent_mask(4)
    padding = ember.tensor([[False] * 5 + [True], [False] * 6])
    t, m = values(tgt), values(memory)
    h = t + ref_module_attention(layer.self_attn, t, t, t, attn_mask=values(mask))[0]
    h = ref_layer_norm(h, layer.norm1)
    h = h + ref_module_attention(layer.multihead_attn, h, m, m,
                                 key_padding_mask=values(padding) > 0)[0]
    h = ref_layer_norm(h, layer.norm2)
    h = h + ref_linear(np.maximum(ref_linear(h, layer.linear1), 0), layer.linear2)
    expected = ref_layer_norm(h, layer.norm3)
    output = layer(tgt, memory, tgt_mask=mask, memory_key_padding_mask=padding)
    np.testing.assert_allclose(output.detach().numpy(), expected, rtol=1e-4, atol=1e-5)


def test_encoder_layer_gradcheck():
    ember.manual_seed(4)
    layer = nn.TransformerEncoderLayer(4, 2, dim_feedforward=6, dropout=0.0, norm_first=True,
                                       dtype=ember.float64)
    x = ember.randn(3, 2, 4, dtype=ember.float64, requires_grad=True)
    mask = nn.Transformer.generate_square_subsequent_mask(3, dtype=ember.float64)
    assert ember.autograd.gradcheck(lambda src: layer(src, src_mask=mask), (x,))
    layer(x).sum().backward()
    assert all(p.grad is not None for p in layer.parameters())


ENCODER_LAYER_KEYS = [
    "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
    "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
    "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"]
DECODER_LAYER_KEYS = [
    "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
    "self_attn.out_proj.bias", "multihead_attn.in_proj_weight", "multihead_attn.in_proj_bias",
    "multihead_attn.out_proj.weight", "multihead_attn.out_proj.bias", "linear1.weight",
    "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias",
    "norm2.weight", "norm2.bias", "norm3.weight", "norm3.bias"]


def test_state_dict_keys_are_pytorchs():
    assert list(nn.TransformerEncoderLayer(8, 2, 16).state_dict()) == ENCODER_LAYER_KEYS
    assert list(nn.TransformerDecoderLayer(8, 2, 16).state_dict()) == DECODER_LAYER_KEYS
    assert list(nn.TransformerEncoderLayer(8, 2, 16, bias=False).state_dict()) == [
        "self_attn.in_proj_weight", "self_attn.out_proj.weight", "linear1.weight",
        "linear2.weight", "norm1.weight", "norm2.weight"]
    transformer = nn.Transformer(8, 2, num_encoder_layers=2, num_decoder_layers=1,
                                 dim_feedforward=16)
    assert list(transformer.state_dict()) == (
        [f"encoder.layers.0.{k}" for k in ENCODER_LAYER_KEYS]
        + [f"encoder.layers.1.{k}" for k in ENCODER_LAYER_KEYS]
        + ["encoder.norm.weight", "encoder.norm.bias"]
        + [f"decoder.layers.0.{k}" for k in DECODER_LAYER_KEYS]
        + ["decoder.norm.weight", "decoder.norm.bias"])


def test_encoder_copies_the_layer():
    layer = nn.TransformerEncoderLayer(8, 2, 16)
    encoder = nn.TransformerEncoder(layer, 3, norm=nn.LayerNorm(8), enable_nested_tensor=False)
    assert len(encoder.layers) == 3
    for copy in encoder.layers:
        assert copy is not layer
        assert ember.equal(copy.linear1.weight, layer.linear1.weight)
        assert copy.linear1.weight is not layer.linear1.weight
    x = ember.randn(4, 2, 8)
    encoder.eval()
    expected = x
    for copy in encoder.layers:
        expected = copy(expected)
    assert ember.allclose(encoder(x), encoder.norm(expected))


def test_transformer_forward_causality_and_errors():
    transformer = nn.Transformer(8, 2, 1, 1, 16, dropout=0.0)
    src, tgt = ember.randn(6, 3, 8), ember.randn(5, 3, 8)
    mask = nn.Transformer.generate_square_subsequent_mask(5)
    output = transformer(src, tgt, tgt_mask=mask)
    assert output.shape == (5, 3, 8)
    changed = tgt.clone()
    changed[4] = 1.0
    np.testing.assert_allclose(transformer(src, changed, tgt_mask=mask)[:4].detach().numpy(),
                               output[:4].detach().numpy(), rtol=1e-5, atol=1e-6)
    with pytest.raises(RuntimeError, match="batch number"):
        transformer(src, ember.randn(5, 2, 8))
    with pytest.raises(RuntimeError, match="d_model"):
        transformer(ember.randn(6, 3, 4), ember.randn(5, 3, 4))
    with pytest.raises(RuntimeError, match="relu/gelu"):
        nn.TransformerEncoderLayer(8, 2, activation="tanh")


def test_generate_square_subsequent_mask():
    mask = nn.Transformer.generate_square_subsequent_mask(3)
    assert mask.dtype == ember.float32
    assert mask.tolist() == [[0.0, -math.inf, -math.inf], [0.0, 0.0, -math.inf],
                             [0.0, 0.0, 0.0]]
    assert nn.Transformer.generate_square_subsequent_mask(2, dtype=ember.float64).dtype == \
        ember.float64
