"""The activation layers of torch.nn (ReLU ... GLU, Softmax/LogSoftmax/Softmin, PReLU): each
holds its settings and calls one ember.nn.functional op (DESIGN §10)."""
import ember
from ember.nn import functional as F  # noqa: N812 (PyTorch's idiom)
from ember.nn.modules.module import Module
from ember.nn.parameter import Parameter

__all__ = [
    "CELU",
    "ELU",
    "GELU",
    "GLU",
    "SELU",
    "Hardshrink",
    "Hardsigmoid",
    "Hardswish",
    "Hardtanh",
    "LeakyReLU",
    "LogSigmoid",
    "LogSoftmax",
    "Mish",
    "PReLU",
    "RReLU",
    "ReLU",
    "ReLU6",
    "SiLU",
    "Sigmoid",
    "Softmax",
    "Softmin",
    "Softplus",
    "Softshrink",
    "Softsign",
    "Tanh",
    "Tanhshrink",
    "Threshold",
]


class _Inplace(Module):
    """An activation whose only setting is inplace."""

    _function = None

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return type(self)._function(input, inplace=self.inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class _Stateless(Module):
    """An activation without settings."""

    _function = None

    def forward(self, input):
        return type(self)._function(input)


class Threshold(Module):
    """Threshold(threshold, value, inplace=False): x where x > threshold, else value."""

    def __init__(self, threshold, value, inplace=False):
        super().__init__()
        self.threshold = threshold
        self.value = value
        self.inplace = inplace

    def forward(self, input):
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self):
        inplace = ", inplace=True" if self.inplace else ""
        return f"threshold={self.threshold}, value={self.value}{inplace}"


class ReLU(_Inplace):
    """ReLU(inplace=False): max(x, 0)."""

    _function = staticmethod(F.relu)


class ReLU6(_Inplace):
    """ReLU6(inplace=False): min(max(x, 0), 6)."""

    _function = staticmethod(F.relu6)


class SELU(_Inplace):
    """SELU(inplace=False): scale * elu(x, alpha) with the self-normalizing constants."""

    _function = staticmethod(F.selu)


class SiLU(_Inplace):
    """SiLU(inplace=False): x * sigmoid(x)."""

    _function = staticmethod(F.silu)


class Mish(_Inplace):
    """Mish(inplace=False): x * tanh(softplus(x))."""

    _function = staticmethod(F.mish)


class Hardswish(_Inplace):
    """Hardswish(inplace=False): x * relu6(x + 3) / 6."""

    _function = staticmethod(F.hardswish)


class Hardsigmoid(_Inplace):
    """Hardsigmoid(inplace=False): relu6(x + 3) / 6."""

    _function = staticmethod(F.hardsigmoid)


class Sigmoid(_Stateless):
    """Sigmoid(): 1 / (1 + exp(-x))."""

    _function = staticmethod(ember.sigmoid)


class Tanh(_Stateless):
    """Tanh(): the hyperbolic tangent."""

    _function = staticmethod(ember.tanh)


class LogSigmoid(_Stateless):
    """LogSigmoid(): log(sigmoid(x)), computed stably."""

    _function = staticmethod(F.logsigmoid)


class Softsign(_Stateless):
    """Softsign(): x / (1 + |x|)."""

    _function = staticmethod(F.softsign)


class Tanhshrink(_Stateless):
    """Tanhshrink(): x - tanh(x)."""

    _function = staticmethod(F.tanhshrink)


class RReLU(Module):
    """RReLU(lower=1/8, upper=1/3, inplace=False): random negative slopes while training."""

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__()
        self.lower = lower
        self.upper = upper
        self.inplace = inplace

    def forward(self, input):
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self):
        inplace = ", inplace=True" if self.inplace else ""
        return f"lower={self.lower}, upper={self.upper}{inplace}"


class Hardtanh(Module):
    """Hardtanh(min_val=-1.0, max_val=1.0, inplace=False): x clamped to [min_val, max_val]."""

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False):
        super().__init__()
        self.min_val = min_val
        self.max_val = max_val
        self.inplace = inplace
        assert self.max_val > self.min_val

    def forward(self, input):
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self):
        inplace = ", inplace=True" if self.inplace else ""
        return f"min_val={self.min_val}, max_val={self.max_val}{inplace}"


class _Alpha(Module):
    """ELU and CELU: alpha and inplace."""

    _function = None

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input):
        return type(self)._function(input, self.alpha, self.inplace)

    def extra_repr(self):
        inplace = ", inplace=True" if self.inplace else ""
        return f"alpha={self.alpha}{inplace}"


class ELU(_Alpha):
    """ELU(alpha=1.0, inplace=False): x where x > 0, else alpha * (exp(x) - 1)."""

    _function = staticmethod(F.elu)


class CELU(_Alpha):
    """CELU(alpha=1.0, inplace=False): x where x > 0, else alpha * (exp(x / alpha) - 1)."""

    _function = staticmethod(F.celu)


class GLU(Module):
    """GLU(dim=-1): a * sigmoid(b) for the halves a, b of the input along dim."""

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.glu(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class GELU(Module):
    """GELU(approximate='none'): x * Phi(x), or its tanh approximation."""

    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class _Lambd(Module):
    """Hardshrink and Softshrink: lambd."""

    _function = None

    def __init__(self, lambd=0.5):
        super().__init__()
        self.lambd = lambd

    def forward(self, input):
        return type(self)._function(input, self.lambd)

    def extra_repr(self):
        return f"{self.lambd}"


class Hardshrink(_Lambd):
    """Hardshrink(lambd=0.5): x where |x| > lambd, else 0."""

    _function = staticmethod(F.hardshrink)


class Softshrink(_Lambd):
    """Softshrink(lambd=0.5): x shrunk towards 0 by lambd."""

    _function = staticmethod(F.softshrink)


class LeakyReLU(Module):
    """LeakyReLU(negative_slope=0.01, inplace=False): x where x > 0, else negative_slope * x."""

    def __init__(self, negative_slope=1e-2, inplace=False):
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self):
        inplace = ", inplace=True" if self.inplace else ""
        return f"negative_slope={self.negative_slope}{inplace}"


class Softplus(Module):
    """Softplus(beta=1.0, threshold=20.0): log(1 + exp(beta x)) / beta."""

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class PReLU(Module):
    """PReLU(num_parameters=1, init=0.25): x where x > 0, else weight * x, the weight learned
    (one, or one per channel)."""

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(ember.empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        with ember.no_grad():
            self.weight.fill_(self.init)

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class _SoftmaxLike(Module):
    """Softmax, LogSoftmax and Softmin: an optional dim (None: PyTorch's implicit choice)."""

    _function = None

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return type(self)._function(input, self.dim, _stacklevel=5)

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmin(_SoftmaxLike):
    """Softmin(dim=None): softmax(-x) along dim."""

    _function = staticmethod(F.softmin)


class Softmax(_SoftmaxLike):
    """Softmax(dim=None): exp(x) / sum(exp(x)) along dim."""

    _function = staticmethod(F.softmax)


class LogSoftmax(_SoftmaxLike):
    """LogSoftmax(dim=None): x - log(sum(exp(x))) along dim."""

    _function = staticmethod(F.log_softmax)
