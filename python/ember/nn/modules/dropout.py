"""The dropout layers of torch.nn: Dropout, Dropout1d/2d/3d, AlphaDropout and
FeatureAlphaDropout; each drops only while the module is training (DESIGN §10)."""
from ember.nn import functional as F  # noqa: N812 (PyTorch's idiom)
from ember.nn.modules.module import Module

__all__ = [
    "AlphaDropout",
    "Dropout",
    "Dropout1d",
    "Dropout2d",
    "Dropout3d",
    "FeatureAlphaDropout",
]


class _DropoutNd(Module):
    _function = None

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        if p < 0 or p > 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return type(self)._function(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Dropout(p=0.5, inplace=False): zeroes elements with probability p while training and
    scales the rest by 1 / (1 - p)."""

    _function = staticmethod(F.dropout)


class Dropout1d(_DropoutNd):
    """Dropout1d(p=0.5, inplace=False): zeroes whole channels of (N, C, L) or (C, L) inputs."""

    _function = staticmethod(F.dropout1d)


class Dropout2d(_DropoutNd):
    """Dropout2d(p=0.5, inplace=False): zeroes whole channels of (N, C, H, W) inputs."""

    _function = staticmethod(F.dropout2d)


class Dropout3d(_DropoutNd):
    """Dropout3d(p=0.5, inplace=False): zeroes whole channels of (N, C, D, H, W) inputs."""

    _function = staticmethod(F.dropout3d)


class AlphaDropout(_DropoutNd):
    """AlphaDropout(p=0.5, inplace=False): dropout that keeps zero mean and unit variance."""

    _function = staticmethod(F.alpha_dropout)


class FeatureAlphaDropout(_DropoutNd):
    """FeatureAlphaDropout(p=0.5, inplace=False): alpha dropout of whole channels."""

    _function = staticmethod(F.feature_alpha_dropout)
