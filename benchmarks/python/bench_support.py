"""Helpers shared by the comparison scripts: loading the libraries being compared and pinning
OpenBLAS's own thread pool, which torch.set_num_threads does not govern."""
import ctypes


def set_blas_threads(threads):
    """Sets OpenBLAS's pool (Debian's PyTorch 1.13 uses a pthread OpenBLAS whose threads
    torch.set_num_threads leaves alone); returns the count OpenBLAS reports, or None without
    OpenBLAS. ember's float32 GEMM is oneDNN's and follows ember.set_num_threads."""
    try:
        openblas = ctypes.CDLL("libopenblas.so.0")  # the copy torch already loaded, if any
    except OSError:
        return None
    openblas.openblas_set_num_threads(threads)
    return openblas.openblas_get_num_threads()


def import_library(name):
    """The module, or None and the reason it did not import (the comparison runs without it)."""
    try:
        return __import__(name), ""
    except Exception as error:  # noqa: BLE001 - report why, run with what is available
        return None, f"{type(error).__name__}: {error}"
