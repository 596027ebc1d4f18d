"""InstanceNorm1d/2d (torch.nn's): affine and running statistics off by default, the parameter
and buffer names of BatchNorm, the math in F.instance_norm."""
import warnings

from ember.nn import functional
from ember.nn.modules.batchnorm import _NormBase

__all__ = ["InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"]


class _InstanceNorm(_NormBase):
    _no_batch_dim = 0  # the input dims of one unbatched sample

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=False,
                 track_running_stats=False, device=None, dtype=None):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype)

    def _check_input_dim(self, input):
        dims = (self._no_batch_dim, self._no_batch_dim + 1)
        if input.dim() not in dims:
            raise ValueError(f"expected {dims[0]}D or {dims[1]}D input "
                             f"(got {input.dim()}D input)")

    def forward(self, input):
        self._check_input_dim(input)
        feature_dim = input.dim() - self._no_batch_dim
        if input.size(feature_dim) != self.num_features:
            message = (f"expected input's size at dim={feature_dim} to match num_features "
                       f"({self.num_features}), but got: {input.size(feature_dim)}.")
            if self.affine:
                raise ValueError(message)
            warnings.warn(message + " You can silence this warning by not passing in "
                          "num_features, which is not used because affine=False", stacklevel=2)
        batched = input.dim() != self._no_batch_dim
        result = functional.instance_norm(
            input if batched else input.unsqueeze(0), self.running_mean, self.running_var,
            self.weight, self.bias,
            self.training or not self.track_running_stats,
            0.1 if self.momentum is None else self.momentum, self.eps)
        return result if batched else result.squeeze(0)


class InstanceNorm1d(_InstanceNorm):
    """InstanceNorm1d(num_features, eps=1e-05, momentum=0.1, affine=False,
    track_running_stats=False, device=None, dtype=None) -> InstanceNorm1d

    Normalizes each channel of each (N, C, L) or (C, L) sample over L.
    """

    _no_batch_dim = 2


class InstanceNorm2d(_InstanceNorm):
    """InstanceNorm2d(num_features, eps=1e-05, momentum=0.1, affine=False,
    track_running_stats=False, device=None, dtype=None) -> InstanceNorm2d

    Normalizes each channel of each (N, C, H, W) or (C, H, W) sample over H and W.
    """

    _no_batch_dim = 3


class InstanceNorm3d(_InstanceNorm):
    """InstanceNorm3d(num_features, eps=1e-05, momentum=0.1, affine=False,
    track_running_stats=False, device=None, dtype=None) -> InstanceNorm3d

    Normalizes each channel of each (N, C, D, H, W) or (C, D, H, W) sample over D, H and W.
    """

    _no_batch_dim = 4
