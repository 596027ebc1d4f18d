"""RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell (torch.nn's): parameter names, shapes, order and
default initialisation as PyTorch's (and as ember::nn's C++ layers). The forwards are the C++
frontend's (ember::nn::detail::rnn_forward / rnn_cell_forward through ember._C._nn), which
handle unbatched input, default and permuted initial states and packed sequences once for both
languages; the math is in the recurrent ops (ember.lstm, ember.gru, ember.lstm_cell, ...)."""
import math
import numbers

from ember import _C
from ember._C import _nn
from ember.nn import init
from ember.nn.modules.module import Module
from ember.nn.parameter import Parameter
from ember.nn.utils.rnn import PackedSequence

__all__ = ["GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNBase", "RNNCell", "RNNCellBase"]


class RNNBase(Module):
    """RNNBase(mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
    dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None) -> RNNBase

    What RNN, LSTM and GRU share: for each layer and direction, weight_ih_l{k}[_reverse]
    (gates * hidden_size, layer input), weight_hh_l{k} (gates * hidden_size, hidden or
    proj_size), bias_ih_l{k} and bias_hh_l{k} with bias, weight_hr_l{k} (proj_size,
    hidden_size) with proj_size > 0, all drawn from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))
    in that order.
    """

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        if not isinstance(dropout, numbers.Number) or isinstance(dropout, bool):
            raise ValueError("dropout should be a number in range [0, 1] representing the "
                             "probability of an element being zeroed")
        for name, value in (("input_size", input_size), ("hidden_size", hidden_size),
                            ("num_layers", num_layers), ("proj_size", proj_size)):
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"{name} should be of type int, got: {type(value).__name__}")
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        _nn._rnn_check_config(self._config())
        shapes = _nn._rnn_flat_weight_shapes(self._config())
        self._flat_weights_names = [name for name, _ in shapes]
        for name, shape in shapes:
            setattr(self, name, Parameter(_C.empty(tuple(shape), device=device, dtype=dtype)))
        per_direction = len(shapes) // (num_layers * (2 if bidirectional else 1))
        self._all_weights = [self._flat_weights_names[start:start + per_direction]
                             for start in range(0, len(shapes), per_direction)]
        self._init_flat_weights()
        self.reset_parameters()

    def _config(self):
        return (self.mode, self.input_size, self.hidden_size, self.num_layers, bool(self.bias),
                bool(self.batch_first), float(self.dropout), bool(self.bidirectional),
                self.proj_size)

    def _init_flat_weights(self):
        self._flat_weights = [getattr(self, name, None) for name in self._flat_weights_names]

    def __setattr__(self, name, value):
        # A reassigned weight is what the next forward uses, as PyTorch's _flat_weights.
        if "_flat_weights" in self.__dict__ and name in self._flat_weights_names:
            self._flat_weights[self._flat_weights_names.index(name)] = value
        super().__setattr__(name, value)

    def _apply(self, fn, *args, **kwargs):
        result = super()._apply(fn, *args, **kwargs)
        self._init_flat_weights()
        return result

    def flatten_parameters(self):
        """flatten_parameters() -> None: the weights are always used as registered (no cuDNN
        buffer to compact); kept for PyTorch's API."""

    @property
    def all_weights(self):
        """The parameters grouped per layer and direction."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _run(self, input, hx, cx):
        if isinstance(input, PackedSequence):
            data, batch_sizes, sorted_indices, unsorted_indices = input
        else:
            data, batch_sizes, sorted_indices, unsorted_indices = input, None, None, None
        output, h_n, c_n = _nn._rnn_forward(self._config(), self.training, data, batch_sizes,
                                            sorted_indices, unsorted_indices, hx, cx,
                                            self._flat_weights)
        if batch_sizes is not None:
            output = PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices)
        return output, h_n, c_n

    def forward(self, input, hx=None):
        output, h_n, _ = self._run(input, hx, None)
        return output, h_n

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s


class RNN(RNNBase):
    """RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True,
    batch_first=False, dropout=0.0, bidirectional=False, device=None, dtype=None) -> RNN

    h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (or relu) per layer and direction;
    forward(input, hx=None) -> (output, h_n), input (L, N, H_in), (N, L, H_in) with batch_first,
    (L, H_in) unbatched, or a PackedSequence (then output is one too).
    """

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, device=None, dtype=None):
        modes = {"tanh": "RNN_TANH", "relu": "RNN_RELU"}
        if nonlinearity not in modes:
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or "
                             "'relu'.")
        super().__init__(modes[nonlinearity], input_size, hidden_size, num_layers, bias,
                         batch_first, dropout, bidirectional, 0, device, dtype)
        self.nonlinearity = nonlinearity

    def extra_repr(self):
        s = super().extra_repr()
        return s + (", nonlinearity='relu'" if self.nonlinearity != "tanh" else "")


class LSTM(RNNBase):
    """LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
    bidirectional=False, proj_size=0, device=None, dtype=None) -> LSTM

    PyTorch's LSTM (gates i, f, g, o; with proj_size > 0, h_t = W_hr (o_t * tanh(c_t)));
    forward(input, hx=None) -> (output, (h_n, c_n)), hx a pair (h_0, c_0); input as RNN's.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, proj_size, device, dtype)

    def forward(self, input, hx=None):
        if hx is None:
            h0, c0 = None, None
        elif isinstance(hx, (tuple, list)) and len(hx) == 2:
            h0, c0 = hx
        else:
            raise TypeError(f"[LSTM] expected hx as a tuple (h_0, c_0); got "
                            f"{type(hx).__name__}")
        output, h_n, c_n = self._run(input, h0, c0)
        return output, (h_n, c_n)


class GRU(RNNBase):
    """GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
    bidirectional=False, device=None, dtype=None) -> GRU

    PyTorch's GRU (gates r, z, n; n = tanh(W_in x + b_in + r * (W_hn h + b_hn)));
    forward(input, hx=None) -> (output, h_n); input as RNN's.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, 0, device, dtype)


class RNNCellBase(Module):
    """RNNCellBase(input_size, hidden_size, bias, num_chunks, device=None, dtype=None)

    What the cells share: weight_ih (num_chunks * hidden_size, input_size), weight_hh
    (num_chunks * hidden_size, hidden_size), bias_ih and bias_hh, all drawn from
    U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) in that order.
    """

    _mode = None

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        gates = num_chunks * hidden_size
        self.weight_ih = Parameter(_C.empty((gates, input_size), device=device, dtype=dtype))
        self.weight_hh = Parameter(_C.empty((gates, hidden_size), device=device, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(_C.empty(gates, device=device, dtype=dtype))
            self.bias_hh = Parameter(_C.empty(gates, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self):
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _step(self, input, hx, cx):
        return _nn._rnn_cell_forward(self._mode, input, hx, cx, self.weight_ih, self.weight_hh,
                                     self.bias_ih, self.bias_hh)

    def forward(self, input, hx=None):
        return self._step(input, hx, None)[0]

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s


class RNNCell(RNNCellBase):
    """RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh', device=None, dtype=None)

    One step h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu); forward(input, hx=None),
    input (N, input_size) or unbatched (input_size,), hx zeros when None.
    """

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}")
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity
        self._mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"


class LSTMCell(RNNCellBase):
    """LSTMCell(input_size, hidden_size, bias=True, device=None, dtype=None)

    One LSTM step (gates i, f, g, o); forward(input, hx=None) -> (h', c'), hx a pair (h, c).
    """

    _mode = "LSTM"

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input, hx=None):
        if hx is None:
            h0, c0 = None, None
        elif isinstance(hx, (tuple, list)) and len(hx) == 2:
            h0, c0 = hx
        else:
            raise TypeError(f"[LSTMCell] expected hx as a tuple (h_0, c_0); got "
                            f"{type(hx).__name__}")
        return tuple(self._step(input, h0, c0))


class GRUCell(RNNCellBase):
    """GRUCell(input_size, hidden_size, bias=True, device=None, dtype=None)

    One GRU step (gates r, z, n); forward(input, hx=None) -> h'.
    """

    _mode = "GRU"

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)
