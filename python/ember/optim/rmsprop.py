"""RMSprop (torch.optim.RMSprop): the class gathers each group's parameters with gradients and
calls the fused C++ op ember._C._optim._fused_rmsprop_, which holds the update rule."""
from ember._C import _optim, zeros_like
from ember.optim._fused_groups import check_range, params_with_grads, run_closure, scalar_state
from ember.optim._options import check_flags
from ember.optim.optimizer import Optimizer

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
    capturable=False, foreach=None, maximize=False, differentiable=False)

    Steps scaled by a running root mean square of the gradients (centered: of their variance),
    optionally with momentum, as torch.optim.RMSprop."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        check_range("learning rate", lr)
        check_range("epsilon value", eps)
        check_range("momentum value", momentum)
        check_range("weight_decay value", weight_decay)
        check_range("alpha value", alpha)
        check_flags("RMSprop", foreach=foreach, differentiable=differentiable)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay, "capturable": capturable,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One RMSprop step over every parameter with a gradient; returns the closure's loss."""
        loss = run_closure(closure)
        for group in self.param_groups:
            momentum, centered = group["momentum"], group["centered"]
            params, grads, states = params_with_grads(self, group, lambda p: {
                "step": scalar_state(), "square_avg": zeros_like(p)})
            if not params:
                continue
            # The buffers of the options that are on (also when a group turned one on later).
            for param, state in zip(params, states):
                if momentum > 0 and "momentum_buffer" not in state:
                    state["momentum_buffer"] = zeros_like(param)
                if centered and "grad_avg" not in state:
                    state["grad_avg"] = zeros_like(param)
            _optim._fused_rmsprop_(
                params, grads, [s["square_avg"] for s in states],
                [s["grad_avg"] for s in states] if centered else [],
                [s["momentum_buffer"] for s in states] if momentum > 0 else [],
                [s["step"] for s in states], group["lr"], group["alpha"], group["eps"],
                group["weight_decay"], momentum, centered, group["maximize"])
        return loss
