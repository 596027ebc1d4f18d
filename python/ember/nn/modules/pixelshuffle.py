"""PixelShuffle and PixelUnshuffle (torch.nn's): F.pixel_shuffle / F.pixel_unshuffle (the C++
ops of ember/ops/nn_fold.h) with a fixed factor."""
from ember.nn import functional
from ember.nn.modules.module import Module

__all__ = ["PixelShuffle", "PixelUnshuffle"]


class PixelShuffle(Module):
    """PixelShuffle(upscale_factor) -> PixelShuffle

    (*, C r^2, H, W) -> (*, C, H r, W r) with r = upscale_factor.
    """

    def __init__(self, upscale_factor):
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input):
        return functional.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self):
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """PixelUnshuffle(downscale_factor) -> PixelUnshuffle

    (*, C, H r, W r) -> (*, C r^2, H, W) with r = downscale_factor.
    """

    def __init__(self, downscale_factor):
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input):
        return functional.pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self):
        return f"downscale_factor={self.downscale_factor}"
