"""Helpers shared by the comparison scripts: loading the libraries being compared, pinning
OpenBLAS's own thread pool (which torch.set_num_threads does not govern), sizing timed batches
and formatting result rows."""
import argparse
import ctypes
import sys


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


def repeats_threads_and_libraries(description):
    """The common command line (--repeats, --threads) of a script that needs both ember and
    torch, parsed, and the two modules; exits saying why when either does not import."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    libraries = []
    for name in ("ember", "torch"):
        library, reason = import_library(name)
        if library is None:
            sys.exit(f"{name} did not import: {reason}")
        libraries.append(library)
    return args, *libraries


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


def compare_cases(cases, description, unit="ms", repeats=5, repeat_seconds=0.5, speed=False):
    """The command line of the scripts that time named cases in both libraries: cases(library)
    gives {name: step}; each step's median time per call is printed beside torch's with the
    ember/torch time ratio (speed: torch/ember instead, above 1 meaning ember is faster)."""
    import argparse
    import statistics
    import timeit

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=repeats)
    parser.add_argument("--repeat-seconds", type=float, default=repeat_seconds)
    args = parser.parse_args()
    scale = {"ms": 1e3, "us": 1e6}[unit]

    def measure(step):
        timer = timeit.Timer(step)
        number = batch_size(timer, args.repeat_seconds)
        return statistics.median(timer.timeit(number) / number * scale
                                 for _ in range(args.repeats))

    ember, _ = import_library("ember")
    torch, reason = import_library("torch")
    set_blas_threads(args.threads)
    ember.set_num_threads(args.threads)
    if torch is not None:
        torch.set_num_threads(args.threads)
    torch_cases = cases(torch) if torch is not None else {}
    print(f"threads: {args.threads}")
    ratio_name = "speed vs torch" if speed else "ember/torch"
    print(f"| case | ember {unit} | torch {unit} | {ratio_name} |")
    print("|---|---|---|---|")
    for name, step in cases(ember).items():
        ours = measure(step)
        if torch is None:
            print(f"| {name} | {ours:.2f} | - | n/a ({reason}) |")
            continue
        theirs = measure(torch_cases[name])
        ratio = theirs / ours if speed else ours / theirs
        print(f"| {name} | {ours:.2f} | {theirs:.2f} | {ratio:.2f}x |")
