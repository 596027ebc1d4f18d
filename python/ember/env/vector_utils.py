"""ember.env.vector.utils: Gymnasium's gymnasium.vector.utils for ember's spaces.

``batch_space`` is C++ (ember/env/space_batching.h). ``create_empty_array``, ``concatenate`` and
``iterate`` walk a Tuple or Dict space's structure (tuples and dicts of tensors, which have no
C++ counterpart) and leave the leaves to ember's tensor ops: a leaf's batch is one
(n, *space.shape) tensor of the space's dtype.
"""
import ember
from ember._C import _env
from ember.env import spaces

__all__ = ["batch_space", "concatenate", "create_empty_array", "iterate"]

batch_space = _env.batch_space


def _check_space(space, function):
    if not isinstance(space, spaces.Space):
        raise TypeError(f"[{function}] expected an ember.env.spaces.Space; received "
                        f"{type(space).__name__}")


def create_empty_array(space, n=1, fn=ember.zeros):
    """Room for n elements of ``space``: a (n, *shape) tensor made by ``fn(shape, dtype=...)``
    per leaf, in tuples and dicts shaped like a Tuple or Dict space."""
    _check_space(space, "create_empty_array")
    if isinstance(space, spaces.Tuple):
        return tuple(create_empty_array(child, n, fn) for child in space.spaces)
    if isinstance(space, spaces.Dict):
        return {key: create_empty_array(child, n, fn) for key, child in space.spaces.items()}
    return fn((n, *space.shape), dtype=space.dtype)


def concatenate(space, items, out):
    """Writes the elements ``items`` of ``space`` (one per env) into ``out`` (from
    create_empty_array) and returns it."""
    _check_space(space, "concatenate")
    items = list(items)
    if isinstance(space, spaces.Tuple):
        return tuple(concatenate(child, [item[i] for item in items], out[i])
                     for i, child in enumerate(space.spaces))
    if isinstance(space, spaces.Dict):
        return {key: concatenate(child, [item[key] for item in items], out[key])
                for key, child in space.spaces.items()}
    if len(items) != out.shape[0]:
        raise ValueError(f"[concatenate] expected {out.shape[0]} items of {space} (out's first "
                         f"dimension); received {len(items)}")
    values = [item if isinstance(item, ember.Tensor) else ember.as_tensor(item) for item in items]
    stacked = ember.stack(values)
    out.copy_(stacked)
    return out


def iterate(space, items):
    """The elements of a batch ``items`` of the batched space ``space`` (from batch_space), one
    per env."""
    _check_space(space, "iterate")
    if isinstance(space, spaces.Tuple):
        return zip(*(iterate(child, items[i]) for i, child in enumerate(space.spaces)))
    if isinstance(space, spaces.Dict):
        keys = list(space.spaces)
        parts = zip(*(iterate(space.spaces[key], items[key]) for key in keys))
        return (dict(zip(keys, part)) for part in parts)
    if isinstance(space, spaces.Discrete):
        raise TypeError(f"[iterate] expected a batched space (a Discrete batches to a "
                        f"MultiDiscrete); received {space}")
    return iter(items)
