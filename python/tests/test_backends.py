"""ember.backends and the float32 matmul precision (torch.backends.cuda.matmul.allow_tf32,
torch.backends.cudnn.allow_tf32, torch.set_float32_matmul_precision): defaults, the one setting
behind the cuBLAS switch and the precision, and the warning for an unknown precision. These need
no GPU (they only steer CUDA kernels)."""
import warnings

import pytest

import ember


@pytest.fixture(autouse=True)
def restore_defaults():
    yield
    ember.set_float32_matmul_precision("highest")
    ember.backends.cudnn.allow_tf32 = True


def test_defaults_are_torchs():
    assert ember.get_float32_matmul_precision() == "highest"
    assert ember.backends.cuda.matmul.allow_tf32 is False
    assert ember.backends.cudnn.allow_tf32 is True


def test_cublas_switch_and_precision_are_one_setting():
    ember.set_float32_matmul_precision("high")
    assert ember.backends.cuda.matmul.allow_tf32 is True
    ember.set_float32_matmul_precision("medium")
    assert ember.backends.cuda.matmul.allow_tf32 is True
    assert ember.get_float32_matmul_precision() == "medium"
    ember.backends.cuda.matmul.allow_tf32 = False
    assert ember.get_float32_matmul_precision() == "highest"
    ember.backends.cuda.matmul.allow_tf32 = True
    assert ember.get_float32_matmul_precision() == "high"
    # cuDNN's switch is its own.
    assert ember.backends.cudnn.allow_tf32 is True


def test_cudnn_switch():
    ember.backends.cudnn.allow_tf32 = False
    assert ember.backends.cudnn.allow_tf32 is False
    assert ember._C._get_cudnn_allow_tf32() is False
    assert ember.get_float32_matmul_precision() == "highest"
    ember.backends.cudnn.allow_tf32 = True
    assert ember.backends.cudnn.allow_tf32 is True


def test_unknown_precision_warns_and_changes_nothing():
    ember.set_float32_matmul_precision("medium")
    with pytest.warns(UserWarning, match="'highest', 'high', or 'medium'"):
        ember.set_float32_matmul_precision("low")
    assert ember.get_float32_matmul_precision() == "medium"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ember.set_float32_matmul_precision("HIGHEST")
    assert ember.get_float32_matmul_precision() == "highest"


def test_unknown_matmul_attribute_raises():
    with pytest.raises(AttributeError, match="Unknown attribute"):
        ember.backends.cuda.matmul.allow_nothing  # noqa: B018
    with pytest.raises(AttributeError, match="Unknown attribute"):
        ember.backends.cuda.matmul.allow_nothing = True
