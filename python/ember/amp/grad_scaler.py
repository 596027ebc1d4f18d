"""ember.amp.GradScaler (torch.amp.GradScaler): scales the loss so that float16 gradients do not
underflow, unscales them before the step, skips steps whose gradients hold inf/NaN and adapts the
scale. The math is two C++ ops (ember/ops/amp.h); this class keeps PyTorch's bookkeeping."""
import enum
import warnings
from collections import defaultdict

import ember
from ember import _C


class OptState(enum.Enum):
    READY = 0
    UNSCALED = 1
    STEPPED = 2


def _fresh_optimizer_state():
    return {"stage": OptState.READY, "found_inf_per_device": {}}


class GradScaler:
    """GradScaler(device='cuda', init_scale=65536.0, growth_factor=2.0, backoff_factor=0.5,
    growth_interval=2000, enabled=True)

    scale(outputs) multiplies by the scale; step(optimizer) unscales the gradients (unless
    unscale_ did), skips the step when one holds inf/NaN; update() backs the scale off after a
    skipped step and grows it after growth_interval steps without one.
    """

    def __init__(self, device="cuda", init_scale=2.0**16, growth_factor=2.0, backoff_factor=0.5,
                 growth_interval=2000, enabled=True):
        self._device = device
        self._enabled = enabled
        if self._enabled and device == "cuda" and not ember.cuda.is_available():
            warnings.warn("ember.amp.GradScaler is enabled, but CUDA is not available. "
                          "Disabling.", stacklevel=2)
            self._enabled = False
        if self._enabled:
            if growth_factor <= 1.0:
                raise ValueError("[GradScaler] growth_factor should be > 1; got "
                                 f"{growth_factor}")
            if backoff_factor >= 1.0:
                raise ValueError("[GradScaler] backoff_factor should be < 1; got "
                                 f"{backoff_factor}")
            self._init_scale = init_scale
            self._scale = None
            self._growth_factor = growth_factor
            self._backoff_factor = backoff_factor
            self._growth_interval = growth_interval
            self._init_growth_tracker = 0
            self._growth_tracker = None
            self._per_optimizer_states = defaultdict(_fresh_optimizer_state)

    def _check_scale_growth_tracker(self, funcname):
        fix = "This may indicate your script did not use scaler.scale(loss or outputs) earlier " \
              "in the iteration."
        assert self._scale is not None, f"Attempted {funcname} but _scale is None.  {fix}"
        assert self._growth_tracker is not None, \
            f"Attempted {funcname} but _growth_tracker is None.  {fix}"
        return self._scale, self._growth_tracker

    def _lazy_init_scale_growth_tracker(self, device):
        self._scale = ember.full((1,), self._init_scale, dtype=ember.float32, device=device)
        self._growth_tracker = ember.full((1,), self._init_growth_tracker, dtype=ember.int32,
                                          device=device)

    def scale(self, outputs):
        """scale(outputs): outputs (a tensor or nested lists/tuples of them) times the scale."""
        if not self._enabled:
            return outputs
        if isinstance(outputs, ember.Tensor):
            if self._scale is None:
                self._lazy_init_scale_growth_tracker(outputs.device)
            return outputs * self._scale.to(device=outputs.device)

        def apply(value):
            if isinstance(value, ember.Tensor):
                if self._scale is None:
                    self._lazy_init_scale_growth_tracker(value.device)
                return value * self._scale.to(device=value.device)
            if isinstance(value, (list, tuple)):
                return type(value)(apply(v) for v in value)
            raise ValueError("outputs must be a Tensor or an iterable of Tensors")

        return apply(outputs)

    def _unscale_grads_(self, optimizer, inv_scale, found_inf, allow_fp16):
        per_device_and_dtype = defaultdict(lambda: defaultdict(list))
        for group in optimizer.param_groups:
            for param in group["params"]:
                grad = param.grad
                if grad is None:
                    continue
                if not allow_fp16 and grad.dtype == ember.float16:
                    raise ValueError("Attempting to unscale FP16 gradients.")
                per_device_and_dtype[str(grad.device)][grad.dtype].append(grad)
        found_inf_per_device = {}
        for device, per_dtype in per_device_and_dtype.items():
            device_found_inf = found_inf.to(device=device)
            device_inv_scale = inv_scale.to(device=device)
            for grads in per_dtype.values():
                _C._autocast._amp_foreach_non_finite_check_and_unscale_(
                    grads, device_found_inf, device_inv_scale)
            found_inf_per_device[device] = device_found_inf
        return found_inf_per_device

    def unscale_(self, optimizer):
        """unscale_(optimizer): divides optimizer's gradients by the scale, once per step."""
        if not self._enabled:
            return
        self._check_scale_growth_tracker("unscale_")
        state = self._per_optimizer_states[id(optimizer)]
        if state["stage"] is OptState.UNSCALED:
            raise RuntimeError(
                "unscale_() has already been called on this optimizer since the last update().")
        if state["stage"] is OptState.STEPPED:
            raise RuntimeError("unscale_() is being called after step().")
        inv_scale = self._scale.double().reciprocal().float()
        found_inf = ember.zeros((1,), dtype=ember.float32, device=self._scale.device)
        state["found_inf_per_device"] = self._unscale_grads_(optimizer, inv_scale, found_inf,
                                                             False)
        state["stage"] = OptState.UNSCALED

    def step(self, optimizer, *args, **kwargs):
        """step(optimizer, *args, **kwargs): optimizer.step() unless a gradient holds inf/NaN."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is enabled.")
        self._check_scale_growth_tracker("step")
        state = self._per_optimizer_states[id(optimizer)]
        if state["stage"] is OptState.STEPPED:
            raise RuntimeError("step() has already been called since the last update().")
        if state["stage"] is OptState.READY:
            self.unscale_(optimizer)
        assert len(state["found_inf_per_device"]) > 0, \
            "No inf checks were recorded for this optimizer."
        result = None
        if not sum(v.item() for v in state["found_inf_per_device"].values()):
            result = optimizer.step(*args, **kwargs)
        state["stage"] = OptState.STEPPED
        return result

    def update(self, new_scale=None):
        """update(new_scale=None): backs the scale off after a skipped step, grows it after
        growth_interval unskipped ones, or sets it to new_scale."""
        if not self._enabled:
            return
        scale, growth_tracker = self._check_scale_growth_tracker("update")
        if new_scale is not None:
            if isinstance(new_scale, float):
                scale.fill_(new_scale)
            else:
                reason = "new_scale should be a float or a 1-element ember.float32 tensor with " \
                         "requires_grad=False."
                assert isinstance(new_scale, ember.Tensor), reason
                assert new_scale.numel() == 1, reason
                assert new_scale.dtype == ember.float32, reason
                assert new_scale.requires_grad is False, reason
                scale.copy_(new_scale.reshape(scale.shape))
        else:
            found_infs = [found_inf.to(device=scale.device)
                          for state in self._per_optimizer_states.values()
                          for found_inf in state["found_inf_per_device"].values()]
            assert len(found_infs) > 0, "No inf checks were recorded prior to update."
            found_inf_combined = found_infs[0]
            for found_inf in found_infs[1:]:
                found_inf_combined = found_inf_combined + found_inf
            _C._autocast._amp_update_scale_(scale, growth_tracker, found_inf_combined,
                                            self._growth_factor, self._backoff_factor,
                                            self._growth_interval)
        self._per_optimizer_states = defaultdict(_fresh_optimizer_state)

    def get_scale(self):
        """get_scale() -> float: the current scale (1.0 when disabled)."""
        if not self._enabled:
            return 1.0
        return self._init_scale if self._scale is None else self._scale.item()

    def get_growth_factor(self):
        """get_growth_factor() -> float"""
        return self._growth_factor

    def set_growth_factor(self, new_factor):
        """set_growth_factor(new_factor)"""
        self._growth_factor = new_factor

    def get_backoff_factor(self):
        """get_backoff_factor() -> float"""
        return self._backoff_factor

    def set_backoff_factor(self, new_factor):
        """set_backoff_factor(new_factor)"""
        self._backoff_factor = new_factor

    def get_growth_interval(self):
        """get_growth_interval() -> int"""
        return self._growth_interval

    def set_growth_interval(self, new_interval):
        """set_growth_interval(new_interval)"""
        self._growth_interval = new_interval

    def _get_growth_tracker(self):
        if not self._enabled:
            return 0
        if self._growth_tracker is None:
            return self._init_growth_tracker
        return self._growth_tracker.item()

    def is_enabled(self):
        """is_enabled() -> bool"""
        return self._enabled

    def state_dict(self):
        """state_dict() -> dict: scale, growth_factor, backoff_factor, growth_interval and
        _growth_tracker (empty when disabled)."""
        if not self._enabled:
            return {}
        return {"scale": self.get_scale(), "growth_factor": self._growth_factor,
                "backoff_factor": self._backoff_factor, "growth_interval": self._growth_interval,
                "_growth_tracker": self._get_growth_tracker()}

    def load_state_dict(self, state_dict):
        """load_state_dict(state_dict): restores what state_dict() returned."""
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError("The source state dict is empty, possibly because it was saved "
                               "from a disabled instance of GradScaler.")
        self._init_scale = state_dict["scale"]
        if self._scale is not None:
            self._scale.fill_(state_dict["scale"])
        self._growth_factor = state_dict["growth_factor"]
        self._backoff_factor = state_dict["backoff_factor"]
        self._growth_interval = state_dict["growth_interval"]
        self._init_growth_tracker = state_dict["_growth_tracker"]
        if self._growth_tracker is not None:
            self._growth_tracker.fill_(state_dict["_growth_tracker"])
