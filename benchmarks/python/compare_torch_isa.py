"""ember against PyTorch per SIMD dispatch: reductions, large elementwise ops and GEMM, 1 thread.

Issue 6 asks for >= 1.0x PyTorch on AVX2-only machines as well as on AVX-512 ones. Each
configuration runs in its own subprocess with the environment that selects the instruction set:

  native  both libraries pick what the CPU supports (ember's widest kernel table; PyTorch's own
          ATEN_CPU_CAPABILITY default; OpenBLAS and oneDNN as the environment leaves them).
  avx2    EMBER_CPU_CAPABILITY=avx2 (ember's tables and, through it, oneDNN's GEMM) and
          ATEN_CPU_CAPABILITY=avx2, plus OPENBLAS_CORETYPE=Haswell in that subprocess only, so
          that PyTorch's float32 matmul (OpenBLAS) runs the AVX2 kernel an AVX2-only CPU would.

Within a subprocess every case alternates the two libraries: after warm-up, `--repeats` rounds
each time one batch of ember then one batch of torch (each batch lasts >= --repeat-seconds), and
the figure is the median of the rounds. Threads: 1 in both libraries and in OpenBLAS's own pool.
A benchmark, never a test: nothing here asserts a time.

    /usr/bin/python3 -m venv --system-site-packages .bench-venv    # Debian's python3-torch
    .bench-venv/bin/pip install --no-build-isolation .              # ember from this tree
    .bench-venv/bin/python benchmarks/python/compare_torch_isa.py --markdown out.md
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import timeit

from bench_support import batch_size, import_library, set_blas_threads

BIG = 1 << 24  # 16M float32 = 64 MiB
BIG_BYTES = BIG * 4
SQUARE = 4096  # 4096 x 4096 float32 = 64 MiB, for reductions along one dim

CONFIGS = {
    "native": {},
    "avx2": {"EMBER_CPU_CAPABILITY": "avx2", "ATEN_CPU_CAPABILITY": "avx2",
             "OPENBLAS_CORETYPE": "Haswell"},
}


class Case:
    """`setup(lib)` returns the namespace `stmt` runs in; the figure is `work` / seconds."""

    def __init__(self, name, unit, stmt, setup, work):
        self.name, self.unit, self.stmt, self.setup, self.work = name, unit, stmt, setup, work


def vector(lib):
    lib.manual_seed(0)
    return {"lib": lib, "a": lib.rand(BIG), "b": lib.rand(BIG)}


def matrix(lib):
    lib.manual_seed(0)
    return {"lib": lib, "a": lib.rand(SQUARE, SQUARE)}


def square(n):
    def setup(lib):
        lib.manual_seed(0)
        return {"a": lib.rand(n, n), "b": lib.rand(n, n)}

    return setup


def make_cases():
    read = BIG_BYTES * 1e-9  # GB read by a reduction of the 16M vector
    cases = [Case(f"{name}, 16M float32", "GB/s", stmt, vector, read) for name, stmt in [
        ("sum", "a.sum()"),
        ("mean", "a.mean()"),
        ("var", "a.var()"),
        ("std", "a.std()"),
        ("norm", "a.norm()"),
        ("amax", "a.amax()"),
        ("amin", "a.amin()"),
        ("argmax", "a.argmax()"),
        ("logsumexp", "a.logsumexp(0)"),
    ]]
    cases += [
        Case("sum(dim=1), 4096x4096 float32", "GB/s", "a.sum(1)", matrix, read),
        Case("sum(dim=0), 4096x4096 float32", "GB/s", "a.sum(0)", matrix, read),
        Case("add a + b, 16M float32, fresh result", "GB/s", "a + b", vector, 3 * read),
        Case("mul a * b, 16M float32, fresh result", "GB/s", "a * b", vector, 3 * read),
        Case("exp, 16M float32, fresh result", "GB/s", "lib.exp(a)", vector, 2 * read),
        Case("tanh, 16M float32, fresh result", "GB/s", "lib.tanh(a)", vector, 2 * read),
    ]
    for n in (512, 1024):
        cases.append(Case(f"matmul {n}x{n} float32", "GFLOP/s", "a.mm(b)", square(n),
                          2e-9 * n**3))
    return cases


def run_case(case, libraries, repeats, repeat_seconds):
    """{library name: (median figure, relative spread)} with the libraries alternating."""
    timers = {}
    for lib in libraries:
        try:
            namespace = case.setup(lib)
            timer = timeit.Timer(case.stmt, timer=time.perf_counter, globals=namespace)
            timers[lib.__name__] = (timer, batch_size(timer, repeat_seconds))
        except Exception as error:  # noqa: BLE001 - an unsupported case is reported, not fatal
            print(f"  {case.name}: {lib.__name__} cannot run it: {error}", file=sys.stderr)
    samples = {name: [] for name in timers}
    for _ in range(repeats):
        for name, (timer, number) in timers.items():
            samples[name].append(case.work * number / timer.timeit(number))
    return {name: (statistics.median(values),
                   (max(values) - min(values)) / statistics.median(values))
            for name, values in samples.items()}


def torch_capability(torch):
    """What PyTorch's own kernels run with, from its build report (ATEN_CPU_CAPABILITY applied)."""
    for line in torch.__config__.show().splitlines():
        if "CPU capability usage" in line:
            return line.split(":", 1)[1].strip()
    return "unknown"


def worker(args):
    ember, ember_error = import_library("ember")
    torch, torch_error = import_library("torch")
    libraries = [lib for lib in (ember, torch) if lib is not None]
    for lib in libraries:
        lib.set_num_threads(1)
    set_blas_threads(1)
    info = {
        "ember": getattr(ember, "__version__", ember_error),
        "ember_capability": ember._C._cpu_capability() if ember else "n/a",
        "torch": getattr(torch, "__version__", torch_error),
        "torch_capability": torch_capability(torch) if torch else "n/a",
        "load_start": os.getloadavg()[0],
    }
    results = {}
    for case in make_cases():
        if args.cases and args.cases not in case.name:
            continue
        figures = run_case(case, libraries, args.repeats, args.repeat_seconds)
        results[case.name] = {"unit": case.unit, **figures}
        shown = ", ".join(f"{name} {value:.3g}" for name, (value, _) in figures.items())
        print(f"  [{args.worker}] {case.name}: {shown} {case.unit}", file=sys.stderr, flush=True)
    info["load_end"] = os.getloadavg()[0]
    json.dump({"info": info, "results": results}, sys.stdout)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            lines = cpuinfo.read().splitlines()
    except OSError:
        return platform.processor()
    model = next((line.split(":", 1)[1].strip() for line in lines
                  if line.startswith("model name")), "unknown")
    flags = next((line.split(":", 1)[1].split() for line in lines if line.startswith("flags")), [])
    isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    return f"{model} ({isa}, {os.cpu_count()} logical CPUs)"


def cell(figure):
    if figure is None:
        return "n/a"
    value, spread = figure
    text = f"{value:.3g}" if value < 100 else f"{value:.0f}"
    return text + (f" (±{spread * 50:.0f}%)" if spread > 0.15 else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", default="native,avx2",
                        help=f"comma-separated, from {', '.join(CONFIGS)}")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--repeat-seconds", type=float, default=0.2)
    parser.add_argument("--cases", default="", help="run only cases whose name contains this")
    parser.add_argument("--markdown", help="also write the table as markdown to this file")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    configs = args.configs.split(",")
    header = [
        f"date: {datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')}",
        f"CPU: {cpu_model()}",
        f"python: {platform.python_version()} ({sys.executable})",
        f"OPENBLAS_CORETYPE in the native run: {os.environ.get('OPENBLAS_CORETYPE', '(unset)')}",
    ]
    runs = {}
    for config in configs:
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
               **CONFIGS[config]}
        command = [sys.executable, os.path.abspath(__file__), "--worker", config,
                   "--repeats", str(args.repeats), "--repeat-seconds", str(args.repeat_seconds),
                   "--cases", args.cases]
        output = subprocess.run(command, env=env, stdout=subprocess.PIPE, check=True, text=True)
        runs[config] = json.loads(output.stdout)
        info = runs[config]["info"]
        header.append(
            f"{config}: ember {info['ember']} dispatch {info['ember_capability']}; torch "
            f"{info['torch']} capability {info['torch_capability']}; load average "
            f"{info['load_start']:.2f} -> {info['load_end']:.2f}")

    columns = ["case", "unit"]
    for config in configs:
        columns += [f"ember {config}", f"torch {config}", f"ember/torch {config}"]
    rows = []
    for name in runs[configs[0]]["results"]:
        row = [name, runs[configs[0]]["results"][name]["unit"]]
        for config in configs:
            result = runs[config]["results"].get(name, {})
            ember, torch = result.get("ember"), result.get("torch")
            ratio = f"{ember[0] / torch[0]:.2f}x" if ember and torch else ""
            row += [cell(ember), cell(torch), ratio]
        rows.append(row)
    lines = [f"- {line}" for line in header] + [
        "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    print("\n".join(lines))
    if args.markdown:
        with open(args.markdown, "w") as out:
            out.write("\n".join(lines) + "\n")
    return None


if __name__ == "__main__":
    main()
