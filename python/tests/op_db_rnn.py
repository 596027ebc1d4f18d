"""op_db entries of one op family: the recurrent ops (ember.lstm_cell, ember.lstm, ...).

The references are written here in numpy from PyTorch's documented equations (nn.RNN, nn.LSTM,
nn.GRU and their cells): gates i, f, g, o for LSTM, r, z, n for GRU, the projection h = W_hr h
of LSTM's proj_size, layers stacked with each direction's outputs concatenated. A packed sequence
is checked by running each of its sequences alone through the padded reference.
"""
import numpy as np
from op_db import Input, OpInfo, Sample, make_values, shape_tag

import ember

RNN_DTYPES = (ember.float32, ember.float64)
GATES = {"rnn_tanh": 1, "rnn_relu": 1, "lstm": 4, "gru": 3}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def ref_step(kind, x, h, c, w_ih, w_hh, b_ih=None, b_hh=None, w_hr=None):
    """One step of `kind` -> (h', c') (c' None but for LSTM)."""
    gi = x @ w_ih.T + (0 if b_ih is None else b_ih)
    gh = h @ w_hh.T + (0 if b_hh is None else b_hh)
    if kind == "rnn_tanh":
        return np.tanh(gi + gh), None
    if kind == "rnn_relu":
        return np.maximum(gi + gh, 0), None
    if kind == "gru":
        i_r, i_z, i_n = np.split(gi, 3, axis=-1)
        h_r, h_z, h_n = np.split(gh, 3, axis=-1)
        r, z = sigmoid(i_r + h_r), sigmoid(i_z + h_z)
        n = np.tanh(i_n + r * h_n)
        return (1 - z) * n + z * h, None
    i, f, g, o = np.split(gi + gh, 4, axis=-1)
    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    h_new = sigmoid(o) * np.tanh(c_new)
    return (h_new if w_hr is None else h_new @ w_hr.T), c_new


def ref_layers(kind, x, h0, c0, params, has_biases, num_layers, bidirectional):
    """The full layer on time-major x (T, N, in) -> (output, h_n, c_n or None)."""
    directions = 2 if bidirectional else 1
    projected = c0 is not None and h0.shape[2] != c0.shape[2]
    per_cell = 2 + 2 * has_biases + projected
    layer_input, h_n, c_n = x, [], []
    for layer in range(num_layers):
        outputs = []
        for direction in range(directions):
            cell = layer * directions + direction
            p = params[cell * per_cell:(cell + 1) * per_cell]
            biases = (p[2], p[3]) if has_biases else (None, None)
            h, c = h0[cell], None if c0 is None else c0[cell]
            out = np.zeros((x.shape[0], x.shape[1], h0.shape[2]))
            steps = range(x.shape[0]) if direction == 0 else reversed(range(x.shape[0]))
            for t in steps:
                h, c = ref_step(kind, layer_input[t], h, c, p[0], p[1], *biases,
                                p[-1] if projected else None)
                out[t] = h
            outputs.append(out)
            h_n.append(h)
            c_n.append(c)
        layer_input = np.concatenate(outputs, axis=2)
    return layer_input, np.stack(h_n), None if c0 is None else np.stack(c_n)


def ref_packed(kind, data, batch_sizes, h0, c0, params, has_biases, num_layers, bidirectional):
    """Each sequence of the packed data alone through ref_layers, its results put back."""
    offsets = np.concatenate([[0], np.cumsum(batch_sizes)])
    lengths = [sum(1 for size in batch_sizes if size > b) for b in range(batch_sizes[0])]
    outputs = None
    h_n, c_n = np.zeros_like(h0), None if c0 is None else np.zeros_like(c0)
    for b, length in enumerate(lengths):
        rows = [offsets[t] + b for t in range(length)]
        alone = data[rows][:, None, :]
        out, h, c = ref_layers(kind, alone, h0[:, b:b + 1], None if c0 is None else c0[:, b:b + 1],
                               params, has_biases, num_layers, bidirectional)
        if outputs is None:
            outputs = np.zeros((data.shape[0], out.shape[2]))
        outputs[rows] = out[:, 0]
        h_n[:, b] = h[:, 0]
        if c0 is not None:
            c_n[:, b] = c[:, 0]
    return outputs, h_n, c_n


# ---------------------------------------------------------------- the ops under test


def cell_op(kind):
    def call(x, h, *rest):
        if kind == "lstm":
            return ember.lstm_cell(x, (h, rest[0]), *rest[1:])
        return getattr(ember, f"{kind}_cell")(x, h, *rest)

    call.__name__ = f"{kind}_cell"
    return call


def ref_cell(kind):
    def call(x, h, *rest):
        if kind == "lstm":
            return ref_step(kind, x, h, *rest)
        return ref_step(kind, x, h, None, *rest)[0]

    return call


def layer_op(kind):
    """ember.<kind>(input, hx, params, ...) with flat tensor arguments; packed when batch_sizes is
    given (a tuple of ints)."""

    def call(x, h0, *rest, has_biases=True, num_layers=1, bidirectional=False, batch_first=False,
             batch_sizes=None):
        op = getattr(ember, kind)
        hx, params = ([h0, rest[0]], list(rest[1:])) if kind == "lstm" else (h0, list(rest))
        if batch_sizes is not None:
            sizes = ember.tensor(list(batch_sizes), dtype=ember.int64)
            result = op(x, sizes, hx, params, has_biases, num_layers, 0.0, False, bidirectional)
        else:
            result = op(x, hx, params, has_biases, num_layers, 0.0, False, bidirectional,
                        batch_first)
        return tuple(result)

    call.__name__ = kind
    return call


def ref_layer(kind):
    def call(x, h0, *rest, has_biases=True, num_layers=1, bidirectional=False, batch_first=False,
             batch_sizes=None):
        c0, params = (rest[0], rest[1:]) if kind == "lstm" else (None, rest)
        if batch_sizes is not None:
            result = ref_packed(kind, x, list(batch_sizes), h0, c0, params, has_biases,
                                num_layers, bidirectional)
        else:
            time_major = x.transpose(1, 0, 2) if batch_first else x
            result = ref_layers(kind, time_major, h0, c0, params, has_biases, num_layers,
                                bidirectional)
            if batch_first:
                result = (result[0].transpose(1, 0, 2),) + result[1:]
        return result if kind == "lstm" else result[:2]

    return call


# ---------------------------------------------------------------- samples


def values(rng, shape, dtype):
    return Input(make_values(rng, shape, dtype, "unit"), dtype)


def cell_samples(kind):
    gates = GATES[kind]

    def samples(rng, dtype):
        found = []
        for batch, features, hidden, biases in ((3, 4, 5, True), (2, 3, 2, False),
                                                (0, 3, 2, True)):
            args = [values(rng, (batch, features), dtype), values(rng, (batch, hidden), dtype)]
            if kind == "lstm":
                args.append(values(rng, (batch, hidden), dtype))
            args += [values(rng, (gates * hidden, features), dtype),
                     values(rng, (gates * hidden, hidden), dtype)]
            if biases:
                args += [values(rng, (gates * hidden,), dtype) for _ in range(2)]
            found.append(Sample(tuple(args), tag=shape_tag((batch, features)), k=64))
        return found

    return samples


# (steps, batch, input, hidden, proj, layers, bidirectional, biases, batch_first, batch_sizes)
LAYER_CASES = [
    (4, 3, 2, 3, 0, 1, False, True, False, None),
    (3, 2, 3, 2, 0, 2, True, True, True, None),
    (3, 2, 2, 3, 0, 2, False, False, False, None),
    (3, 2, 2, 3, 2, 2, True, True, False, None),  # LSTM's proj_size (other kinds: none)
    (2, 0, 2, 3, 0, 1, True, True, False, None),  # empty batch
    (0, 3, 2, 2, 0, 2, False, True, False, None),  # no steps
    (None, None, 3, 2, 0, 2, True, True, False, (4, 3, 1)),  # packed, lengths 3, 2, 2, 1
    (None, None, 2, 3, 2, 1, True, False, False, (2, 2, 2)),  # packed, equal lengths
]


def layer_samples(kind):
    gates = GATES[kind]

    def samples(rng, dtype):
        found = []
        for (steps, batch, features, hidden, proj, layers, bidirectional, biases, batch_first,
             batch_sizes) in LAYER_CASES:
            proj = proj if kind == "lstm" else 0
            out = proj or hidden
            directions = 2 if bidirectional else 1
            if batch_sizes is None:
                shape = (batch, steps, features) if batch_first else (steps, batch, features)
            else:
                batch, shape = batch_sizes[0], (sum(batch_sizes), features)
            args = [values(rng, shape, dtype), values(rng, (layers * directions, batch, out),
                                                      dtype)]
            if kind == "lstm":
                args.append(values(rng, (layers * directions, batch, hidden), dtype))
            for layer in range(layers):
                for _ in range(directions):
                    layer_in = features if layer == 0 else directions * out
                    args += [values(rng, (gates * hidden, layer_in), dtype),
                             values(rng, (gates * hidden, out), dtype)]
                    if biases:
                        args += [values(rng, (gates * hidden,), dtype) for _ in range(2)]
                    if proj:
                        args.append(values(rng, (proj, hidden), dtype))
            kwargs = {"has_biases": biases, "num_layers": layers, "bidirectional": bidirectional,
                      "batch_first": batch_first, "batch_sizes": batch_sizes}
            found.append(Sample(tuple(args), kwargs, tag=shape_tag(shape, (batch,)), k=256))
        return found

    return samples


def layer_dtypes(kind):
    count = 3 if kind == "lstm" else 2
    return lambda dtype: (dtype,) * count


def cell_dtypes(kind):
    return (lambda dtype: (dtype, dtype)) if kind == "lstm" else (lambda dtype: dtype)


ENTRIES = [
    *(OpInfo(f"{kind}_cell", cell_op(kind), ref_cell(kind), cell_samples(kind),
             dtypes=RNN_DTYPES, kind="reduction", out_dtype=cell_dtypes(kind))
      for kind in GATES),
    *(OpInfo(kind, layer_op(kind), ref_layer(kind), layer_samples(kind), dtypes=RNN_DTYPES,
             kind="reduction", out_dtype=layer_dtypes(kind))
      for kind in GATES),
]
