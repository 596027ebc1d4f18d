"""Gradient-check cases of one op family (test_gradcheck calls register(add, real)):
nn.functional's convolutions.

Each case runs on contiguous, transposed and sliced leaves (test_gradcheck's layouts); input,
weight and bias are all checked, to first and second order (the second order differentiates the
passes of the Convolution primitive that the first-order rule calls). The "broadcast" cases pass
an expanded input.
"""
import ember

NON_DIFFERENTIABLE = {}  # op_db name -> why it is not gradient-checked
ZERO_GRADIENT = ()  # op_db names whose gradient is zero everywhere


def register(add, real):
    """Adds this family's cases with test_gradcheck's add(op, note, fn, *specs) and real(*shape)."""
    F = ember.nn.functional
    add("nn.functional.conv1d", "stride, padding, bias",
        lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1), real(2, 2, 5), real(3, 2, 3),
        real(3))
    add("nn.functional.conv1d", "same, even kernel, dilation",
        lambda x, w: F.conv1d(x, w, padding="same", dilation=2), real(1, 2, 5), real(2, 2, 2))
    add("nn.functional.conv2d", "groups, dilation, bias",
        lambda x, w, b: F.conv2d(x, w, b, padding=1, dilation=(2, 1), groups=2),
        real(1, 4, 4, 3), real(2, 2, 2, 2), real(2))
    add("nn.functional.conv2d", "stride, unbatched",
        lambda x, w: F.conv2d(x, w, stride=(2, 1), padding=(0, 1)), real(2, 4, 3),
        real(2, 2, 2, 2))
    add("nn.functional.conv2d", "broadcast input",
        lambda x, w: F.conv2d(x.expand(2, 2, 3, 3), w), real(1, 3, 3), real(2, 2, 2, 2))
    add("nn.functional.conv3d", "stride, padding",
        lambda x, w, b: F.conv3d(x, w, b, stride=(1, 2, 1), padding=(1, 0, 0)),
        real(1, 2, 2, 3, 2), real(2, 2, 2, 2, 1), real(2))
    add("nn.functional.conv_transpose1d", "stride, output_padding, bias",
        lambda x, w, b: F.conv_transpose1d(x, w, b, stride=2, padding=1, output_padding=1),
        real(2, 2, 3), real(2, 3, 3), real(3))
    add("nn.functional.conv_transpose1d", "output_padding of the dilation's size",
        lambda x, w: F.conv_transpose1d(x, w, output_padding=1, dilation=2), real(1, 2, 3),
        real(2, 1, 2))
    add("nn.functional.conv_transpose2d", "groups, dilation",
        lambda x, w, b: F.conv_transpose2d(x, w, b, stride=(1, 2), groups=2, dilation=(2, 1)),
        real(1, 4, 2, 3), real(4, 1, 2, 2), real(2))
    add("nn.functional.conv_transpose3d", "stride, padding",
        lambda x, w: F.conv_transpose3d(x, w, stride=2, padding=(0, 1, 0)), real(1, 2, 2, 2, 1),
        real(2, 1, 2, 2, 2))
    add("convolution", "transposed",
        lambda x, w, b: ember.convolution(x, w, b, [2, 1], [1, 0], [1, 1], True, [1, 0], 1),
        real(1, 2, 2, 3), real(2, 2, 2, 2), real(2))
    add("convolution", "groups",
        lambda x, w, b: ember.convolution(x, w, b, [1], [1], [2], False, [0], 2),
        real(2, 4, 4), real(4, 2, 2), real(4))
