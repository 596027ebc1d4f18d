"""Anomaly mode: a backward that produces NaN raises, naming the node and the forward line."""
from ember import _C


class detect_anomaly:  # noqa: N801 (PyTorch's name)
    def __init__(self, check_nan=True):
        self._check_nan = check_nan

    def __enter__(self):
        self._previous = _C._autograd.is_anomaly_enabled()
        _C._autograd.set_anomaly_enabled(self._check_nan)
        return self

    def __exit__(self, *exc):
        _C._autograd.set_anomaly_enabled(self._previous)
        return False


class set_detect_anomaly(detect_anomaly):  # noqa: N801
    def __init__(self, mode, check_nan=True):
        super().__init__(check_nan and mode)
        self._previous = _C._autograd.is_anomaly_enabled()
        _C._autograd.set_anomaly_enabled(self._check_nan)

    def __enter__(self):
        return self
