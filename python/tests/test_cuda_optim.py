"""The optimizers on CUDA parameters (the fused steps' CUDA kernel, Note [CUDA optimizer steps] in
docs/architecture.md) against the same optimizers on CPU copies: a few steps of every algorithm,
float32 and float64, with its main options. Skipped without a CUDA device."""

import numpy as np
import pytest

import ember

NO_DEVICE = "needs a CUDA device (tools/gpu_check.sh runs it on a GPU)"

CASES = [
    (ember.optim.SGD, {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    (ember.optim.Adam, {"lr": 1e-2, "amsgrad": True}),
    (ember.optim.AdamW, {"lr": 1e-2, "weight_decay": 0.1}),
    (ember.optim.Adagrad, {"lr": 0.1, "lr_decay": 0.01}),
    (ember.optim.Adadelta, {"lr": 1.0, "weight_decay": 0.01}),
    (ember.optim.Adamax, {"lr": 2e-3, "maximize": True}),
    (ember.optim.ASGD, {"lr": 1e-2, "t0": 1}),
    (ember.optim.NAdam, {"lr": 2e-3, "decoupled_weight_decay": True, "weight_decay": 0.01}),
    (ember.optim.RAdam, {"lr": 1e-3}),
    (ember.optim.RMSprop, {"lr": 1e-2, "centered": True, "momentum": 0.9}),
    (ember.optim.Rprop, {"lr": 1e-2}),
]


@pytest.mark.skipif(not ember.cuda.is_available(), reason=NO_DEVICE)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("algorithm,options", CASES, ids=[case[0].__name__ for case in CASES])
def test_cuda_steps_match_cpu(algorithm, options, dtype):
    ember.manual_seed(0)
    cpu_params = [
        ember.randn(37, dtype=getattr(ember, dtype)),
        ember.randn(6, 5).t().to(getattr(ember, dtype)),
    ]
    cuda_params = [p.to("cuda") for p in cpu_params]
    for p in cpu_params + cuda_params:
        p.requires_grad_(True)
    cpu_opt, cuda_opt = algorithm(cpu_params, **options), algorithm(cuda_params, **options)
    for _ in range(4):
        grads = [ember.randn(*p.shape).to(p.dtype) for p in cpu_params]
        for params, opt in ((cpu_params, cpu_opt), (cuda_params, cuda_opt)):
            for p, g in zip(params, grads):
                p.grad = g.to(p.device)
            opt.step()
    tolerance = 1e-5 if dtype == "float32" else 1e-12
    for cpu, cuda in zip(cpu_params, cuda_params):
        assert cuda.device.type == "cuda"
        np.testing.assert_allclose(
            cuda.detach().cpu().numpy(), cpu.detach().numpy(), rtol=tolerance, atol=tolerance
        )
