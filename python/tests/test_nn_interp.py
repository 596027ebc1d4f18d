"""interpolate, grid_sample, affine_grid and the Upsample layers: hand-derived values (PyTorch's
source-index formulas worked by hand), argument errors and warnings as PyTorch raises them,
double backward through the adjoint map, and the layers' printed settings."""
import warnings

import numpy as np
import pytest

import ember
from ember import nn
from ember.nn import functional as F  # noqa: N812 (PyTorch's idiom)


def square():
    return ember.tensor([[[[1.0, 2.0], [3.0, 4.0]]]], dtype=ember.float64)


# ------------------------------------------------------------ values worked by hand


def test_bilinear_values_with_and_without_align_corners():
    # align_corners=False: sources (o + 0.5) / 2 - 0.5 clamped at 0: 0, 0.25, 0.75, 1.
    expected = [[1.0, 1.25, 1.75, 2.0], [1.5, 1.75, 2.25, 2.5], [2.5, 2.75, 3.25, 3.5],
                [3.0, 3.25, 3.75, 4.0]]
    assert F.interpolate(square(), scale_factor=2, mode="bilinear").tolist() == [[expected]]
    assert F.interpolate(square(), size=3, mode="bilinear", align_corners=True).tolist() == \
        [[[[1.0, 1.5, 2.0], [2.0, 2.5, 3.0], [3.0, 3.5, 4.0]]]]


def test_nearest_and_nearest_exact_pick_different_sources():
    row = ember.tensor([[[10.0, 20.0, 30.0]]])
    assert F.interpolate(row, size=5).tolist() == [[[10.0, 10.0, 20.0, 20.0, 30.0]]]
    assert F.interpolate(row, size=5, mode="nearest-exact").tolist() == \
        [[[10.0, 10.0, 20.0, 30.0, 30.0]]]


def test_bicubic_keys_kernel_with_clamped_border():
    row = ember.tensor([[[[1.0, 2.0]]]], dtype=ember.float64)
    got = F.interpolate(row, size=(1, 4), mode="bicubic", align_corners=False)
    np.testing.assert_allclose(got.numpy()[0, 0, 0], [0.89453125, 1.2265625, 1.7734375,
                                                      2.10546875], rtol=0, atol=1e-12)


def test_area_is_the_window_mean():
    row = ember.tensor([[[1.0, 2.0, 3.0, 4.0, 5.0]]])
    assert F.interpolate(row, size=2, mode="area").tolist() == [[[2.0, 4.0]]]


def test_scale_factor_kept_or_recomputed():
    x = ember.arange(5.0).reshape(1, 1, 5)
    kept = F.interpolate(x, scale_factor=1.5, mode="linear")
    recomputed = F.interpolate(x, scale_factor=1.5, mode="linear", recompute_scale_factor=True)
    assert kept.shape == recomputed.shape == (1, 1, 7)
    # kept: sources (o + 0.5) / 1.5 - 0.5; recomputed: (o + 0.5) * 5 / 7 - 0.5.
    np.testing.assert_allclose(kept.numpy()[0, 0, 1], 0.5, atol=1e-6)
    np.testing.assert_allclose(recomputed.numpy()[0, 0, 1], 1.5 * 5 / 7 - 0.5, atol=1e-6)


def test_grid_sample_identity_and_padding():
    x = ember.arange(12.0, dtype=ember.float64).reshape(1, 1, 3, 4)
    theta = ember.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]], dtype=ember.float64)
    for align in (False, True):
        grid = F.affine_grid(theta, (1, 1, 3, 4), align_corners=align)
        for mode in ("bilinear", "nearest", "bicubic"):
            np.testing.assert_allclose(
                F.grid_sample(x, grid, mode=mode, align_corners=align).numpy(), x.numpy(),
                atol=1e-12)
    row = ember.tensor([[[[1.0, 2.0]]]], dtype=ember.float64)
    grid = ember.tensor([[[[1.25, 0.0]]]], dtype=ember.float64)  # pixel 1.75
    assert F.grid_sample(row, grid, padding_mode="zeros", align_corners=False).item() == 0.5
    assert F.grid_sample(row, grid, padding_mode="border", align_corners=False).item() == 2.0


def test_affine_grid_values():
    theta = ember.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    grid = F.affine_grid(theta, (1, 1, 2, 2), align_corners=False)
    assert grid.tolist() == [[[[-0.5, -0.5], [0.5, -0.5]], [[-0.5, 0.5], [0.5, 0.5]]]]
    grid = F.affine_grid(theta, [1, 1, 2, 2], align_corners=True)
    assert grid.tolist() == [[[[-1.0, -1.0], [1.0, -1.0]], [[-1.0, 1.0], [1.0, 1.0]]]]


# ------------------------------------------------------------ gradients


@pytest.mark.parametrize("mode", ["nearest", "bilinear", "bicubic", "area"])
def test_double_backward_is_the_forward_map(mode):
    x = ember.rand(1, 2, 3, 4, dtype=ember.float64, requires_grad=True)
    kwargs = {"align_corners": False} if mode in ("bilinear", "bicubic") else {}
    size = (2, 3) if mode == "area" else (5, 7)
    y = F.interpolate(x, size=size, mode=mode, **kwargs)
    g = ember.rand(*y.shape, dtype=ember.float64, requires_grad=True)
    (grad_x,) = ember.autograd.grad((y * g).sum(), x, create_graph=True)
    v = ember.rand(*x.shape, dtype=ember.float64)
    (grad_g,) = ember.autograd.grad((grad_x * v).sum(), g)
    expected = F.interpolate(v, size=size, mode=mode, **kwargs)
    np.testing.assert_allclose(grad_g.numpy(), expected.numpy(), atol=1e-12)


def test_grid_sample_gradient_reaches_the_grid():
    x = ember.rand(1, 1, 3, 3, dtype=ember.float64, requires_grad=True)
    grid = (ember.rand(1, 2, 2, 2, dtype=ember.float64) * 1.6 - 0.8).requires_grad_()
    F.grid_sample(x, grid, align_corners=False).sum().backward()
    assert x.grad is not None and grid.grad is not None
    assert float(grid.grad.abs().sum()) > 0


# ------------------------------------------------------------ errors and warnings


def test_interpolate_argument_errors():
    x = ember.ones(1, 1, 2, 2)
    with pytest.raises(ValueError, match="align_corners option can only be set"):
        F.interpolate(x, size=4, align_corners=True)
    with pytest.raises(ValueError, match="only one of size or scale_factor"):
        F.interpolate(x, size=4, scale_factor=2)
    with pytest.raises(ValueError, match="either size or scale_factor"):
        F.interpolate(x)
    with pytest.raises(ValueError, match=r"same number of spatial dimensions.*\[1, 1, 2, 2\]"):
        F.interpolate(x, size=(4, 4, 4))
    with pytest.raises(ValueError, match="scale_factor must have the same number"):
        F.interpolate(x, scale_factor=(2.0,))
    with pytest.raises(ValueError, match="recompute_scale_factor is not meaningful"):
        F.interpolate(x, size=4, recompute_scale_factor=True)
    with pytest.raises(ValueError, match="anti-alias option is only supported"):
        F.interpolate(x, size=4, antialias=True)
    with pytest.raises(NotImplementedError, match="got 4D input, but linear mode needs 3D"):
        F.interpolate(x, size=4, mode="linear")
    with pytest.raises(NotImplementedError, match="got 4D input, but trilinear mode needs 5D"):
        F.interpolate(x, size=4, mode="trilinear")
    with pytest.raises(NotImplementedError, match="Only 3D, 4D and 5D input"):
        F.interpolate(x, size=4, mode="cubic")
    with pytest.raises(NotImplementedError, match="Only 3D, 4D and 5D input"):
        F.interpolate(ember.ones(2, 2), size=4)
    with pytest.raises(RuntimeError, match=r"\[upsample_nearest2d\].*greater than 0"):
        F.interpolate(x, scale_factor=0.2)
    with pytest.raises(TypeError, match=r"\[upsample_nearest2d\].*int64"):
        F.interpolate(ember.ones(1, 1, 2, 2, dtype=ember.int64), size=4)


def test_grid_sample_and_affine_grid_errors():
    x = ember.ones(1, 1, 3, 3)
    with pytest.raises(ValueError, match="expected mode to be"):
        F.grid_sample(x, ember.zeros(1, 2, 2, 2), mode="linear", align_corners=False)
    with pytest.raises(ValueError, match="expected padding_mode to be"):
        F.grid_sample(x, ember.zeros(1, 2, 2, 2), padding_mode="wrap", align_corners=False)
    with pytest.raises(RuntimeError, match=r"same batch size.*\[2, 2, 2, 2\]"):
        F.grid_sample(x, ember.zeros(2, 2, 2, 2), align_corners=False)
    with pytest.raises(RuntimeError, match="size 2 in its last dim"):
        F.grid_sample(x, ember.zeros(1, 2, 2, 3), align_corners=False)
    with pytest.raises(RuntimeError, match="bicubic interpolation only supports 4D"):
        F.grid_sample(ember.ones(1, 1, 2, 2, 2), ember.zeros(1, 1, 1, 1, 3), mode="bicubic",
                      align_corners=False)
    with pytest.raises(RuntimeError, match="non-empty spatial dims"):
        F.grid_sample(ember.ones(1, 1, 0, 3), ember.zeros(1, 2, 2, 2), align_corners=False)
    with pytest.raises(TypeError, match="one floating point dtype"):
        F.grid_sample(x, ember.zeros(1, 2, 2, 2, dtype=ember.float64), align_corners=False)
    theta = ember.zeros(2, 2, 3)
    with pytest.raises(NotImplementedError, match="only supports 4D and 5D sizes"):
        F.affine_grid(theta, (2, 1, 3), align_corners=False)
    with pytest.raises(RuntimeError, match=r"Nx2x3.*\[3, 2, 3\]"):
        F.affine_grid(ember.zeros(3, 2, 3), (2, 1, 3, 3), align_corners=False)
    with pytest.raises(ValueError, match="non-zero, positive output size"):
        F.affine_grid(theta, (2, 1, 0, 3), align_corners=False)


def test_default_align_corners_warns_as_pytorch():
    with pytest.warns(UserWarning, match="Default grid_sample and affine_grid behavior"):
        F.grid_sample(ember.ones(1, 1, 2, 2), ember.zeros(1, 1, 1, 2))
    with pytest.warns(UserWarning, match="Default grid_sample and affine_grid behavior"):
        F.affine_grid(ember.zeros(1, 2, 3), (1, 1, 2, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.interpolate(ember.ones(1, 1, 2, 2), scale_factor=2, mode="bilinear")
    with pytest.warns(UserWarning, match="upsample is deprecated"):
        F.upsample(ember.ones(1, 1, 2, 2), scale_factor=2)


# ------------------------------------------------------------ layers


def test_upsample_layer_forward_and_repr():
    x = ember.arange(16.0).reshape(1, 1, 4, 4)
    layer = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
    assert repr(layer) == "Upsample(scale_factor=2.0, mode='bilinear')"
    assert layer(x).tolist() == F.interpolate(x, scale_factor=2, mode="bilinear",
                                              align_corners=False).tolist()
    assert repr(nn.Upsample(size=(3, 5))) == "Upsample(size=(3, 5), mode='nearest')"
    assert repr(nn.Upsample(scale_factor=(2, 3))) == \
        "Upsample(scale_factor=(2.0, 3.0), mode='nearest')"
    assert nn.Upsample(size=(3, 5))(x).shape == (1, 1, 3, 5)
    assert list(layer.state_dict()) == [] and list(layer.parameters()) == []


def test_upsampling_nearest2d_and_bilinear2d():
    x = ember.arange(4.0).reshape(1, 1, 2, 2)
    nearest = nn.UpsamplingNearest2d(scale_factor=2)
    assert repr(nearest) == "UpsamplingNearest2d(scale_factor=2.0, mode='nearest')"
    assert nearest(x).tolist() == F.interpolate(x, scale_factor=2).tolist()
    bilinear = nn.UpsamplingBilinear2d(size=3)
    assert repr(bilinear) == "UpsamplingBilinear2d(size=3, mode='bilinear')"
    assert bilinear(x).tolist() == [[[[0.0, 0.5, 1.0], [1.0, 1.5, 2.0], [2.0, 2.5, 3.0]]]]


def test_upsample_in_a_sequential_trains():
    model = nn.Sequential(nn.Upsample(scale_factor=2, mode="nearest"), nn.Flatten(),
                          nn.Linear(16, 1))
    x = ember.ones(3, 1, 2, 2)
    model(x).sum().backward()
    assert model[2].weight.grad.shape == (1, 16)


def test_antialias_downsampling_by_hand():
    # Scale 2: the triangle spans two inputs each side of the centres 1 and 3, so output 0
    # weighs inputs 0, 1, 2 by 0.75, 0.75, 0.25 (/ 1.75) and output 1 inputs 1, 2, 3 by 0.25,
    # 0.75, 0.75.
    row = ember.arange(4.0, dtype=ember.float64).reshape(1, 1, 1, 4)
    smooth = F.interpolate(row, size=(1, 2), mode="bilinear", antialias=True)
    np.testing.assert_allclose(smooth.numpy().ravel(), [5 / 7, 16 / 7], rtol=1e-14)
    plain = F.interpolate(row, size=(1, 2), mode="bilinear")
    np.testing.assert_allclose(plain.numpy().ravel(), [0.5, 2.5], rtol=1e-14)
    # Upsampling with the triangle (align_corners=False) is plain bilinear interpolation.
    x = ember.arange(20.0, dtype=ember.float64).sin().reshape(1, 1, 4, 5)
    smooth = F.interpolate(x, size=(7, 9), mode="bilinear", antialias=True)
    np.testing.assert_allclose(smooth.numpy(),
                               F.interpolate(x, size=(7, 9), mode="bilinear").numpy(), atol=1e-14)
