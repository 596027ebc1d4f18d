"""Arguments of the Transformer modules that test_nn_transformer.py leaves out (issue 11's audit):
layer_norm_eps, bias=False, a callable activation, custom_encoder/custom_decoder, and the
is_causal hint that TransformerEncoder/Decoder detect from the square subsequent mask as
PyTorch's _detect_is_causal_mask does."""
import numpy as np
import pytest

import ember
from ember import nn

F = nn.functional


def randn(*shape, seed=0):
    return ember.tensor(np.random.default_rng(seed).standard_normal(shape), dtype=ember.float32)


def test_layer_norm_eps_reaches_every_norm():
    layer = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, layer_norm_eps=0.5)
    assert layer.norm1.eps == 0.5 and layer.norm2.eps == 0.5
    model = nn.Transformer(4, 2, 1, 1, 8, dropout=0.0, layer_norm_eps=0.25)
    norms = [m for m in model.modules() if isinstance(m, nn.LayerNorm)]
    assert len(norms) == 2 + 3 + 2 and all(norm.eps == 0.25 for norm in norms)
    # The value is used: a large eps shrinks the normalized output.
    x = randn(3, 2, 4)
    small = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, layer_norm_eps=1e-5)
    small.load_state_dict(layer.state_dict())
    assert float(layer(x).abs().sum()) < float(small(x).abs().sum())


def test_bias_false_drops_every_bias():
    layer = nn.TransformerDecoderLayer(4, 2, 8, bias=False)
    assert [k for k in layer.state_dict() if "bias" in k] == []
    assert len(layer.state_dict()) == 9
    model = nn.Transformer(4, 2, 2, 1, 8, bias=False)
    assert [k for k in model.state_dict() if "bias" in k] == []
    assert model(randn(3, 2, 4), randn(5, 2, 4, seed=1)).shape == (5, 2, 4)


def test_callable_activation_is_applied():
    layer = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, activation=lambda t: t * 2.0)
    x = randn(3, 2, 4)
    h = layer.norm1(x + layer.self_attn(x, x, x, need_weights=False)[0])
    expected = layer.norm2(h + layer.linear2(layer.linear1(h) * 2.0))
    np.testing.assert_allclose(layer(x).detach().numpy(), expected.detach().numpy(), atol=1e-6)


def test_custom_encoder_and_decoder_replace_the_built_ones():
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0), 1)
    decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(4, 2, 8, dropout=0.0), 1)
    model = nn.Transformer(4, 2, dropout=0.0, custom_encoder=encoder, custom_decoder=decoder)
    assert model.encoder is encoder and model.decoder is decoder
    src, tgt = randn(3, 2, 4), randn(5, 2, 4, seed=1)
    np.testing.assert_allclose(model(src, tgt).detach().numpy(),
                               decoder(tgt, encoder(src)).detach().numpy(), atol=1e-6)


@pytest.mark.parametrize("batch_first", [False, True])
def test_square_subsequent_mask_is_detected_as_causal(batch_first):
    detect = ember._C._nn._detect_is_causal_mask
    mask = nn.Transformer.generate_square_subsequent_mask(5)
    x = randn(2, 5, 4) if batch_first else randn(5, 2, 4)
    assert detect(mask, None, x, batch_first) is True
    assert detect(mask.isinf(), None, x, batch_first) is True  # bool: True = masked out
    assert detect(mask, False, x, batch_first) is False  # an explicit hint wins
    assert detect(None, None, x, batch_first) is False
    assert detect(ember.zeros(5, 5), None, x, batch_first) is False
    assert detect(nn.Transformer.generate_square_subsequent_mask(2), None, x, batch_first) is False
    assert detect(mask, None, randn(5, 4), batch_first) is True  # unbatched


def test_detected_hint_gives_what_the_mask_gives():
    layer = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0)
    encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    x, mask = randn(5, 2, 4), nn.Transformer.generate_square_subsequent_mask(5)
    seen = []
    layer_forward = type(encoder.layers[0]).forward

    def recording(self, *args, **kwargs):
        seen.append(kwargs.get("is_causal"))
        return layer_forward(self, *args, **kwargs)

    type(encoder.layers[0]).forward = recording
    try:
        detected = encoder(x, mask)
        explicit = encoder(x, mask, is_causal=False)
    finally:
        type(encoder.layers[0]).forward = layer_forward
    assert seen == [True, True, False, False]
    np.testing.assert_allclose(detected.detach().numpy(), explicit.detach().numpy(), atol=1e-5)
    decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(4, 2, 8, dropout=0.0), 1)
    memory = randn(3, 2, 4, seed=2)
    np.testing.assert_allclose(decoder(x, memory, tgt_mask=mask).detach().numpy(),
                               decoder(x, memory, tgt_mask=mask, tgt_is_causal=False)
                               .detach().numpy(), atol=1e-5)


def test_is_causal_hint_without_a_mask_is_an_error():
    attention = nn.MultiheadAttention(4, 2)
    x = randn(3, 2, 4)
    with pytest.raises(RuntimeError, match="is_causal"):
        attention(x, x, x, is_causal=True)
