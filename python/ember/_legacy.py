"""The 2017 tensor-type objects (ember.FloatTensor, ...): they name a dtype and can construct."""
from ember import _C
from ember._size import Size


class LegacyTensorType:
    """A 2017 tensor type (ember.FloatTensor): FloatTensor(2, 3) or FloatTensor([1, 2]) makes a
    tensor of its dtype; isinstance(t, ember.FloatTensor) checks the dtype."""

    def __init__(self, name, dtype):
        self.__name__ = name
        self.dtype = dtype

    def __call__(self, *args):
        # FloatTensor(2, 3) and FloatTensor(Size([2, 3])) make an uninitialised tensor;
        # FloatTensor([1, 2]) one from data.
        if len(args) == 1 and isinstance(args[0], (list, tuple)) and not isinstance(args[0], Size):
            return _C.tensor(args[0], dtype=self.dtype)
        return _C.empty(*args, dtype=self.dtype)

    def __repr__(self):
        return f"<class 'ember.{self.__name__}'>"

    def __instancecheck__(self, obj):
        return isinstance(obj, _C.Tensor) and obj.dtype == self.dtype


def type_by_name(name):
    import ember

    short = name.split(".")[-1]
    legacy = getattr(ember, short, None)
    if not isinstance(legacy, LegacyTensorType):
        raise ValueError(f"invalid type: '{name}'")
    return legacy
