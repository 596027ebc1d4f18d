"""ember's nn.utils against PyTorch's from Python, measured in one process run.

Cases: clip_grad_norm_ (2-norm and inf-norm) and clip_grad_value_ over the gradients of an MLP of
four Linear(256, 256) layers, parameters_to_vector of its parameters, and a Linear(64, 64) call
under weight_norm and under spectral_norm (the pre-hook recomputing the weight, training mode).
Each figure is the median of repeats (us per call) after warm-up; the ratio is ember/torch (< 1:
ember is faster). A benchmark, never a test.

    cd /tmp && PYTHONPATH=<repo>/.venv/lib/python3.11/site-packages /usr/bin/python3 \
        <repo>/benchmarks/python/compare_torch_nn_utils.py
"""

import argparse
import importlib
import statistics
import timeit

from bench_support import batch_size, import_library, set_blas_threads


def cases(lib):
    nn = importlib.import_module(lib.__name__ + ".nn")
    lib.manual_seed(0)
    mlp = nn.Sequential(*[nn.Linear(256, 256) for _ in range(4)])
    mlp(lib.randn(32, 256)).sum().backward()
    parameters = list(mlp.parameters())
    x = lib.randn(16, 64)
    weight_normed = nn.utils.weight_norm(nn.Linear(64, 64))
    spectral_normed = nn.utils.spectral_norm(nn.Linear(64, 64))

    def no_grad(step):
        def run():
            with lib.no_grad():
                step()
        return run

    return {
        "clip_grad_norm_ 4x Linear(256, 256), 2-norm":
            lambda: nn.utils.clip_grad_norm_(parameters, 1e9),
        "clip_grad_norm_ 4x Linear(256, 256), inf-norm":
            lambda: nn.utils.clip_grad_norm_(parameters, 1e9, norm_type=float("inf")),
        "clip_grad_value_ 4x Linear(256, 256)": lambda: nn.utils.clip_grad_value_(parameters, 1e9),
        "parameters_to_vector 4x Linear(256, 256)":
            no_grad(lambda: nn.utils.parameters_to_vector(parameters)),
        "weight_norm Linear(64, 64) call, 16x64": lambda: weight_normed(x),
        "spectral_norm Linear(64, 64) call, 16x64": lambda: spectral_normed(x),
    }


def measure(step, repeats, repeat_seconds):
    timer = timeit.Timer(step)
    number = batch_size(timer, repeat_seconds)
    return statistics.median(timer.timeit(number) / number * 1e6 for _ in range(repeats))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--repeat-seconds", type=float, default=0.3)
    args = parser.parse_args()
    ember, _ = import_library("ember")
    torch, reason = import_library("torch")
    set_blas_threads(args.threads)
    ember.set_num_threads(args.threads)
    if torch is not None:
        torch.set_num_threads(args.threads)
    torch_cases = cases(torch) if torch is not None else {}
    print(f"threads: {args.threads}")
    print("| case | ember us | torch us | ember/torch |")
    print("|---|---|---|---|")
    for name, step in cases(ember).items():
        ours = measure(step, args.repeats, args.repeat_seconds)
        theirs = measure(torch_cases[name], args.repeats, args.repeat_seconds) if torch else None
        ratio = f"{ours / theirs:.2f}x" if theirs else f"n/a ({reason})"
        print(f"| {name} | {ours:.2f} | {theirs:.2f} | {ratio} |" if theirs else
              f"| {name} | {ours:.2f} | - | {ratio} |")


if __name__ == "__main__":
    main()
