"""Module hooks: the handle that removes one (torch.utils.hooks.RemovableHandle) and the
machinery of full backward hooks (grads of a module's inputs and outputs, PyTorch's)."""
import itertools
import weakref

from ember import _C
from ember.autograd.function import Function
from ember.autograd.grad_mode import is_grad_enabled


class RemovableHandle:
    """The handle a register_*_hook method returns: remove() (or leaving a with block) removes
    the hook from every dictionary it was entered in."""

    _next_id = itertools.count()

    def __init__(self, hooks_dict, *, extra_dict=None):
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = next(RemovableHandle._next_id)
        extra = extra_dict if isinstance(extra_dict, (list, tuple)) else [extra_dict]
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extra if d is not None)

    def remove(self):
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            hooks = ref()
            if hooks is not None and self.id in hooks:
                del hooks[self.id]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class _GradientTap(Function):
    """Identity on tensors whose backward hands all their incoming grads, together, to
    on_grads (which may replace them): how a module sees the grads of its inputs and outputs."""

    @staticmethod
    def forward(ctx, on_grads, *tensors):
        ctx.on_grads = on_grads
        ctx.set_materialize_grads(False)
        ctx.mark_non_differentiable(*(t for t in tensors if not t.requires_grad))
        return tensors

    @staticmethod
    def backward(ctx, *grads):
        return (None, *ctx.on_grads(grads))


def _check_replacement(result, expected_count, what, hook):
    if not isinstance(result, tuple):
        result = (result,)
    if len(result) != expected_count:
        raise RuntimeError(f"Backward hook returned an invalid number of {what} (got "
                           f"{len(result)}, but expected {expected_count}): {hook!r}")
    return result


class BackwardHook:
    """The full backward (pre) hooks of one module call: taps its tensor inputs and outputs,
    calls the pre hooks with the output grads and the hooks with the input and output grads."""

    def __init__(self, module, hooks, pre_hooks):
        self.module = module
        self.hooks = hooks
        self.pre_hooks = pre_hooks
        self.grad_outputs = None
        self.input_positions = None
        self.input_count = 0
        self.output_positions = None
        self.output_count = 0

    @staticmethod
    def _tap(values, on_grads):
        """values (a tuple, or one tensor) with its tensors passed through a _GradientTap;
        None for the positions when no tensor among them requires grad."""
        single = isinstance(values, _C.Tensor)
        items = (values,) if single else values
        positions = [i for i, value in enumerate(items) if isinstance(value, _C.Tensor)]
        if not any(items[i].requires_grad for i in positions) or not is_grad_enabled():
            return values, None
        tapped = _GradientTap.apply(on_grads, *(items[i] for i in positions))
        result = list(items)
        for position, tensor in zip(positions, tapped):
            result[position] = tensor
        return (result[0] if single else tuple(result)), positions

    @staticmethod
    def _spread(positions, grads, count):
        """grads of the tensors at positions, as a tuple of count with None elsewhere."""
        spread = [None] * count
        for position, grad in zip(positions, grads):
            spread[position] = grad
        return tuple(spread)

    def setup_input_hook(self, args):
        self.input_count = len(args)
        args, self.input_positions = self._tap(args, self._on_input_grads)
        return args

    def setup_output_hook(self, result):
        self.output_count = 1 if isinstance(result, _C.Tensor) else len(result)
        result, self.output_positions = self._tap(result, self._on_output_grads)
        return result

    def _on_output_grads(self, grads):
        grad_outputs = self._spread(self.output_positions, grads, self.output_count)
        for hook in self.pre_hooks:
            replaced = hook(self.module, grad_outputs)
            if replaced is not None:
                grad_outputs = _check_replacement(replaced, self.output_count, "grad_output",
                                                  hook)
        self.grad_outputs = grad_outputs
        if self.input_positions is None:
            # No input requires grad: the hooks run now, with None for every input grad.
            grad_inputs = (None,) * self.input_count
            for hook in self.hooks:
                if hook(self.module, grad_inputs, grad_outputs) is not None:
                    raise RuntimeError("Backward hook for Modules where no input requires "
                                       "gradient should always return None or None for all "
                                       "gradients.")
            self.grad_outputs = None
        return tuple(grad_outputs[position] for position in self.output_positions)

    def _on_input_grads(self, grads):
        grad_inputs = self._spread(self.input_positions, grads, self.input_count)
        for hook in self.hooks:
            replaced = hook(self.module, grad_inputs, self.grad_outputs)
            if replaced is not None:
                grad_inputs = _check_replacement(replaced, self.input_count, "grad_input", hook)
        self.grad_outputs = None
        return tuple(grad_inputs[position] for position in self.input_positions)
