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


# The CUDA caching allocator's statistics and controls (docs/architecture.md, Note [CUDA caching
# allocator]); the logic is C++ (ember/tensor/cuda_memory.h). A device is None (the current
# device), an index, "cuda:1" or an ember.device.


def memory_allocated(device=None):
    """memory_allocated(device=None) -> int

    Bytes of tensor memory allocated on the device (block sizes, multiples of 512 bytes).
    """
    return _C._cuda.memory_allocated(device)


def max_memory_allocated(device=None):
    """max_memory_allocated(device=None) -> int

    The peak of memory_allocated since the start or reset_peak_memory_stats().
    """
    return _C._cuda.max_memory_allocated(device)


def memory_reserved(device=None):
    """memory_reserved(device=None) -> int

    Bytes the caching allocator holds on the device, in use or cached.
    """
    return _C._cuda.memory_reserved(device)


def max_memory_reserved(device=None):
    """max_memory_reserved(device=None) -> int

    The peak of memory_reserved since the start or reset_peak_memory_stats().
    """
    return _C._cuda.max_memory_reserved(device)


def reset_peak_memory_stats(device=None):
    """reset_peak_memory_stats(device=None) -> None

    Resets the peaks of the device's memory statistics to their current values.
    """
    _C._cuda.reset_peak_memory_stats(device)


def memory_stats(device=None):
    """memory_stats(device=None) -> dict

    The caching allocator's statistics under PyTorch's names ("allocated_bytes.all.current",
    "reserved_bytes.all.peak", "num_ooms", ...).
    """
    return _C._cuda.memory_stats(device)


def memory_summary(device=None, abbreviated=False):
    """memory_summary(device=None, abbreviated=False) -> str

    A readable table of the caching allocator's statistics for the device (abbreviated is
    accepted for PyTorch compatibility; the table is always the short one).
    """
    return _C._cuda.memory_summary(device)


def empty_cache():
    """empty_cache() -> None

    Returns the cached, unused memory of every device to the driver, so that other processes
    can use it; tensors keep theirs.
    """
    _C._cuda.empty_cache()


def set_per_process_memory_fraction(fraction, device=None):
    """set_per_process_memory_fraction(fraction, device=None) -> None

    Caps the memory this process reserves on the device at fraction * its total memory
    (0 <= fraction <= 1); allocations beyond it raise OutOfMemoryError.
    """
    _C._cuda.set_per_process_memory_fraction(fraction, device)
