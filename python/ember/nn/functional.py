"""ember.nn.functional: torch.nn.functional's functions.

Each is a C++ op bound in ember._C._nn (a submodule of the extension, which Python's import system
cannot reach by dotted name); this module re-exports them and adds only argument handling that
belongs to Python (PyTorch's legacy size_average/reduce arguments, for instance).
"""

import warnings as _warnings

import ember as _ember
from ember._C import _nn
from ember.nn._activation_functional import *  # noqa: F403  (activations, softmax, dropout)
from ember.nn._shape_functional import *  # noqa: F403  (pad, embedding, pixel_shuffle, fold)

linear = _nn.linear
bilinear = _nn.bilinear
scaled_dot_product_attention = _nn.scaled_dot_product_attention

# ---------------------------------------------------------------- losses (ember/ops/nn_loss.h)


def _reduction(size_average, reduce, reduction):
    """PyTorch's legacy size_average / reduce arguments as a reduction string."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    legacy = ("mean" if size_average else "sum") if reduce else "none"
    _warnings.warn("size_average and reduce args will be deprecated, please use "
                   f"reduction='{legacy}' instead.", stacklevel=3)
    return legacy


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """l1_loss(input, target, size_average=None, reduce=None, reduction='mean') -> Tensor

    The mean (or sum, or none) absolute difference |input - target|; input and target broadcast.
    """
    return _nn.l1_loss(input, target, _reduction(size_average, reduce, reduction))


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """mse_loss(input, target, size_average=None, reduce=None, reduction='mean') -> Tensor

    The mean (or sum, or none) squared difference (input - target)^2.
    """
    return _nn.mse_loss(input, target, _reduction(size_average, reduce, reduction))


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """smooth_l1_loss(input, target, size_average=None, reduce=None, reduction='mean', beta=1.0) -> Tensor

    0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta, d = input - target.
    """  # noqa: E501
    return _nn.smooth_l1_loss(input, target, _reduction(size_average, reduce, reduction),
                                   beta)


def huber_loss(input, target, reduction="mean", delta=1.0):
    """huber_loss(input, target, reduction='mean', delta=1.0) -> Tensor

    0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta), d = input - target.
    """
    return _nn.huber_loss(input, target, reduction, delta)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean') -> Tensor

    The negative log-likelihood of log-probabilities input (C), (N, C) or (N, C, d1, ..., dk)
    and int64 class indices target (), (N) or (N, d1, ..., dk).
    """  # noqa: E501
    return _nn.nll_loss(input, target, weight, ignore_index,
                             _reduction(size_average, reduce, reduction))


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean", label_smoothing=0.0):
    """cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0) -> Tensor

    The cross-entropy of logits input and class indices (or, floating, class probabilities).
    """  # noqa: E501
    return _nn.cross_entropy(input, target, weight, ignore_index,
                                  _reduction(size_average, reduce, reduction), label_smoothing)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction='mean') -> Tensor

    The binary cross-entropy of probabilities input and targets of its shape.
    """  # noqa: E501
    return _nn.binary_cross_entropy(input, target, weight,
                                         _reduction(size_average, reduce, reduction))


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None) -> Tensor

    The binary cross-entropy of logits input, computed stably.
    """  # noqa: E501
    return _nn.binary_cross_entropy_with_logits(
        input, target, weight, _reduction(size_average, reduce, reduction), pos_weight)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """kl_div(input, target, size_average=None, reduce=None, reduction='mean', log_target=False) -> Tensor

    The Kullback-Leibler divergence of target from log-probabilities input; reduction may be
    'batchmean' (the sum divided by the batch size).
    """  # noqa: E501
    return _nn.kl_div(input, target, _reduction(size_average, reduce, reduction), log_target)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-08, reduce=None, reduction='mean') -> Tensor

    The negative log-likelihood of target under a Poisson distribution of rate input.
    """  # noqa: E501
    return _nn.poisson_nll_loss(input, target, log_input, full, eps,
                                     _reduction(size_average, reduce, reduction))


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """gaussian_nll_loss(input, target, var, full=False, eps=1e-06, reduction='mean') -> Tensor

    The negative log-likelihood of target under Gaussians of mean input and variance var.
    """
    return _nn.gaussian_nll_loss(input, target, var, full, eps, reduction)


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                        reduction="mean"):
    """margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean') -> Tensor

    max(0, -target * (input1 - input2) + margin).
    """  # noqa: E501
    return _nn.margin_ranking_loss(input1, input2, target, margin,
                                        _reduction(size_average, reduce, reduction))


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction='mean') -> Tensor

    input where target is 1, max(0, margin - input) where it is -1.
    """  # noqa: E501
    return _nn.hinge_embedding_loss(input, target, margin,
                                         _reduction(size_average, reduce, reduction))


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                          reduction="mean"):
    """cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean') -> Tensor

    1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1.
    """  # noqa: E501
    return _nn.cosine_embedding_loss(input1, input2, target, margin,
                                          _reduction(size_average, reduce, reduction))


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    """triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-06, swap=False, size_average=None, reduce=None, reduction='mean') -> Tensor

    max(0, margin + d(anchor, positive) - d(anchor, negative)), d the p-norm distance.
    """  # noqa: E501
    return _nn.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap,
                                        _reduction(size_average, reduce, reduction))


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """soft_margin_loss(input, target, size_average=None, reduce=None, reduction='mean') -> Tensor

    The logistic loss log(1 + exp(-target * input)).
    """
    return _nn.soft_margin_loss(input, target, _reduction(size_average, reduce, reduction))


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    """multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction='mean') -> Tensor

    The logistic loss of each label (target 0 or 1), averaged over the classes.
    """  # noqa: E501
    return _nn.multilabel_soft_margin_loss(input, target, weight,
                                                _reduction(size_average, reduce, reduction))


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    """multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None, reduction='mean') -> Tensor

    The multi-class hinge loss of scores (N, C) or (C) and class indices.
    """  # noqa: E501
    return _nn.multi_margin_loss(input, target, p, margin, weight,
                                      _reduction(size_average, reduce, reduction))


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction='mean') -> Tensor

    The multi-label hinge loss of scores and lists of class indices ended by -1.
    """  # noqa: E501
    return _nn.multilabel_margin_loss(input, target,
                                           _reduction(size_average, reduce, reduction))


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
             zero_infinity=False):
    """ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction='mean', zero_infinity=False) -> Tensor

    The connectionist temporal classification loss of log_probs (T, N, C) or (T, C) and targets
    (N, S) padded or concatenated; the lengths are tensors or sequences of ints.
    """  # noqa: E501
    return _nn.ctc_loss(log_probs, targets, _lengths(input_lengths),
                             _lengths(target_lengths), blank, reduction, zero_infinity)


def _lengths(lengths):
    """ctc_loss's lengths as an int64 tensor (PyTorch takes tensors, tuples and lists)."""
    if isinstance(lengths, _ember.Tensor):
        return lengths
    return _ember.tensor(lengths, dtype=_ember.int64)


# ---------------------------------------------------------------- normalization (ops/nn_norm.h)
layer_norm = _nn.layer_norm
batch_norm = _nn.batch_norm
group_norm = _nn.group_norm
instance_norm = _nn.instance_norm

# ------------------------------------------------------------ convolutions (ember/ops/nn_conv.h)

conv1d = _nn.conv1d
conv2d = _nn.conv2d
conv3d = _nn.conv3d
conv_transpose1d = _nn.conv_transpose1d
conv_transpose2d = _nn.conv_transpose2d
conv_transpose3d = _nn.conv_transpose3d
# ---------------------------------------------------------------- pooling (ember/ops/nn_pool.h)

max_pool1d = _nn.max_pool1d
max_pool2d = _nn.max_pool2d
max_pool3d = _nn.max_pool3d
max_pool1d_with_indices = _nn.max_pool1d_with_indices
max_pool2d_with_indices = _nn.max_pool2d_with_indices
max_pool3d_with_indices = _nn.max_pool3d_with_indices
avg_pool1d = _nn.avg_pool1d
avg_pool2d = _nn.avg_pool2d
avg_pool3d = _nn.avg_pool3d
adaptive_avg_pool1d = _nn.adaptive_avg_pool1d
adaptive_avg_pool2d = _nn.adaptive_avg_pool2d
adaptive_avg_pool3d = _nn.adaptive_avg_pool3d
adaptive_max_pool1d = _nn.adaptive_max_pool1d
adaptive_max_pool2d = _nn.adaptive_max_pool2d
adaptive_max_pool3d = _nn.adaptive_max_pool3d
adaptive_max_pool1d_with_indices = _nn.adaptive_max_pool1d_with_indices
adaptive_max_pool2d_with_indices = _nn.adaptive_max_pool2d_with_indices
adaptive_max_pool3d_with_indices = _nn.adaptive_max_pool3d_with_indices
# ---------------------------------------------------------- unpooling (ember/ops/nn_unpool.h)

max_unpool1d = _nn.max_unpool1d
max_unpool2d = _nn.max_unpool2d
max_unpool3d = _nn.max_unpool3d
# ---------------------------------------------------------- resampling (ember/ops/nn_interp.h)


def _per_spatial_dim(value, input):
    """A single size or scale factor repeated once per spatial dim of input (N, C, *spatial)."""
    if value is None or isinstance(value, (list, tuple)):
        return value
    return [value] * max(input.dim() - 2, 0)


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, antialias=False) -> Tensor

    Resamples input (N, C, *spatial) to size, or to floor(spatial * scale_factor); mode nearest,
    nearest-exact, linear (3-D), bilinear, bicubic (4-D), trilinear (5-D) or area.
    """  # noqa: E501
    scale_factor = _per_spatial_dim(scale_factor, input)
    if scale_factor is not None:
        scale_factor = [float(scale) for scale in scale_factor]
    return _nn.interpolate(input, _per_spatial_dim(size, input), scale_factor, mode, align_corners,
                           recompute_scale_factor, antialias)


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """upsample(input, size=None, scale_factor=None, mode='nearest', align_corners=None) -> Tensor

    Deprecated alias of interpolate (PyTorch warns likewise).
    """
    _warnings.warn("nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.",
                   stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """upsample_nearest(input, size=None, scale_factor=None) -> Tensor

    Deprecated: interpolate(..., mode='nearest').
    """
    _warnings.warn("nn.functional.upsample_nearest is deprecated. Use nn.functional.interpolate "
                   "instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """upsample_bilinear(input, size=None, scale_factor=None) -> Tensor

    Deprecated: interpolate(..., mode='bilinear', align_corners=True).
    """
    _warnings.warn("nn.functional.upsample_bilinear is deprecated. Use nn.functional.interpolate "
                   "instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


grid_sample = _nn.grid_sample


def affine_grid(theta, size, align_corners=None):
    """affine_grid(theta, size, align_corners=None) -> Tensor

    The sampling grid (N, H, W, 2) of the affine maps theta (N, 2, 3) for an output of size
    (N, C, H, W) (or (N, D, H, W, 3) of theta (N, 3, 4) for size (N, C, D, H, W)).
    """
    return _nn.affine_grid(theta, list(size), align_corners)

# Multi-head attention (issue 11): the C++ frontend's functional, which nn.MultiheadAttention
# calls too.
multi_head_attention_forward = _nn.multi_head_attention_forward
