"""Helpers shared by the comparison scripts: loading the libraries being compared, pinning
OpenBLAS's own thread pool (which torch.set_num_threads does not govern), sizing timed batches
and formatting result rows."""
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


def cell(value, spread_or_reason):
    """A figure, marked when its repeats spread by more than 15%; or n/a with the reason it
    could not run."""
    if value is None:
        return f"n/a ({spread_or_reason})" if spread_or_reason else "n/a"
    text = f"{value:.3g}" if value < 100 else f"{value:.0f}"
    if spread_or_reason is not None and spread_or_reason > 0.15:
        text += f" (±{spread_or_reason * 50:.0f}%)"  # half the min-max range
    return text


def table_row(case, ember_result, torch_result, ratio, budget_text):
    """One markdown table row: case, unit, ember and torch figures, ratio, budget verdict."""
    return [
        case.name + (f" [{case.note}]" if case.note else ""),
        case.unit,
        cell(*ember_result),
        cell(*torch_result),
        f"{ratio:.2f}x" if ratio is not None else "",
        budget_text,
    ]


def batch_size(timer, repeat_seconds):
    """Statements per batch so that a batch lasts >= repeat_seconds, after ~0.1 s of warm-up
    (caches, allocator pools, lazy initialisation), at least two calls."""
    number = 1
    while True:
        elapsed = timer.timeit(number)
        if elapsed >= 0.1:
            break
        number *= 2 if elapsed * 4 > 0.1 else 4
    return max(1, int(repeat_seconds / (elapsed / number)))
