"""The padding, embedding, pixel-shuffle and fold layers and functions: PyTorch's attributes,
printed settings, state-dict keys, outputs (checked against the functional ops and NumPy) and the
typed errors of bad input."""
import numpy as np
import pytest

import ember
from ember import nn

F = nn.functional

# ------------------------------------------------------------ pad and the padding layers


def test_pad_modes_match_numpy():
    x = ember.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(F.pad(x, (1, 2), mode="reflect").numpy(),
                                  np.pad(x.numpy(), ((0, 0), (0, 0), (1, 2)), mode="reflect"))
    np.testing.assert_array_equal(F.pad(x, (1, 2, 2, 0), mode="replicate").numpy(),
                                  np.pad(x.numpy(), ((0, 0), (2, 0), (1, 2)), mode="edge"))
    np.testing.assert_array_equal(F.pad(x, (3, 1), mode="circular").numpy(),
                                  np.pad(x.numpy(), ((0, 0), (0, 0), (3, 1)), mode="wrap"))
    np.testing.assert_array_equal(F.pad(x, (1, 1, 1, 1, 1, 1), value=-2.0).numpy(),
                                  np.pad(x.numpy(), 1, constant_values=-2.0))


def test_pad_backward_accumulates_the_copies():
    x = ember.ones(1, 1, 3, requires_grad=True)
    F.pad(x, (2, 2), mode="replicate").sum().backward()
    assert x.grad.tolist() == [[[3.0, 1.0, 3.0]]]
    x.grad = None
    F.pad(x, (2, 2), mode="reflect").sum().backward()
    assert x.grad.tolist() == [[[2.0, 3.0, 2.0]]]
    x.grad = None
    F.pad(x, (-1, 3)).sum().backward()
    assert x.grad.tolist() == [[[0.0, 1.0, 1.0]]]


@pytest.mark.parametrize("call,error,pattern", [
    (lambda x: F.pad(x, (1,)), RuntimeError, r"\[pad\] Padding length must be divisible by 2"),
    (lambda x: F.pad(x, (1,) * 8), RuntimeError, r"Padding length too large"),
    (lambda x: F.pad(x, (3, 3), mode="reflect"), RuntimeError,
     r"less than the corresponding input dimension.*\[1, 2, 3\]"),
    (lambda x: F.pad(x, (4, 0), mode="circular"), RuntimeError, "wrapping around more than once"),
    (lambda x: F.pad(x, (1, 1), mode="reflect", value=1.0), RuntimeError,
     "doesn't take in value argument"),
    (lambda x: F.pad(x, (1, 1), mode="wrap"), NotImplementedError, "Unrecognised padding mode"),
    (lambda x: F.pad(x.reshape(6), (1, 1), mode="reflect"), NotImplementedError, r"\[6\]"),
    (lambda x: F.pad(x[:, :, :0], (1, 1), mode="replicate"), RuntimeError, "empty"),
    (lambda x: F.pad(x, (-2, -2)), RuntimeError, "negative output size"),
])
def test_pad_errors(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call(ember.arange(6.0).reshape(1, 2, 3))


@pytest.mark.parametrize("layer,mode,padding,shape,text", [
    (nn.ReflectionPad1d(2), "reflect", (2, 2), (2, 3, 4), "ReflectionPad1d((2, 2))"),
    (nn.ReflectionPad2d((1, 0, 2, 1)), "reflect", (1, 0, 2, 1), (2, 3, 4),
     "ReflectionPad2d((1, 0, 2, 1))"),
    (nn.ReflectionPad3d(1), "reflect", (1,) * 6, (1, 2, 3, 4),
     "ReflectionPad3d((1, 1, 1, 1, 1, 1))"),
    (nn.ReplicationPad1d((0, 3)), "replicate", (0, 3), (2, 4), "ReplicationPad1d((0, 3))"),
    (nn.ReplicationPad2d(1), "replicate", (1,) * 4, (1, 2, 3, 4),
     "ReplicationPad2d((1, 1, 1, 1))"),
    (nn.ReplicationPad3d(1), "replicate", (1,) * 6, (2, 2, 3, 4),
     "ReplicationPad3d((1, 1, 1, 1, 1, 1))"),
])
def test_gathered_padding_layers(layer, mode, padding, shape, text):
    x = ember.randn(*shape)
    assert ember.equal(layer(x), F.pad(x, padding, mode=mode))
    assert layer.padding == padding
    assert repr(layer) == text
    assert list(layer.state_dict()) == []


def test_constant_padding_layers():
    x = ember.randn(1, 2, 3, 4)
    assert ember.equal(nn.ZeroPad2d(1)(x), F.pad(x, (1, 1, 1, 1)))
    assert repr(nn.ZeroPad2d((1, 0, 0, 2))) == "ZeroPad2d((1, 0, 0, 2))"
    assert ember.equal(nn.ConstantPad1d((1, 2), 3.5)(x), F.pad(x, (1, 2), value=3.5))
    assert ember.equal(nn.ConstantPad2d(1, -1.0)(x), F.pad(x, (1,) * 4, value=-1.0))
    assert nn.ConstantPad3d(1, 0.0)(x).shape == (1, 4, 5, 6)
    assert repr(nn.ConstantPad1d(2, 3.5)) == "ConstantPad1d(padding=(2, 2), value=3.5)"
    assert nn.ConstantPad2d(1, 0.0).value == 0.0
    with pytest.raises(ValueError, match="expected padding of 4 values"):
        nn.ReflectionPad2d((1, 2))


# ------------------------------------------------------------ embedding and Embedding


def test_embedding_looks_up_rows_and_padding_gets_no_gradient():
    weight = ember.randn(5, 3, requires_grad=True)
    index = ember.tensor([[1, 3], [3, 0]])
    out = F.embedding(index, weight, padding_idx=3)
    np.testing.assert_array_equal(out.detach().numpy(), weight.detach().numpy()[index.numpy()])
    out.sum().backward()
    assert weight.grad.tolist()[3] == [0.0, 0.0, 0.0]
    assert weight.grad.tolist()[1] == [1.0, 1.0, 1.0]


def test_embedding_scale_grad_by_freq_and_determinism():
    weight = ember.zeros(4, 2, dtype=ember.float64, requires_grad=True)
    index = ember.tensor([2, 2, 2, 1])
    F.embedding(index, weight, scale_grad_by_freq=True).sum().backward()
    assert weight.grad.tolist() == [[0.0, 0.0], [1.0, 1.0], [1.0, 1.0], [0.0, 0.0]]
    grads = []
    for _ in range(2):
        table = ember.zeros(50, 8, requires_grad=True)
        index = ember.tensor(np.random.default_rng(3).integers(0, 50, 4000))
        F.embedding(index, table).mul(ember.linspace(0.1, 7.3, 8)).sum().backward()
        grads.append(table.grad)
    assert ember.equal(grads[0], grads[1])


def test_embedding_max_norm_renormalises_the_looked_up_rows_in_place():
    weight = ember.tensor([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]], requires_grad=True)
    F.embedding(ember.tensor([0, 1, 0]), weight, max_norm=1.0)
    rows = weight.detach().numpy()
    np.testing.assert_allclose(rows[0], [3 / (5 + 1e-7), 4 / (5 + 1e-7)], rtol=1e-6)
    np.testing.assert_array_equal(rows[1:], np.float32([[0.3, 0.4], [6.0, 8.0]]))


@pytest.mark.parametrize("call,error,pattern", [
    (lambda w: F.embedding(ember.tensor([5]), w), IndexError, r"index 5 .* 5 rows"),
    (lambda w: F.embedding(ember.tensor([-1]), w), IndexError, r"\[embedding\] index -1"),
    (lambda w: F.embedding(ember.tensor([1.0]), w), RuntimeError, "int64 or int32"),
    (lambda w: F.embedding(ember.tensor([1]), w, padding_idx=5), ValueError, "Padding_idx"),
    (lambda w: F.embedding(ember.tensor([1]), w, sparse=True), NotImplementedError, "sparse"),
    (lambda w: F.embedding(ember.tensor([1]), w[0]), RuntimeError, "must be 2-D"),
    (lambda w: F.embedding_bag(ember.tensor([1, 2]), w), ValueError, "offsets has to be a 1D"),
    (lambda w: F.embedding_bag(ember.tensor([[1, 2]]), w, ember.tensor([0])), ValueError,
     "offsets has to be None"),
    (lambda w: F.embedding_bag(ember.tensor([1, 2]), w, ember.tensor([1])), RuntimeError,
     r"offsets\[0\] has to be 0"),
    (lambda w: F.embedding_bag(ember.tensor([1, 2]), w, ember.tensor([0]), mode="median"),
     ValueError, "mode has to be one of"),
    (lambda w: F.embedding_bag(ember.tensor([1, 2]), w, ember.tensor([0]),
                               per_sample_weights=ember.ones(2)),
     NotImplementedError, "only supported for mode='sum'"),
    (lambda w: F.embedding_bag(ember.tensor([1, 2]), w, ember.tensor([0]), mode="sum",
                               per_sample_weights=ember.ones(3)),
     ValueError, "same shape as the input"),
    (lambda w: F.embedding_bag(ember.tensor([1, 9]), w, ember.tensor([0])), IndexError,
     "index 9"),
])
def test_embedding_errors(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call(ember.randn(5, 3))


def test_embedding_layer_attributes_init_and_repr():
    layer = nn.Embedding(10, 3, padding_idx=-1)
    assert layer.padding_idx == 9
    assert layer.weight.shape == (10, 3) and layer.weight.requires_grad
    assert layer.weight[9].tolist() == [0.0, 0.0, 0.0]
    assert list(layer.state_dict()) == ["weight"]
    assert repr(layer) == "Embedding(10, 3, padding_idx=9)"
    assert repr(nn.Embedding(4, 2, max_norm=1.0, scale_grad_by_freq=True, sparse=True)) == \
        "Embedding(4, 2, max_norm=1.0, scale_grad_by_freq=True, sparse=True)"
    assert layer(ember.tensor([[1, 9]])).shape == (1, 2, 3)
    values = nn.Embedding(2000, 50).weight.detach().numpy()
    assert abs(values.mean()) < 0.01 and abs(values.std() - 1) < 0.01
    with pytest.raises(ValueError, match="Padding_idx must be within num_embeddings"):
        nn.Embedding(3, 2, padding_idx=3)


def test_embedding_from_pretrained():
    table = ember.tensor([[1.0, 2.0], [3.0, 4.0]])
    frozen = nn.Embedding.from_pretrained(table)
    assert not frozen.weight.requires_grad
    assert frozen(ember.tensor([1])).tolist() == [[3.0, 4.0]]
    trained = nn.Embedding.from_pretrained(table, freeze=False, padding_idx=0)
    assert trained.weight.requires_grad and trained.padding_idx == 0
    assert trained.weight[0].tolist() == [1.0, 2.0]  # a given table keeps its padding row
    with pytest.raises(ValueError, match="2-dimensional"):
        nn.Embedding.from_pretrained(ember.ones(3))


def test_embedding_initialisation_matches_the_cpp_frontend():
    # The same table as ember/nn/nn_shape_layers_test.cpp
    # (Embedding.SeededInitialisationIsTheTableSharedWithPython).
    ember.manual_seed(2024)
    layer = nn.Embedding(3, 2, padding_idx=1)
    expected = [float.fromhex(v) for v in ("-0x1.dee4b2p-4", "0x1.fee72cp-1", "0x0p+0", "0x0p+0",
                                            "-0x1.56fde8p+0", "0x1.24495ap-1")]
    assert [v for row in layer.weight.tolist() for v in row] == expected


def test_embedding_bag_modes_and_layer():
    table = ember.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    bag = nn.EmbeddingBag.from_pretrained(table, mode="sum")
    assert bag(ember.tensor([0, 1, 2]), ember.tensor([0, 1])).tolist() == [[1.0, 2.0],
                                                                            [8.0, 10.0]]
    assert F.embedding_bag(ember.tensor([[0, 2]]), table, mode="max").tolist() == [[5.0, 6.0]]
    assert F.embedding_bag(ember.tensor([0, 1, 2]), table, ember.tensor([0, 2, 3]),
                           include_last_offset=True).tolist() == [[2.0, 3.0], [5.0, 6.0]]
    layer = nn.EmbeddingBag(6, 4, mode="max", padding_idx=2)
    assert layer.weight[2].tolist() == [0.0] * 4
    assert list(layer.state_dict()) == ["weight"]
    assert repr(layer) == "EmbeddingBag(6, 4, mode=max, padding_idx=2)"
    assert repr(nn.EmbeddingBag(6, 4)) == "EmbeddingBag(6, 4, mode=mean)"
    weights = ember.tensor([0.5, 2.0, 1.0], requires_grad=True)
    out = F.embedding_bag(ember.tensor([0, 1, 2]), table, ember.tensor([0]), mode="sum",
                          per_sample_weights=weights)
    out.sum().backward()
    assert weights.grad.tolist() == [3.0, 7.0, 11.0]


# ------------------------------------------------------------ pixel shuffle, fold, unfold


def test_pixel_shuffle_layers_and_functions():
    x = ember.arange(48.0).reshape(1, 8, 2, 3)
    layer = nn.PixelShuffle(2)
    assert layer(x).shape == (1, 2, 4, 6)
    assert ember.equal(layer(x), ember.pixel_shuffle(x, 2))
    assert ember.equal(nn.PixelUnshuffle(2)(layer(x)), x)
    assert repr(layer) == "PixelShuffle(upscale_factor=2)"
    assert repr(nn.PixelUnshuffle(3)) == "PixelUnshuffle(downscale_factor=3)"
    with pytest.raises(RuntimeError, match=r"divisible by the square of upscale_factor.*"
                                           r"\[1, 8, 2, 3\]"):
        F.pixel_shuffle(x, 3)
    with pytest.raises(RuntimeError, match="at least 3 dimensions"):
        ember.pixel_unshuffle(ember.ones(4, 4), 2)


def test_fold_unfold_layers_and_adjointness():
    x = ember.randn(2, 3, 5, 6, dtype=ember.float64)
    unfold = nn.Unfold((2, 3), dilation=1, padding=1, stride=2)
    cols = unfold(x)
    assert cols.shape == (2, 18, 9)
    fold = nn.Fold((5, 6), (2, 3), padding=1, stride=2)
    c = ember.randn(*cols.shape, dtype=ember.float64)
    assert abs((cols * c).sum().item() - (x * fold(c)).sum().item()) < 1e-9
    assert repr(unfold) == "Unfold(kernel_size=(2, 3), dilation=1, padding=1, stride=2)"
    assert repr(fold) == ("Fold(output_size=(5, 6), kernel_size=(2, 3), dilation=1, padding=1, "
                          "stride=2)")
    assert list(fold.state_dict()) == []
    with pytest.raises(RuntimeError, match="Only 3D or 4D input"):
        F.unfold(ember.ones(5), 2)
    with pytest.raises(RuntimeError, match="calculated shape of the array of sliding blocks"):
        F.unfold(ember.ones(1, 1, 2, 2), 3)
    with pytest.raises(RuntimeError, match="divisible by the product of kernel_size"):
        F.fold(ember.ones(1, 5, 4), (3, 3), 2)
    with pytest.raises(RuntimeError, match=r"sliding blocks 2 \* 2 = 4"):
        F.fold(ember.ones(1, 4, 5), (3, 3), 2)
