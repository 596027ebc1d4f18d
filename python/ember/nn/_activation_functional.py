"""nn.functional's activations, softmax family and dropout: the C++ ops of ember._C._nn
(ember/ops/nn_activation.h) with PyTorch's Python-side argument handling (implicit softmax dims,
inplace=). Re-exported by ember.nn.functional.
"""
import warnings

from ember._C import _nn

__all__ = [
    "alpha_dropout",
    "celu",
    "celu_",
    "cosine_similarity",
    "dropout",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "elu",
    "elu_",
    "feature_alpha_dropout",
    "gelu",
    "glu",
    "gumbel_softmax",
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "hardtanh_",
    "leaky_relu",
    "leaky_relu_",
    "log_softmax",
    "logsigmoid",
    "mish",
    "normalize",
    "one_hot",
    "pairwise_distance",
    "pdist",
    "prelu",
    "relu",
    "relu6",
    "relu_",
    "rrelu",
    "rrelu_",
    "selu",
    "selu_",
    "sigmoid",
    "silu",
    "softmax",
    "softmin",
    "softplus",
    "softshrink",
    "softsign",
    "tanh",
    "tanhshrink",
    "threshold",
    "threshold_",
]


def _get_softmax_dim(name, ndim, stacklevel):
    """PyTorch's implicit dim of a softmax-like call without dim=: 0 for 0-, 1- and 3-d inputs,
    else 1, with its deprecation warning."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                  "to include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(input, dim=None, _stacklevel=3, dtype=None) -> Tensor

    exp(x) / sum(exp(x)) along dim, computed stably; the input is cast to dtype first.
    """
    if dim is None:
        dim = _get_softmax_dim("softmax", input.dim(), _stacklevel)
    return _nn.softmax(input, dim, dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log_softmax(input, dim=None, _stacklevel=3, dtype=None) -> Tensor

    x - log(sum(exp(x))) along dim, computed stably; the input is cast to dtype first.
    """
    if dim is None:
        dim = _get_softmax_dim("log_softmax", input.dim(), _stacklevel)
    return _nn.log_softmax(input, dim, dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmin(input, dim=None, _stacklevel=3, dtype=None) -> Tensor

    softmax(-x) along dim; the input is cast to dtype first.
    """
    if dim is None:
        dim = _get_softmax_dim("softmin", input.dim(), _stacklevel)
    return _nn.softmin(input, dim, dtype)


# The ops whose arguments need no Python-side handling, as bound.
alpha_dropout = _nn.alpha_dropout
celu = _nn.celu
celu_ = _nn.celu_
cosine_similarity = _nn.cosine_similarity
dropout = _nn.dropout
dropout1d = _nn.dropout1d
dropout2d = _nn.dropout2d
dropout3d = _nn.dropout3d
elu = _nn.elu
elu_ = _nn.elu_
feature_alpha_dropout = _nn.feature_alpha_dropout
gelu = _nn.gelu
glu = _nn.glu
gumbel_softmax = _nn.gumbel_softmax
hardshrink = _nn.hardshrink
hardsigmoid = _nn.hardsigmoid
hardswish = _nn.hardswish
hardtanh = _nn.hardtanh
hardtanh_ = _nn.hardtanh_
leaky_relu = _nn.leaky_relu
leaky_relu_ = _nn.leaky_relu_
logsigmoid = _nn.logsigmoid
mish = _nn.mish
normalize = _nn.normalize
one_hot = _nn.one_hot
pairwise_distance = _nn.pairwise_distance
pdist = _nn.pdist
prelu = _nn.prelu
relu = _nn.relu
relu6 = _nn.relu6
relu_ = _nn.relu_
rrelu = _nn.rrelu
rrelu_ = _nn.rrelu_
selu = _nn.selu
selu_ = _nn.selu_
sigmoid = _nn.sigmoid
silu = _nn.silu
softplus = _nn.softplus
softshrink = _nn.softshrink
softsign = _nn.softsign
tanh = _nn.tanh
tanhshrink = _nn.tanhshrink
threshold = _nn.threshold
threshold_ = _nn.threshold_
