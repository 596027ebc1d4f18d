"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
the recurrent ops.

Each case runs on contiguous, transposed and sliced leaves (test_gradcheck's layouts): every
input, state and weight is checked, to first and second order, for the cells and for the layers
in their option combinations (biases, two layers, bidirectional, batch_first, LSTM's projection,
packed input of unequal lengths).
"""
import ember

NON_DIFFERENTIABLE = {}  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere

GATES = {"rnn_tanh": 1, "rnn_relu": 1, "lstm": 4, "gru": 3}


def layer_fn(kind, has_biases, num_layers, bidirectional, batch_first=False, batch_sizes=None):
    op = getattr(ember, kind)

    def call(x, h0, *rest):
        hx, params = ([h0, rest[0]], list(rest[1:])) if kind == "lstm" else (h0, list(rest))
        if batch_sizes is not None:
            sizes = ember.tensor(batch_sizes, dtype=ember.int64)
            return tuple(op(x, sizes, hx, params, has_biases, num_layers, 0.0, False,
                            bidirectional))
        return tuple(op(x, hx, params, has_biases, num_layers, 0.0, False, bidirectional,
                        batch_first))

    return call


def layer_specs(real, kind, shape, batch, hidden, num_layers, bidirectional, has_biases,
                proj=0):
    gates, directions = GATES[kind], 2 if bidirectional else 1
    out = proj or hidden
    specs = [real(*shape), real(num_layers * directions, batch, out)]
    if kind == "lstm":
        specs.append(real(num_layers * directions, batch, hidden))
    for layer in range(num_layers):
        for _ in range(directions):
            specs += [real(gates * hidden, shape[-1] if layer == 0 else directions * out),
                      real(gates * hidden, out)]
            if has_biases:
                specs += [real(gates * hidden), real(gates * hidden)]
            if proj:
                specs.append(real(proj, hidden))
    return specs


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    for kind, gates in GATES.items():
        name = f"{kind}_cell"
        cell = getattr(ember, name)
        if kind == "lstm":
            add(name, "biases", lambda x, h, c, wi, wh, bi, bh: ember.lstm_cell(x, (h, c), wi, wh,
                                                                                bi, bh),
                real(2, 3), real(2, 2), real(2, 2), real(8, 3), real(8, 2), real(8), real(8))
            add(name, "no biases", lambda x, h, c, wi, wh: ember.lstm_cell(x, (h, c), wi, wh),
                real(2, 3), real(2, 2), real(2, 2), real(8, 3), real(8, 2))
        else:
            add(name, "biases", cell, real(2, 3), real(2, 2), real(gates * 2, 3),
                real(gates * 2, 2), real(gates * 2), real(gates * 2))
            add(name, "no biases", cell, real(2, 3), real(2, 2), real(gates * 2, 3),
                real(gates * 2, 2))
        add(kind, "one layer", layer_fn(kind, True, 1, False),
            *layer_specs(real, kind, (3, 2, 2), 2, 2, 1, False, True))
        add(kind, "two layers bidirectional batch_first no biases",
            layer_fn(kind, False, 2, True, batch_first=True),
            *layer_specs(real, kind, (2, 2, 2), 2, 2, 2, True, False))
        add(kind, "packed bidirectional", layer_fn(kind, True, 1, True, batch_sizes=[2, 1, 1]),
            *layer_specs(real, kind, (4, 2), 2, 2, 1, True, True))
    add("lstm", "projection", layer_fn("lstm", True, 2, False),
        *layer_specs(real, "lstm", (2, 2, 2), 2, 3, 2, False, True, proj=2))
