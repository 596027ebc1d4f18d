"""LBFGS (torch.optim.LBFGS): the algorithm (two-loop recursion, strong-Wolfe line search) runs
in C++ (ember/optim/lbfgs.cpp, through ember._C._optim._lbfgs_step), which calls the closure
back and keeps its state in this optimizer's state dict under PyTorch's keys."""
from ember._C import _optim
from ember.optim._options import check_non_negative
from ember.optim.optimizer import Optimizer

__all__ = ["LBFGS"]


class LBFGS(Optimizer):
    """LBFGS(params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
    tolerance_change=1e-9, history_size=100, line_search_fn=None)

    L-BFGS, as torch.optim.LBFGS: one parameter group; step(closure) requires the closure."""

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None):
        check_non_negative("learning rate", lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError("only 'strong_wolfe' is supported as line_search_fn; got "
                             f"{line_search_fn!r}")
        defaults = {"lr": lr, "max_iter": max_iter, "max_eval": max_eval,
                    "tolerance_grad": tolerance_grad, "tolerance_change": tolerance_change,
                    "history_size": history_size, "line_search_fn": line_search_fn}
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")

    def step(self, closure):
        """Up to max_iter L-BFGS iterations, calling closure (which must zero the gradients,
        compute the loss, call backward and return the loss) as often as needed; returns its
        first loss."""
        if closure is None:
            raise ValueError("LBFGS.step requires a closure that re-evaluates the model and "
                             "returns the loss")
        group = self.param_groups[0]
        params = group["params"]
        return _optim._lbfgs_step(params, closure, group["lr"], group["max_iter"],
                                  group["max_eval"], group["tolerance_grad"],
                                  group["tolerance_change"], group["history_size"],
                                  group["line_search_fn"], self.state[params[0]])
