"""Adadelta (torch.optim.Adadelta): the class gathers each group's parameters with gradients and
calls the fused C++ op ember._C._optim._fused_adadelta_, which holds the update rule."""
from ember._C import _optim, zeros_like
from ember.optim._fused_groups import check_range, params_with_grads, run_closure, scalar_state
from ember.optim._options import check_flags
from ember.optim.optimizer import Optimizer

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
    capturable=False, maximize=False, differentiable=False)

    Steps sized by the ratio of running root mean squares of past updates and of gradients, as
    torch.optim.Adadelta."""

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        check_range("learning rate", lr)
        check_range("rho value", rho, 0.0, 1.0, high_inclusive=True)
        check_range("epsilon value", eps)
        check_range("weight_decay value", weight_decay)
        check_flags("Adadelta", foreach=foreach, differentiable=differentiable)
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "capturable": capturable, "foreach": foreach,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One Adadelta step over every parameter with a gradient; returns the closure's loss."""
        loss = run_closure(closure)
        for group in self.param_groups:
            params, grads, states = params_with_grads(self, group, lambda p: {
                "step": scalar_state(), "square_avg": zeros_like(p), "acc_delta": zeros_like(p)})
            if not params:
                continue
            _optim._fused_adadelta_(params, grads, [s["square_avg"] for s in states],
                                    [s["acc_delta"] for s in states], [s["step"] for s in states],
                                    group["lr"], group["rho"], group["eps"],
                                    group["weight_decay"], group["maximize"])
        return loss
