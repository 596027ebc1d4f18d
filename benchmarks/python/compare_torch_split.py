"""ember against PyTorch for the split family's backward (issue 8): a (4096, 256) float32 tensor
split into 16, 64 and 256 pieces along dim 0 by split, chunk, tensor_split, split_with_sizes
and unbind, then the backward from every piece (retain_graph, so only the backward is timed),
with 1 thread, in one process run.

Each figure is the median of repeats timed with time.perf_counter after warm-up; every repeat
runs the statement enough times to last --repeat-seconds. A benchmark, never a test.

Run both libraries in one interpreter (see compare_torch_shape.py), e.g. from /tmp with
PYTHONPATH=<dir with a link named ember to the installed package>:<repo>/benchmarks/python:
    /usr/bin/python3 <repo>/benchmarks/python/compare_torch_split.py
"""
import argparse
import statistics
import time
import timeit

from bench_support import batch_size, import_library

ROWS, COLUMNS = 4096, 256

SPLITTERS = {
    "split": lambda x, n: x.split(ROWS // n),
    "chunk": lambda x, n: x.chunk(n),
    "tensor_split": lambda x, n: x.tensor_split(n),
    "split_with_sizes": lambda x, n: x.split([ROWS // n] * n),
    "unbind": lambda x, n: x[:n].unbind(0),
}


def namespace(lib, splitter, pieces):
    x = lib.rand(ROWS, COLUMNS, requires_grad=True)
    outputs = SPLITTERS[splitter](x, pieces)
    grads = [lib.ones_like(output) for output in outputs]
    return {"lib": lib, "outputs": outputs, "grads": grads}


def measure(lib, splitter, pieces, repeat_seconds, repeats):
    lib.set_num_threads(1)
    statement = "lib.autograd.backward(outputs, grads, retain_graph=True)"
    timer = timeit.Timer(statement, globals=namespace(lib, splitter, pieces),
                         timer=time.perf_counter)
    number = batch_size(timer, repeat_seconds)
    times = [timer.timeit(number) / number for _ in range(repeats)]
    return statistics.median(times) * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat-seconds", type=float, default=0.2)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    libraries = {name: import_library(name) for name in ("ember", "torch")}
    for name, (lib, reason) in libraries.items():
        if lib is None:
            print(f"{name}: n/a ({reason})")
    print("| backward of | pieces | ember us | torch us | ember/torch |")
    print("|---|---|---|---|---|")
    for splitter in SPLITTERS:
        for pieces in (16, 64, 256):
            figures = {}
            for lib_name, (lib, _) in libraries.items():
                figures[lib_name] = (measure(lib, splitter, pieces, args.repeat_seconds,
                                             args.repeats) if lib else None)
            ember_us, torch_us = figures["ember"], figures["torch"]
            ratio = f"{ember_us / torch_us:.2f}" if ember_us and torch_us else ""
            cells = [f"{value:.0f}" if value else "n/a" for value in (ember_us, torch_us)]
            print(f"| {splitter} | {pieces} | {cells[0]} | {cells[1]} | {ratio} |")


if __name__ == "__main__":
    main()
