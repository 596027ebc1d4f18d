"""Anomaly mode: a backward that produces NaN raises, naming the node and the forward line."""
from ember import _C


class detect_anomaly:  # noqa: N801 (PyTorch's name)
    """detect_anomaly(check_nan=True): a context manager in which a backward that produces NaN
    raises, naming the node and the line of its forward."""

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
    """set_detect_anomaly(mode, check_nan=True) sets anomaly mode at once; as a context manager
    it restores the previous mode."""

    def __init__(self, mode, check_nan=True):
        super().__init__(check_nan and mode)
        self._previous = _C._autograd.is_anomaly_enabled()
        _C._autograd.set_anomaly_enabled(self._check_nan)

    def __enter__(self):
        return self
