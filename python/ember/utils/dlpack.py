"""ember.utils.dlpack: torch.utils.dlpack's functions (the DLPack bindings are in
python/src/serialize_dlpack.cpp)."""
from ember._C import from_dlpack

__all__ = ["from_dlpack", "to_dlpack"]


def to_dlpack(tensor):
    """to_dlpack(tensor) -> capsule

    A DLPack capsule (``"dltensor"``) sharing ``tensor``'s memory; any DLPack consumer
    (``ember.from_dlpack``, ``numpy.from_dlpack`` through an object, ``torch.from_dlpack``)
    takes it once."""
    return tensor.__dlpack__()
