"""ember's nn.utils against PyTorch's from Python, measured in one process run.

Cases: clip_grad_norm_ (2-norm and inf-norm) and clip_grad_value_ over the gradients of an MLP of
four Linear(256, 256) layers, parameters_to_vector of its parameters, and a Linear(64, 64) call
under weight_norm and under spectral_norm (the pre-hook recomputing the weight, training mode).
Each figure is the median of repeats (us per call) after warm-up; the ratio is ember/torch (< 1:
ember is faster). A benchmark, never a test.

    cd /tmp && PYTHONPATH=<repo>/.venv/lib/python3.11/site-packages /usr/bin/python3 \
        <repo>/benchmarks/python/compare_torch_nn_utils.py
"""

import importlib

from bench_support import compare_cases


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


if __name__ == "__main__":
    compare_cases(cases, __doc__.splitlines()[0], unit="us", repeat_seconds=0.3)
