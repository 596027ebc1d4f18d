"""Adagrad (torch.optim.Adagrad): the class gathers each group's parameters with gradients and
calls the fused C++ op ember._C._optim._fused_adagrad_, which holds the update rule."""
from ember._C import _optim, full_like
from ember.optim._fused_groups import check_range, params_with_grads, run_closure, scalar_state
from ember.optim._options import check_flags
from ember.optim.optimizer import Optimizer

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
    eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None)

    Steps scaled by the root of the summed squared gradients, as torch.optim.Adagrad. Like
    PyTorch's, the state of every parameter is made at construction."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        check_range("learning rate", lr)
        check_range("lr_decay value", lr_decay)
        check_range("weight_decay value", weight_decay)
        check_range("initial_accumulator_value value", initial_accumulator_value)
        check_range("epsilon value", eps)
        check_flags("Adagrad", foreach=foreach, fused=fused, differentiable=differentiable)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        for group in self.param_groups:
            for param in group["params"]:
                self.state[param].update(self._new_state(group, param))

    @staticmethod
    def _new_state(group, param):
        return {"step": scalar_state(),
                "sum": full_like(param, float(group["initial_accumulator_value"]))}

    def step(self, closure=None):
        """One Adagrad step over every parameter with a gradient; returns the closure's loss."""
        loss = run_closure(closure)
        for group in self.param_groups:
            params, grads, states = params_with_grads(
                self, group, lambda p, group=group: self._new_state(group, p))
            if not params:
                continue
            _optim._fused_adagrad_(params, grads, [s["sum"] for s in states],
                                   [s["step"] for s in states], group["lr"], group["lr_decay"],
                                   group["weight_decay"], group["eps"], group["maximize"])
        return loss
