"""ember.cuda: this build has no CUDA kernels yet, and says so."""
from ember import _C


def is_available():
    """is_available() -> bool

    Whether CUDA can be used (always False in this build).
    """
    return _C._cuda_is_available()


def device_count():
    """device_count() -> int

    The number of CUDA devices usable (0 in this build).
    """
    return _C._cuda_device_count()
