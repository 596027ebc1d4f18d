"""Adam (torch.optim.Adam): the class gathers each group's parameters with gradients and their
state and calls the fused C++ op ember._C._optim._fused_adam_, which holds the update rule (AdamW
calls it with decoupled_weight_decay)."""
from ember._C import _optim, float32, zeros, zeros_like
from ember.autograd.grad_mode import enable_grad
from ember.optim._options import check_flags, check_non_negative
from ember.optim.optimizer import Optimizer

__all__ = ["Adam"]


def check_betas(betas):
    """ValueError naming the beta outside [0, 1) (PyTorch's messages)."""
    for index, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {index}: {beta}")


class Adam(Optimizer):
    """Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
    foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
    decoupled_weight_decay=False)

    Adam, as torch.optim.Adam (decoupled_weight_decay=True: AdamW)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        check_non_negative("learning rate", lr)
        check_non_negative("epsilon value", eps)
        check_betas(betas)
        check_non_negative("weight_decay value", weight_decay)
        check_flags(type(self).__name__, foreach=foreach, fused=fused, capturable=capturable,
                    differentiable=differentiable)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One Adam step over every parameter with a gradient; returns the closure's loss."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            amsgrad = group["amsgrad"]
            params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps = [], [], [], [], [], []
            for param in group["params"]:
                grad = param.grad
                if grad is None:
                    continue
                state = self.state[param]
                if not state:
                    state["step"] = zeros((), dtype=float32)
                    state["exp_avg"] = zeros_like(param)
                    state["exp_avg_sq"] = zeros_like(param)
                    if amsgrad:
                        state["max_exp_avg_sq"] = zeros_like(param)
                params.append(param)
                grads.append(grad)
                exp_avgs.append(state["exp_avg"])
                exp_avg_sqs.append(state["exp_avg_sq"])
                if amsgrad:
                    if "max_exp_avg_sq" not in state:  # amsgrad turned on mid-training
                        state["max_exp_avg_sq"] = zeros_like(param)
                    max_exp_avg_sqs.append(state["max_exp_avg_sq"])
                steps.append(state["step"])
            if params:
                beta1, beta2 = group["betas"]
                _optim._fused_adam_(params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, steps,
                                    group["lr"], beta1, beta2, group["weight_decay"],
                                    group["eps"], amsgrad, group["maximize"],
                                    group["decoupled_weight_decay"])
        return loss
