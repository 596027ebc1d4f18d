"""ember.cuda: this build has no CUDA kernels yet, and says so."""
from ember import _C


def is_available():
    return _C._cuda_is_available()


def device_count():
    return _C._cuda_device_count()
