"""ember against PyTorch from Python, measured in one process run (bench/RESULTS.md).

Runs the cases of PERFORMANCE.md's budget table for ember and, when `import torch` works, for
PyTorch in the same interpreter, and prints a table (case, ember, torch, ember's speedup, budget).
Each figure is the median of repeats timed with time.perf_counter after warm-up calls; every
repeat runs the statement enough times to last --repeat-seconds. The thread count is set with
set_num_threads in both libraries (default 1: two-thread figures collapse whenever anything else
runs on a 2-vCPU machine), and in OpenBLAS's own pool too, which torch's float32 matmul uses and
torch.set_num_threads leaves alone. A benchmark, never a test: nothing here asserts a time.

PyTorch is Debian's python3-torch for /usr/bin/python3; run both in one interpreter with
    /usr/bin/python3 -m venv --system-site-packages .venv-bench
    PYTHONPATH=python .venv-bench/bin/python benchmarks/python/compare_torch.py --markdown out.md
Without torch (or without ember) the missing library's columns read "n/a".
"""

import argparse
import contextlib
import datetime
import os
import platform
import statistics
import sys
import time
import timeit

from bench_support import batch_size, import_library, set_blas_threads, table_row

BIG = 1 << 24  # 16M floats = 64 MiB
BIG_BYTES = BIG * 4
MATMUL_SIZES = (256, 512, 1024, 2048)

# The seed's loop body (examples/python/two_layer_tensor.py), verbatim but for the loop header.
SEED_BODY = """\
    # Forward pass: compute predicted y
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2)

    # Compute and print loss
    loss = (y_pred - y).pow(2).sum()
    print(t, loss)

    # Backprop to compute gradients of w1 and w2 with respect to loss
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.t().mm(grad_y_pred)
    grad_h_relu = grad_y_pred.mm(w2.t())
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_w1 = x.t().mm(grad_h)

    # Update weights using gradient descent
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2
"""


class Case:
    """One benchmark: `setup(lib)` returns the namespace `stmt` runs in (lib is ember or torch).

    unit is "us" (time per statement, lower is better) or a rate "GB/s" / "GFLOP/s" computed as
    `work` / seconds (higher is better). budget is PERFORMANCE.md's, in the same unit, or None.
    """

    def __init__(self, name, unit, stmt, setup, work=None, budget=None, note=""):
        self.name, self.unit, self.stmt, self.setup = name, unit, stmt, setup
        self.work, self.budget, self.note = work, budget, note

    @property
    def higher_is_better(self):
        return self.unit != "us"

    def figure(self, seconds):
        return seconds * 1e6 if self.unit == "us" else self.work / seconds


def tiny(shape):
    def setup(lib):
        return {"a": lib.ones(*shape), "b": lib.ones(*shape)}

    return setup


def big_unary(lib):
    a = lib.rand(BIG)
    return {"lib": lib, "a": a, "b": lib.rand(BIG), "c": lib.empty(BIG)}


def square(n):
    def setup(lib):
        return {"a": lib.rand(n, n), "b": lib.rand(n, n)}

    return setup


def seed(print_loss):
    """The seed net's data and one step as a function of t (the loop variable)."""
    body = SEED_BODY if print_loss else SEED_BODY.replace("print(t, loss)", "loss.item()")
    source = "def step(t):\n    global w1, w2\n" + body

    def setup(lib):
        torch = lib
        dtype = torch.FloatTensor
        N, D_in, H, D_out = 64, 1000, 100, 10
        namespace = {
            "torch": torch,
            "x": torch.randn(N, D_in).type(dtype),
            "y": torch.randn(N, D_out).type(dtype),
            "w1": torch.randn(D_in, H).type(dtype),
            "w2": torch.randn(H, D_out).type(dtype),
            "learning_rate": 1e-6,
            "t": 0,
        }
        exec(source, namespace)  # noqa: S102 - the seed's own code, compiled once
        return namespace

    return setup


def make_cases():
    gb = 1e-9
    cases = [
        Case("add, 1-element tensors", "us", "a + b", tiny((1,)), budget=0.5),
        Case("add, 16x16 tensors", "us", "a + b", tiny((16, 16))),
        Case("a + b, 16M floats, fresh result", "GB/s", "a + b", big_unary,
             work=3 * BIG_BYTES * gb, budget=25),
        Case("add(a, b, out=c), 16M floats", "GB/s", "lib.add(a, b, out=c)", big_unary,
             work=3 * BIG_BYTES * gb, note="reference: no allocation"),
        Case("exp, 16M floats, fresh result", "GB/s", "lib.exp(a)", big_unary,
             work=2 * BIG_BYTES * gb, budget=30),
        Case("exp(a, out=c), 16M floats", "GB/s", "lib.exp(a, out=c)", big_unary,
             work=2 * BIG_BYTES * gb, note="PERFORMANCE.md's torch figure"),
        Case("tanh, 16M floats, fresh result", "GB/s", "lib.tanh(a)", big_unary,
             work=2 * BIG_BYTES * gb, budget=25),
        Case("tanh(a, out=c), 16M floats", "GB/s", "lib.tanh(a, out=c)", big_unary,
             work=2 * BIG_BYTES * gb, note="PERFORMANCE.md's torch figure"),
        Case("sum, 16M floats", "GB/s", "a.sum()", big_unary, work=BIG_BYTES * gb, budget=35),
    ]
    for n in MATMUL_SIZES:
        cases.append(Case(f"matmul n={n}, float32", "GFLOP/s", "a.mm(b)", square(n),
                          work=2e-9 * n**3, budget=190 if n >= 512 else None))
    cases.append(Case("seed two-layer net, manual grads (print to /dev/null)", "us",
                      "step(t)", seed(print_loss=True), budget=250))
    cases.append(Case("seed two-layer net, manual grads (loss.item(), no print)", "us",
                      "step(t)", seed(print_loss=False)))
    return cases


def measure(stmt, namespace, repeats, repeat_seconds):
    """Median seconds per statement over `repeats` timed batches, after warm-up calls."""
    timer = timeit.Timer(stmt, timer=time.perf_counter, globals=namespace)
    number = batch_size(timer, repeat_seconds)
    times = [timer.timeit(number) / number for _ in range(repeats)]
    return statistics.median(times), (max(times) - min(times)) / statistics.median(times)


def run_case(case, lib, repeats, repeat_seconds):
    """(figure, spread) or (None, reason) when the library cannot run the case."""
    try:
        namespace = case.setup(lib)
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            exec(case.stmt, namespace)  # noqa: S102 - does the library support it at all?
            seconds, spread = measure(case.stmt, namespace, repeats, repeat_seconds)
    except Exception as error:  # noqa: BLE001 - an unsupported case is reported, not fatal
        message = str(error).splitlines()[0] if str(error) else ""
        print(f"  {case.name}: {lib.__name__} cannot run it: {message}", file=sys.stderr)
        return None, type(error).__name__
    return case.figure(seconds), spread


def speedup(case, ember_figure, torch_figure):
    """How many times faster ember is than torch (> 1: ember is faster)."""
    if ember_figure is None or torch_figure is None:
        return None
    if case.higher_is_better:
        return ember_figure / torch_figure
    return torch_figure / ember_figure


def budget_status(case, figure):
    if case.budget is None:
        return ""
    if figure is None:
        return "not measured"
    op = ">=" if case.higher_is_better else "<="
    met = figure >= case.budget if case.higher_is_better else figure <= case.budget
    if met:
        return f"{op} {case.budget:g}: met"
    off = case.budget / figure if case.higher_is_better else figure / case.budget
    return f"{op} {case.budget:g}: missed ({off:.2f}x off)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default="1",
                        help="comma-separated thread counts, one table each (default 1)")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--repeat-seconds", type=float, default=0.2,
                        help="minimum duration of each timed repeat")
    parser.add_argument("--cases", default="", help="run only cases whose name contains this")
    parser.add_argument("--keep-blas-threads", action="store_true",
                        help="do not set OpenBLAS's thread count (torch's matmul then uses every"
                             " core even with torch.set_num_threads(1))")
    parser.add_argument("--markdown", help="also write the tables as markdown to this file")
    args = parser.parse_args()

    ember, ember_error = import_library("ember")
    torch, torch_error = import_library("torch")
    if ember is None and torch is None:
        sys.exit(f"neither ember ({ember_error}) nor torch ({torch_error}) imports")

    header = [
        f"date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"python: {platform.python_version()} ({sys.executable})",
        f"ember: {getattr(ember, '__version__', ember_error)}",
        f"torch: {getattr(torch, '__version__', torch_error)}",
        f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}",
        f"load average at start: {os.getloadavg()[0]:.2f}",
    ]
    cases = [case for case in make_cases() if args.cases in case.name]
    markdown = ["\n".join(f"- {line}" for line in header), ""]
    print("\n".join(header))

    for threads in (int(count) for count in args.threads.split(",")):
        for lib in (ember, torch):
            if lib is not None:
                lib.set_num_threads(threads)
        blas_threads = set_blas_threads(threads) if not args.keep_blas_threads else None
        title = f"{threads} thread{'s' if threads > 1 else ''}"
        if args.keep_blas_threads:
            title += ", OpenBLAS threads left at their default"
        elif blas_threads is not None:
            title += f" (OpenBLAS pool set to {blas_threads})"
        columns = ["case", "unit", "ember", "torch", "ember speedup", "budget (ember)"]
        rows = []
        for case in cases:
            ember_figure, ember_spread = (
                run_case(case, ember, args.repeats, args.repeat_seconds) if ember else (None, ""))
            torch_figure, torch_spread = (
                run_case(case, torch, args.repeats, args.repeat_seconds) if torch else (None, ""))
            ratio = speedup(case, ember_figure, torch_figure)
            row = table_row(case, (ember_figure, ember_spread), (torch_figure, torch_spread),
                            ratio, budget_status(case, ember_figure))
            rows.append(row)
            print(f"[{title}] " + " | ".join(row), flush=True)
        load = f"load average at end: {os.getloadavg()[0]:.2f}"
        print(load)
        markdown += [f"### {title}", "", "| " + " | ".join(columns) + " |",
                     "|" + "---|" * len(columns)]
        markdown += ["| " + " | ".join(row) + " |" for row in rows]
        markdown += ["", f"({load})", ""]

    if args.markdown:
        with open(args.markdown, "w") as out:
            out.write("\n".join(markdown))
        print(f"wrote {args.markdown}")


if __name__ == "__main__":
    main()
