"""RAdam (torch.optim.RAdam): the class gathers each group's parameters with gradients and calls
the fused C++ op ember._C._optim._fused_radam_, which holds the update rule."""
from ember._C import _optim, zeros_like
from ember.optim._fused_groups import (
    check_betas,
    check_range,
    params_with_grads,
    run_closure,
    scalar_state,
)
from ember.optim._options import check_flags
from ember.optim.optimizer import Optimizer

__all__ = ["RAdam"]


class RAdam(Optimizer):
    """RAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
    decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
    differentiable=False)

    Rectified Adam, as torch.optim.RAdam (decoupled_weight_decay: AdamW's decay)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        check_range("learning rate", lr)
        check_range("epsilon value", eps)
        check_betas(betas)
        check_range("weight_decay value", weight_decay)
        check_flags("RAdam", foreach=foreach, differentiable=differentiable)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "decoupled_weight_decay": decoupled_weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One RAdam step over every parameter with a gradient; returns the closure's loss."""
        loss = run_closure(closure)
        for group in self.param_groups:
            params, grads, states = params_with_grads(self, group, lambda p: {
                "step": scalar_state(), "exp_avg": zeros_like(p), "exp_avg_sq": zeros_like(p)})
            if not params:
                continue
            beta1, beta2 = group["betas"]
            _optim._fused_radam_(params, grads, [s["exp_avg"] for s in states],
                                 [s["exp_avg_sq"] for s in states], [s["step"] for s in states],
                                 group["lr"], beta1, beta2, group["weight_decay"], group["eps"],
                                 group["decoupled_weight_decay"], group["maximize"])
        return loss
