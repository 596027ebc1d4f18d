"""ASGD (torch.optim.ASGD): the class gathers each group's parameters with gradients and calls the
fused C++ op ember._C._optim._fused_asgd_, which holds the update rule."""
from ember._C import _optim, zeros_like
from ember.optim._fused_groups import check_range, params_with_grads, run_closure, scalar_state
from ember.optim._options import check_flags
from ember.optim.optimizer import Optimizer

__all__ = ["ASGD"]


class ASGD(Optimizer):
    """ASGD(params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None,
    maximize=False, differentiable=False, capturable=False)

    Averaged SGD: SGD with a decaying step and a running average of the iterates (state['ax'])
    from step t0 on, as torch.optim.ASGD."""

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False, capturable=False):
        check_range("learning rate", lr)
        check_range("weight_decay value", weight_decay)
        check_flags("ASGD", foreach=foreach, differentiable=differentiable)
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0,
                    "weight_decay": weight_decay, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One ASGD step over every parameter with a gradient; returns the closure's loss."""
        loss = run_closure(closure)
        for group in self.param_groups:
            params, grads, states = params_with_grads(self, group, lambda p, lr=group["lr"]: {
                "step": scalar_state(), "eta": scalar_state(lr), "mu": scalar_state(1.0),
                "ax": zeros_like(p)})
            if not params:
                continue
            _optim._fused_asgd_(params, grads, [s["ax"] for s in states],
                                [s["mu"] for s in states], [s["eta"] for s in states],
                                [s["step"] for s in states], group["lambd"], group["lr"],
                                group["t0"], group["alpha"], group["weight_decay"],
                                group["maximize"])
        return loss
