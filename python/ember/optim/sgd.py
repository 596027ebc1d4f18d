"""SGD (torch.optim.SGD): the class gathers each group's parameters with gradients and calls the
fused C++ op ember._C._optim._fused_sgd_, which holds the update rule."""
from ember._C import _optim, empty_like
from ember.autograd.grad_mode import enable_grad
from ember.optim._options import check_flags, check_non_negative
from ember.optim.optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    """SGD(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
    maximize=False, foreach=None, differentiable=False, fused=None)

    Stochastic gradient descent, optionally with (Nesterov) momentum, as torch.optim.SGD."""

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):
        check_non_negative("learning rate", lr)
        check_non_negative("momentum value", momentum)
        check_non_negative("weight_decay value", weight_decay)
        check_flags("SGD", foreach=foreach, fused=fused, differentiable=differentiable)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One SGD step over every parameter with a gradient; returns the closure's loss."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            momentum = group["momentum"]
            # Parameters whose momentum buffer exists, and those taking their first step.
            params, grads, buffers = [], [], []
            new_params, new_grads, new_buffers = [], [], []
            for param in group["params"]:
                grad = param.grad
                if grad is None:
                    continue
                if momentum == 0:
                    params.append(param)
                    grads.append(grad)
                    continue
                state = self.state[param]
                buffer = state.get("momentum_buffer")
                if buffer is None:
                    buffer = state["momentum_buffer"] = empty_like(param)
                    new_params.append(param)
                    new_grads.append(grad)
                    new_buffers.append(buffer)
                else:
                    params.append(param)
                    grads.append(grad)
                    buffers.append(buffer)
            arguments = (group["lr"], momentum, group["dampening"], group["weight_decay"],
                         group["nesterov"], group["maximize"])
            if params:
                _optim._fused_sgd_(params, grads, buffers, *arguments, False)
            if new_params:
                _optim._fused_sgd_(new_params, new_grads, new_buffers, *arguments, True)
        return loss
