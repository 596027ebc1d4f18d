"""nn.RNN / LSTM / GRU and the cells: PyTorch's state_dict names and shapes (written out by
hand), outputs against a numpy transcription of PyTorch's documented equations, packed against
padded input, batch_first, unbatched input, initial states, dropout between layers, gradients
through the layers, PackedSequence in and out, and the bad-input errors."""
import numpy as np
import pytest

import ember
from ember import nn
from ember.nn.utils import rnn


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def numpy_params(module):
    return {name: p.detach().numpy() for name, p in module.named_parameters()}


def ref_cell(mode, x, h, c, w_ih, w_hh, b_ih, b_hh, w_hr=None):
    """One step of PyTorch's equations (docs of nn.RNN, nn.LSTM, nn.GRU)."""
    gi = x @ w_ih.T + (0 if b_ih is None else b_ih)
    gh = h @ w_hh.T + (0 if b_hh is None else b_hh)
    if mode == "LSTM":
        i, f, g, o = np.split(gi + gh, 4, axis=-1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        return (h if w_hr is None else h @ w_hr.T), c
    if mode == "GRU":
        i_r, i_z, i_n = np.split(gi, 3, axis=-1)
        h_r, h_z, h_n = np.split(gh, 3, axis=-1)
        r, z = sigmoid(i_r + h_r), sigmoid(i_z + h_z)
        n = np.tanh(i_n + r * h_n)
        return (1 - z) * n + z * h, None
    pre = gi + gh
    return (np.tanh(pre) if mode == "RNN_TANH" else np.maximum(pre, 0)), None


def ref_layer(module, x, h0=None, c0=None):
    """The whole layer on time-major x (T, N, in), float64, eval mode."""
    p = numpy_params(module)
    directions = 2 if module.bidirectional else 1
    real_hidden = module.proj_size or module.hidden_size
    batch = x.shape[1]
    h0 = np.zeros((module.num_layers * directions, batch, real_hidden)) if h0 is None else h0
    c0 = np.zeros((module.num_layers * directions, batch, module.hidden_size)) if c0 is None \
        else c0
    h_n, c_n = [], []
    layer_input = x
    for layer in range(module.num_layers):
        outputs = []
        for direction in range(directions):
            sfx = f"_l{layer}" + ("_reverse" if direction else "")
            k = layer * directions + direction
            h, c = h0[k], c0[k]
            steps = range(len(x)) if direction == 0 else reversed(range(len(x)))
            out = [None] * len(x)
            for t in steps:
                h, c = ref_cell(module.mode, layer_input[t], h, c, p["weight_ih" + sfx],
                                p["weight_hh" + sfx], p.get("bias_ih" + sfx),
                                p.get("bias_hh" + sfx), p.get("weight_hr" + sfx))
                out[t] = h
            outputs.append(np.stack(out))
            h_n.append(h)
            c_n.append(c)
        layer_input = np.concatenate(outputs, axis=-1)
    return layer_input, np.stack(h_n), (np.stack(c_n) if module.mode == "LSTM" else None)


def as64(module):
    return module.double().eval()


def test_state_dict_names_and_shapes_are_pytorchs():
    lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2)
    names = []
    for layer in range(2):
        for sfx in ("", "_reverse"):
            names += [f"weight_ih_l{layer}{sfx}", f"weight_hh_l{layer}{sfx}",
                      f"bias_ih_l{layer}{sfx}", f"bias_hh_l{layer}{sfx}",
                      f"weight_hr_l{layer}{sfx}"]
    assert list(lstm.state_dict()) == names
    shapes = [tuple(p.shape) for p in lstm.state_dict().values()]
    layer0 = [(16, 3), (16, 2), (16,), (16,), (2, 4)]
    layer1 = [(16, 4), (16, 2), (16,), (16,), (2, 4)]
    assert shapes == layer0 * 2 + layer1 * 2
    assert len(lstm.all_weights) == 4 and lstm.all_weights[1][0] is lstm.weight_ih_l0_reverse
    gru = nn.GRU(2, 3, bias=False)
    assert [(k, tuple(v.shape)) for k, v in gru.state_dict().items()] == [
        ("weight_ih_l0", (9, 2)), ("weight_hh_l0", (9, 3))]
    rnn_layer = nn.RNN(2, 5, nonlinearity="relu")
    assert [(k, tuple(v.shape)) for k, v in rnn_layer.state_dict().items()] == [
        ("weight_ih_l0", (5, 2)), ("weight_hh_l0", (5, 5)), ("bias_ih_l0", (5,)),
        ("bias_hh_l0", (5,))]
    for cell, gates in ((nn.RNNCell(2, 3), 3), (nn.LSTMCell(2, 3), 12), (nn.GRUCell(2, 3), 9)):
        assert [(k, tuple(v.shape)) for k, v in cell.state_dict().items()] == [
            ("weight_ih", (gates, 2)), ("weight_hh", (gates, 3)), ("bias_ih", (gates,)),
            ("bias_hh", (gates,))]
    assert list(nn.GRUCell(2, 3, bias=False).state_dict()) == ["weight_ih", "weight_hh"]
    bound = 1 / np.sqrt(16)
    assert all(abs(p).max().item() <= bound for p in nn.LSTM(4, 16, 2).parameters())
    assert repr(lstm) == "LSTM(3, 4, proj_size=2, num_layers=2, bidirectional=True)"
    assert repr(nn.RNNCell(2, 3, nonlinearity="relu")) == "RNNCell(2, 3, nonlinearity=relu)"


@pytest.mark.parametrize("make", [
    lambda: nn.RNN(3, 4, num_layers=2),
    lambda: nn.RNN(3, 4, nonlinearity="relu", bidirectional=True),
    lambda: nn.LSTM(3, 4, num_layers=2, bidirectional=True),
    lambda: nn.LSTM(3, 4, proj_size=2, bias=False),
    lambda: nn.GRU(3, 4, num_layers=2, bidirectional=True),
], ids=["rnn_tanh_2layers", "rnn_relu_bidir", "lstm_2layers_bidir", "lstm_proj", "gru_bidir"])
def test_layers_match_pytorchs_equations(make):
    ember.manual_seed(0)
    module = as64(make())
    x = np.random.default_rng(0).standard_normal((5, 2, 3))
    directions = 2 if module.bidirectional else 1
    real_hidden = module.proj_size or module.hidden_size
    h0 = np.random.default_rng(1).standard_normal((module.num_layers * directions, 2,
                                                   real_hidden))
    c0 = np.random.default_rng(2).standard_normal((module.num_layers * directions, 2, 4))
    expected, expected_h, expected_c = ref_layer(module, x, h0, c0)
    if module.mode == "LSTM":
        output, (h_n, c_n) = module(ember.tensor(x), (ember.tensor(h0), ember.tensor(c0)))
        np.testing.assert_allclose(c_n.detach().numpy(), expected_c, rtol=1e-10, atol=1e-12)
    else:
        output, h_n = module(ember.tensor(x), ember.tensor(h0))
    np.testing.assert_allclose(output.detach().numpy(), expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(h_n.detach().numpy(), expected_h, rtol=1e-10, atol=1e-12)
    # batch_first reads (N, T, in) and writes (N, T, out); the states stay (L * D, N, H)
    module.batch_first = True
    batch_first = module(ember.tensor(x).transpose(0, 1).contiguous())[0]
    np.testing.assert_allclose(batch_first.detach().numpy(), np.swapaxes(
        ref_layer(module, x)[0], 0, 1), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("cell,mode", [(nn.RNNCell, "RNN_TANH"), (nn.LSTMCell, "LSTM"),
                                       (nn.GRUCell, "GRU")])
def test_cells_match_pytorchs_equations_batched_and_unbatched(cell, mode):
    module = cell(3, 4).double()
    p = numpy_params(module)
    x = np.random.default_rng(0).standard_normal((2, 3))
    h = np.random.default_rng(1).standard_normal((2, 4))
    c = np.random.default_rng(2).standard_normal((2, 4))
    expected_h, expected_c = ref_cell(mode, x, h, c, p["weight_ih"], p["weight_hh"],
                                      p["bias_ih"], p["bias_hh"])
    state = (ember.tensor(h), ember.tensor(c)) if mode == "LSTM" else ember.tensor(h)
    result = module(ember.tensor(x), state)
    got_h = result[0] if mode == "LSTM" else result
    np.testing.assert_allclose(got_h.detach().numpy(), expected_h, rtol=1e-10, atol=1e-12)
    if mode == "LSTM":
        np.testing.assert_allclose(result[1].detach().numpy(), expected_c, rtol=1e-10)
    unbatched = module(ember.tensor(x[0]))
    zero_h, _ = ref_cell(mode, x[:1], np.zeros((1, 4)), np.zeros((1, 4)), p["weight_ih"],
                         p["weight_hh"], p["bias_ih"], p["bias_hh"])
    got = unbatched[0] if mode == "LSTM" else unbatched
    assert tuple(got.shape) == (4,)
    np.testing.assert_allclose(got.detach().numpy(), zero_h[0], rtol=1e-10, atol=1e-12)


def test_packed_input_gives_packed_output_equal_to_each_sequence_alone():
    lstm = as64(nn.LSTM(2, 3, num_layers=2, bidirectional=True))
    sequences = [ember.randn(n, 2, dtype=ember.float64) for n in (2, 5, 3)]
    packed = rnn.pack_sequence(sequences, enforce_sorted=False)
    output, (h_n, c_n) = lstm(packed)
    assert isinstance(output, rnn.PackedSequence)
    assert output.sorted_indices is packed.sorted_indices
    padded, lengths = rnn.pad_packed_sequence(output, batch_first=True)
    assert lengths.tolist() == [2, 5, 3]
    for b, sequence in enumerate(sequences):
        alone, (alone_h, alone_c) = lstm(sequence)  # unbatched (T, in)
        np.testing.assert_allclose(padded[b, :len(sequence)].detach().numpy(),
                                   alone.detach().numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(h_n[:, b].detach().numpy(), alone_h.detach().numpy(),
                                   rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(c_n[:, b].detach().numpy(), alone_c.detach().numpy(),
                                   rtol=1e-10, atol=1e-12)


def test_packed_input_with_initial_states_follows_the_callers_order():
    gru = as64(nn.GRU(2, 3))
    sequences = [ember.randn(n, 2, dtype=ember.float64) for n in (2, 4)]
    h0 = ember.randn(1, 2, 3, dtype=ember.float64)
    _, h_n = gru(rnn.pack_sequence(sequences, enforce_sorted=False), h0)
    for b, sequence in enumerate(sequences):
        _, alone_h = gru(sequence, h0[:, b])
        np.testing.assert_allclose(h_n[:, b].detach().numpy(), alone_h.detach().numpy(),
                                   rtol=1e-10, atol=1e-12)


def test_dropout_between_layers_only_in_training():
    ember.manual_seed(3)
    lstm = nn.LSTM(2, 3, num_layers=2, dropout=0.5).double()
    x = ember.randn(4, 2, 2, dtype=ember.float64)
    lstm.eval()
    first = lstm(x)[0]
    assert ember.equal(first, lstm(x)[0])
    lstm.train()
    assert not ember.equal(first, lstm(x)[0])
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.GRU(2, 3, dropout=0.5)


def test_gradcheck_through_the_layers_and_cells():
    lstm = as64(nn.LSTM(2, 3, proj_size=2, bidirectional=True))
    x = ember.randn(3, 2, 2, dtype=ember.float64, requires_grad=True)
    assert ember.autograd.gradcheck(lambda x: lstm(x)[0], (x,))
    h0 = ember.randn(2, 2, 2, dtype=ember.float64, requires_grad=True)
    c0 = ember.randn(2, 2, 3, dtype=ember.float64, requires_grad=True)
    assert ember.autograd.gradcheck(lambda h, c: lstm(x.detach(), (h, c))[1][1], (h0, c0))
    gru = as64(nn.GRU(2, 2))
    packed = rnn.pack_sequence([ember.randn(3, 2, dtype=ember.float64),
                                ember.randn(1, 2, dtype=ember.float64)])
    data = packed.data.detach().requires_grad_()
    assert ember.autograd.gradcheck(
        lambda d: gru(rnn.PackedSequence(d, packed.batch_sizes))[0].data, (data,))
    cell = nn.LSTMCell(2, 2).double()
    h = ember.randn(3, 2, dtype=ember.float64, requires_grad=True)
    assert ember.autograd.gradcheck(lambda x, h: cell(x, (h, h))[1],
                                    (ember.randn(3, 2, dtype=ember.float64, requires_grad=True),
                                     h))


@pytest.mark.parametrize("cell, name", [(nn.LSTMCell, "LstmCellBackward0"),
                                        (nn.GRUCell, "GruCellBackward0"),
                                        (nn.RNNCell, "RnnTanhCellBackward0")])
def test_a_cell_step_is_one_autograd_node(cell, name):
    # The step's input projection, hidden projection and gate math are one fused node whose
    # edges lead straight to the parameters' accumulators (and to x's and the state's history).
    module = cell(3, 4)
    x = ember.randn(1, 3, requires_grad=True)
    h = ember.randn(1, 4, requires_grad=True)
    state = (h, ember.zeros(1, 4)) if cell is nn.LSTMCell else h
    out = module(x, state)
    node = (out[0] if cell is nn.LSTMCell else out).grad_fn
    assert node.name() == name
    assert all(type(f).__name__ == "AccumulateGrad"
               for f, _ in node.next_functions if f is not None)
    assert sum(f is not None for f, _ in node.next_functions) == 6  # x, h, 4 parameters


def test_training_updates_every_parameter():
    lstm = nn.LSTM(2, 3, num_layers=2, bidirectional=True, proj_size=1)
    output, (h_n, c_n) = lstm(ember.randn(4, 2, 2))
    (output.sum() + h_n.sum() + c_n.sum()).backward()
    assert all(p.grad is not None and p.grad.abs().sum().item() > 0 for p in lstm.parameters())


def test_errors_are_typed_and_name_the_layer():
    with pytest.raises(ValueError, match="proj_size has to be smaller than hidden_size"):
        nn.LSTM(2, 3, proj_size=3)
    with pytest.raises(ValueError, match="hidden_size must be greater than zero"):
        nn.GRU(2, 0)
    with pytest.raises(ValueError, match="dropout should be a number in range"):
        nn.RNN(2, 3, dropout=1.5)
    with pytest.raises(TypeError, match="hidden_size should be of type int"):
        nn.RNN(2, 3.0)
    with pytest.raises(ValueError, match="Unknown nonlinearity"):
        nn.RNN(2, 3, nonlinearity="sigmoid")
    lstm = nn.LSTM(3, 4)
    with pytest.raises(RuntimeError, match=r"\[LSTM\] input.size\(-1\) must be equal to "
                                           "input_size. Expected 3, got 2"):
        lstm(ember.randn(5, 2, 2))
    with pytest.raises(ValueError, match="expected input of 2 \\(unbatched\\) or 3 dims"):
        lstm(ember.randn(5))
    with pytest.raises(RuntimeError, match=r"expected h_0 of shape \[1, 2, 4\]; got \[1, 3, 4\]"):
        lstm(ember.randn(5, 2, 3), (ember.randn(1, 3, 4), ember.randn(1, 2, 4)))
    with pytest.raises(TypeError, match="expected hx as a tuple"):
        lstm(ember.randn(5, 2, 3), ember.randn(1, 2, 4))
    with pytest.raises(TypeError, match="of the input's dtype"):
        nn.GRU(3, 4)(ember.randn(5, 2, 3), ember.randn(1, 2, 4, dtype=ember.float64))
    with pytest.raises(ValueError, match=r"\[GRUCell\] expected input to be 1D or 2D"):
        nn.GRUCell(2, 3)(ember.randn(1, 1, 2))


def test_reassigned_weights_are_what_forward_uses():
    gru = nn.GRU(2, 3)
    x = ember.randn(4, 1, 2)
    before = gru(x)[0]
    gru.weight_hh_l0 = nn.Parameter(ember.zeros(9, 3))
    assert gru._flat_weights[1] is gru.weight_hh_l0
    assert not ember.equal(before, gru(x)[0])
    gru.flatten_parameters()
    copied = nn.GRU(2, 3)
    copied.load_state_dict(gru.state_dict())
    assert ember.equal(copied(x)[0], gru(x)[0])
