"""ember.optim beside PyTorch (issue 10's targets): microseconds per training step of the seed's
two-layer network (64 x 1000 -> 100 -> 10, nn.Sequential, MSE sum loss) with optim.SGD and with
optim.Adam (forward, zero_grad, backward, step), and the time of one Adam step alone over a
10M-parameter model in 100 tensors and over 1,000 tiny tensors (PyTorch: foreach=True, its
multi-tensor path). Steps are interleaved and each figure is the best of many repeats. Prints a
markdown table with the ember / torch ratio of times (below 1: ember faster).

    python benchmarks/python/bench_optim.py [--repeats 20] [--threads 1 2]

Run it from outside the repository so that `import ember` finds the installed package. A
benchmark, never a test: nothing here asserts a time.
"""
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_support import repeats_threads_and_libraries, set_blas_threads


def two_layer_case(lib, optimizer_name, data):
    """A step function of the seed net with nn + optim, from the same initial weights."""
    x, y, weights = data
    model = lib.nn.Sequential(lib.nn.Linear(1000, 100), lib.nn.ReLU(), lib.nn.Linear(100, 10))
    with lib.no_grad():
        for param, value in zip(model.parameters(), weights):
            param.copy_(lib.from_numpy(value))
    loss_fn = lib.nn.MSELoss(reduction="sum")
    if optimizer_name == "SGD":
        optimizer = lib.optim.SGD(model.parameters(), lr=1e-4)
    else:
        optimizer = lib.optim.Adam(model.parameters(), lr=1e-4)
    x, y = lib.from_numpy(x), lib.from_numpy(y)

    def step():
        loss = loss_fn(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    return step


def adam_only_case(lib, shapes, is_torch):
    """One Adam step (state already initialised) over parameters of the given shapes."""
    rng = np.random.default_rng(0)
    params = []
    for shape in shapes:
        param = lib.from_numpy(rng.standard_normal(shape, dtype=np.float32)).requires_grad_()
        param.grad = lib.from_numpy(rng.standard_normal(shape, dtype=np.float32))
        params.append(param)
    extra = {"foreach": True} if is_torch else {}
    optimizer = lib.optim.Adam(params, lr=1e-3, **extra)
    optimizer.step()
    return optimizer.step


def best_times(ember_step, torch_step, repeats):
    ember_step(), torch_step()  # warm-up
    ember_best = torch_best = float("inf")
    for _ in range(repeats):  # interleaved: both see the same machine load
        start = time.perf_counter()
        ember_step()
        ember_best = min(ember_best, time.perf_counter() - start)
        start = time.perf_counter()
        torch_step()
        torch_best = min(torch_best, time.perf_counter() - start)
    return ember_best, torch_best


def main():
    args, ember, torch = repeats_threads_and_libraries(__doc__.splitlines()[0])
    rng = np.random.default_rng(0)
    data = (rng.standard_normal((64, 1000), dtype=np.float32),
            rng.standard_normal((64, 10), dtype=np.float32),
            [rng.standard_normal(shape, dtype=np.float32) * 0.03
             for shape in ((100, 1000), (100,), (10, 100), (10,))])
    cases = [
        ("seed two-layer net, nn + SGD step", "us",
         lambda lib, is_torch: two_layer_case(lib, "SGD", data)),
        ("seed two-layer net, nn + Adam step", "us",
         lambda lib, is_torch: two_layer_case(lib, "Adam", data)),
        ("Adam step, 10M parameters in 100 tensors", "ms",
         lambda lib, is_torch: adam_only_case(lib, [(100_000,)] * 100, is_torch)),
        ("Adam step, 1,000 tiny tensors (10 elements)", "us",
         lambda lib, is_torch: adam_only_case(lib, [(10,)] * 1000, is_torch)),
    ]
    scale = {"us": 1e6, "ms": 1e3}
    print("| case | threads | ember | torch (foreach for Adam alone) | ember / torch time |")
    print("|---|---|---|---|---|")
    for threads in args.threads:
        ember.set_num_threads(threads)
        torch.set_num_threads(threads)
        set_blas_threads(threads)
        for name, unit, make in cases:
            ember_best, torch_best = best_times(make(ember, False), make(torch, True),
                                                args.repeats)
            print(f"| {name} | {threads} | {ember_best * scale[unit]:.0f} {unit} | "
                  f"{torch_best * scale[unit]:.0f} {unit} | {ember_best / torch_best:.2f} |",
                  flush=True)


if __name__ == "__main__":
    main()
