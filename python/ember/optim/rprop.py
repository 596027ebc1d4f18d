"""Rprop (torch.optim.Rprop): the class gathers each group's parameters with gradients and calls
the fused C++ op ember._C._optim._fused_rprop_, which holds the update rule."""
from ember._C import _optim, full_like, zeros_like
from ember.optim._fused_groups import check_range, params_with_grads, run_closure, scalar_state
from ember.optim._options import check_flags
from ember.optim.optimizer import Optimizer

__all__ = ["Rprop"]


class Rprop(Optimizer):
    """Rprop(params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *, capturable=False,
    foreach=None, maximize=False, differentiable=False)

    Resilient backpropagation: per-element step sizes that grow while the gradient's sign holds
    and shrink when it flips, as torch.optim.Rprop."""

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        check_range("learning rate", lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        check_flags("Rprop", foreach=foreach, differentiable=differentiable)
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One Rprop step over every parameter with a gradient; returns the closure's loss."""
        loss = run_closure(closure)
        for group in self.param_groups:
            params, grads, states = params_with_grads(self, group, lambda p, lr=group["lr"]: {
                "step": scalar_state(), "prev": zeros_like(p), "step_size": full_like(p, lr)})
            if not params:
                continue
            etaminus, etaplus = group["etas"]
            step_size_min, step_size_max = group["step_sizes"]
            _optim._fused_rprop_(params, grads, [s["prev"] for s in states],
                                 [s["step_size"] for s in states], [s["step"] for s in states],
                                 step_size_min, step_size_max, etaminus, etaplus,
                                 group["maximize"])
        return loss
