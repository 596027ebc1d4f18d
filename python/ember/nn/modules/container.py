"""Containers of modules and parameters with torch.nn's semantics: Sequential, ModuleList,
ModuleDict, ParameterList, ParameterDict. Elements are registered under their index ("0", "1",
...) or key, which is what names them in state_dict."""
import operator
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from itertools import chain, islice

from ember import _C
from ember.nn.modules.module import Module, _addindent
from ember.nn.parameter import Parameter

__all__ = ["ModuleDict", "ModuleList", "ParameterDict", "ParameterList", "Sequential"]


def _absolute_index(index, length):
    """index (negative counts from the end) checked against length, as a registry key."""
    index = operator.index(index)
    if not -length <= index < length:
        raise IndexError(f"index {index} is out of range")
    return str(index % length)


def _renumbered(modules):
    """modules' values under the keys "0", "1", ... (after a deletion)."""
    return OrderedDict((str(i), module) for i, module in enumerate(modules.values()))


def _repr_compressing_repeats(container):
    """ModuleList's layout: consecutive identical entries print once, as (i-j): n x Layer()."""
    reprs = [repr(module) for module in container]
    if not reprs:
        return container._get_name() + "()"
    blocks = []  # [first index, last index, repr]
    for index, text in enumerate(reprs):
        if blocks and blocks[-1][2] == text:
            blocks[-1][1] = index
        else:
            blocks.append([index, index, text])
    lines = []
    for first, last, text in blocks:
        label = f"({first}): {text}" if first == last else (
            f"({first}-{last}): {last - first + 1} x {text}")
        lines.append(_addindent(label, 2))
    return container._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"


def _tensor_entry_repr(value):
    """How ParameterList/ParameterDict print an entry."""
    if not isinstance(value, _C.Tensor):
        return f"Object of type: {type(value).__name__}"
    size = "x".join(str(dim) for dim in value.shape)
    device = f" ({value.device})" if value.device.type == "cuda" else ""
    kind = "Parameter" if isinstance(value, Parameter) else "Tensor"
    return f"{kind} containing: [{value.dtype} of size {size}{device}]"


class Sequential(Module):
    """Sequential(*modules) or Sequential(OrderedDict) -> Sequential

    Calls its modules in order, each on the previous one's output. Indexing gives a module,
    slicing a Sequential of the same modules.
    """

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for index, module in enumerate(args):
                self.add_module(str(index), module)

    def _key_at(self, index):
        size = len(self)
        index = operator.index(index)
        if not -size <= index < size:
            raise IndexError(f"index {index} is out of range")
        return next(islice(self._modules.keys(), index % size, None))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(OrderedDict(list(self._modules.items())[index]))
        return self._modules[self._key_at(index)]

    def __setitem__(self, index, module):
        setattr(self, self._key_at(index), module)

    def __delitem__(self, index):
        if isinstance(index, slice):
            for key in list(self._modules.keys())[index]:
                delattr(self, key)
        else:
            delattr(self, self._key_at(index))
        self._modules = _renumbered(self._modules)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __add__(self, other):
        if not isinstance(other, Sequential):
            raise ValueError("add operator supports only objects of Sequential class, but "
                             f"{type(other)} is given.")
        result = Sequential()
        for layer in chain(self, other):
            result.append(layer)
        return result

    def __iadd__(self, other):
        if not isinstance(other, Sequential):
            raise ValueError("add operator supports only objects of Sequential class, but "
                             f"{type(other)} is given.")
        return self.extend(list(other))

    def __mul__(self, count):
        if not isinstance(count, int):
            raise TypeError(f"unsupported operand type(s) for *: {type(self)} and {type(count)}")
        if count <= 0:
            raise ValueError(f"Non-positive multiplication factor {count} for {type(self)}")
        result = Sequential()
        for _ in range(count):
            for layer in self:
                result.append(layer)
        return result

    __rmul__ = __mul__

    def __dir__(self):
        return [key for key in super().__dir__() if not key.isdigit()]

    def append(self, module):
        """append(module) -> Sequential

        Adds module at the end.
        """
        self.add_module(str(len(self)), module)
        return self

    def insert(self, index, module):
        """insert(index, module) -> Sequential

        Inserts module before position index.
        """
        if not isinstance(module, Module):
            raise AssertionError(f"module should be of type: {Module}")
        size = len(self._modules)
        if not -size <= index <= size:
            raise IndexError(f"Index out of range: {index}")
        if index < 0:
            index += size
        for i in range(size, index, -1):
            self._modules[str(i)] = self._modules[str(i - 1)]
        self._modules[str(index)] = module
        return self

    def extend(self, sequential):
        """extend(sequential) -> Sequential

        Appends every module of an iterable.
        """
        for layer in sequential:
            self.append(layer)
        return self

    def pop(self, key):
        """pop(index) -> Module

        Removes and returns the module at index.
        """
        module = self[key]
        del self[key]
        return module

    def forward(self, input):
        output = input
        for module in self:
            output = module(output)
        return output


class ModuleList(Module):
    """ModuleList(modules=None) -> ModuleList

    A list of registered submodules (not callable itself): indexing, slicing, append, extend,
    insert, pop, del, len and iteration as a Python list.
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(list(self._modules.values())[index])
        return self._modules[_absolute_index(index, len(self))]

    def __setitem__(self, index, module):
        setattr(self, _absolute_index(index, len(self)), module)

    def __delitem__(self, index):
        if isinstance(index, slice):
            for key in list(self._modules.keys())[index]:
                delattr(self, key)
        else:
            delattr(self, _absolute_index(index, len(self)))
        self._modules = _renumbered(self._modules)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __iadd__(self, modules):
        return self.extend(modules)

    def __add__(self, other):
        combined = ModuleList()
        for module in chain(self, other):
            combined.append(module)
        return combined

    def __repr__(self):
        return _repr_compressing_repeats(self)

    def __dir__(self):
        return [key for key in super().__dir__() if not key.isdigit()]

    def insert(self, index, module):
        """insert(index, module) -> None

        Inserts module before position index.
        """
        for i in range(len(self._modules), index, -1):
            self._modules[str(i)] = self._modules[str(i - 1)]
        self._modules[str(index)] = module

    def append(self, module):
        """append(module) -> ModuleList

        Adds module at the end.
        """
        self.add_module(str(len(self)), module)
        return self

    def pop(self, key):
        """pop(index) -> Module

        Removes and returns the module at index.
        """
        module = self[key]
        del self[key]
        return module

    def extend(self, modules):
        """extend(modules) -> ModuleList

        Appends every module of an iterable.
        """
        if not isinstance(modules, Iterable):
            raise TypeError("ModuleList.extend should be called with an iterable, but got "
                            + type(modules).__name__)
        offset = len(self)
        for i, module in enumerate(modules):
            self.add_module(str(offset + i), module)
        return self


def _key_value_pairs(pairs, container_name):
    """The (key, value) pairs of an iterable of pairs, checked as dict.update checks them."""
    for position, pair in enumerate(pairs):
        if not isinstance(pair, Iterable):
            raise TypeError(f"{container_name} update sequence element #{position} should be "
                            f"Iterable; is{type(pair).__name__}")
        if len(pair) != 2:
            raise ValueError(f"{container_name} update sequence element #{position} has length "
                             f"{len(pair)}; 2 is required")
        yield pair[0], pair[1]


class ModuleDict(Module):
    """ModuleDict(modules=None) -> ModuleDict

    An ordered dict of registered submodules (insertion order): indexing by key, keys(),
    values(), items(), update(), pop(), del, len, iteration over keys, `in`.
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def clear(self):
        """clear() -> None

        Removes every module.
        """
        self._modules.clear()

    def pop(self, key):
        """pop(key) -> Module

        Removes and returns the module under key.
        """
        module = self[key]
        del self[key]
        return module

    def keys(self):
        """keys() -> Iterable[str]

        The keys, in insertion order.
        """
        return self._modules.keys()

    def items(self):
        """items() -> Iterable[Tuple[str, Module]]

        The (key, module) pairs, in insertion order.
        """
        return self._modules.items()

    def values(self):
        """values() -> Iterable[Module]

        The modules, in insertion order.
        """
        return self._modules.values()

    def update(self, modules):
        """update(modules) -> None

        Adds (or replaces) the modules of a mapping or an iterable of (key, module) pairs.
        """
        if not isinstance(modules, Iterable):
            raise TypeError("ModuleDict.update should be called with an iterable of key/value "
                            "pairs, but got " + type(modules).__name__)
        if isinstance(modules, (Mapping, ModuleDict)):
            pairs = modules.items()
        else:
            pairs = _key_value_pairs(modules, "ModuleDict")
        for key, module in pairs:
            self[key] = module


class ParameterList(Module):
    """ParameterList(values=None) -> ParameterList

    A list of registered parameters (a tensor appended becomes a Parameter; other objects are
    kept as plain attributes): indexing, slicing, append, extend, len, iteration.
    """

    def __init__(self, values=None):
        super().__init__()
        self._size = 0
        if values is not None:
            self += values

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            result = type(self)()
            for i in range(start, stop, step):
                result.append(self[i])
            return result
        return getattr(self, _absolute_index(index, len(self)))

    def __setitem__(self, index, value):
        key = _absolute_index(index, len(self))
        if isinstance(value, _C.Tensor) and not isinstance(value, Parameter):
            value = Parameter(value)
        setattr(self, key, value)

    def __len__(self):
        return self._size

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __iadd__(self, values):
        return self.extend(values)

    def __dir__(self):
        return [key for key in super().__dir__() if not key.isdigit()]

    def append(self, value):
        """append(value) -> ParameterList

        Adds value (a tensor becomes a Parameter) at the end.
        """
        index = len(self)
        self._size += 1
        self[index] = value
        return self

    def extend(self, values):
        """extend(values) -> ParameterList

        Appends every value of an iterable.
        """
        if not isinstance(values, Iterable) or isinstance(values, _C.Tensor):
            raise TypeError("ParameterList.extend should be called with an iterable, but got "
                            + type(values).__name__)
        for value in values:
            self.append(value)
        return self

    def extra_repr(self):
        return "\n".join(f"  ({index}): {_tensor_entry_repr(value)}"
                         for index, value in enumerate(self))

    def __call__(self, *args, **kwargs):
        raise RuntimeError("ParameterList should not be called.")


class ParameterDict(Module):
    """ParameterDict(parameters=None) -> ParameterDict

    An ordered dict of registered parameters with string keys (a tensor stored becomes a
    Parameter): indexing, keys(), values(), items(), update(), get(), pop(), setdefault(), `|`.
    """

    def __init__(self, parameters=None):
        super().__init__()
        self._keys = {}
        if parameters is not None:
            self.update(parameters)

    @staticmethod
    def _attribute_of(key):
        if not isinstance(key, str):
            raise TypeError("Index given to ParameterDict cannot be used as a key as it is not a "
                            f"string (type is '{type(key).__name__}'). Open an issue on github if "
                            "you need non-string keys.")
        return key

    def __getitem__(self, key):
        return getattr(self, self._attribute_of(key))

    def __setitem__(self, key, value):
        attribute = self._attribute_of(key)
        self._keys[key] = None
        if isinstance(value, _C.Tensor) and not isinstance(value, Parameter):
            value = Parameter(value)
        setattr(self, attribute, value)

    def __delitem__(self, key):
        del self._keys[key]
        delattr(self, self._attribute_of(key))

    def __len__(self):
        return len(self._keys)

    def __iter__(self):
        return iter(self._keys)

    def __reversed__(self):
        return reversed(list(self._keys))

    def __contains__(self, key):
        return key in self._keys

    def copy(self):
        """copy() -> ParameterDict

        A new ParameterDict holding the same parameters.
        """
        return ParameterDict(OrderedDict((key, self[key]) for key in self._keys))

    def setdefault(self, key, default=None):
        """setdefault(key, default=None) -> Parameter

        The value under key, first storing default there if key is absent.
        """
        if key not in self:
            self[key] = default
        return self[key]

    def clear(self):
        """clear() -> None

        Removes every entry.
        """
        for key in list(self._keys):
            del self[key]

    def pop(self, key):
        """pop(key) -> Parameter

        Removes and returns the value under key.
        """
        value = self[key]
        del self[key]
        return value

    def popitem(self):
        """popitem() -> Tuple[str, Parameter]

        Removes and returns the last inserted (key, value) pair.
        """
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def get(self, key, default=None):
        """get(key, default=None) -> Parameter

        The value under key, or default.
        """
        return getattr(self, key) if key in self._keys else default

    def fromkeys(self, keys, default=None):
        """fromkeys(keys, default=None) -> ParameterDict

        A new ParameterDict with each key holding default.
        """
        return ParameterDict((key, default) for key in keys)

    def keys(self):
        """keys() -> Iterable[str]

        The keys, in insertion order.
        """
        return self._keys.keys()

    def items(self):
        """items() -> Iterable[Tuple[str, Parameter]]

        The (key, value) pairs, in insertion order.
        """
        return ((key, self[key]) for key in self._keys)

    def values(self):
        """values() -> Iterable[Parameter]

        The values, in insertion order.
        """
        return (self[key] for key in self._keys)

    def update(self, parameters):
        """update(parameters) -> None

        Adds (or replaces) the entries of a mapping or an iterable of (key, value) pairs; a
        plain (unordered) mapping's keys are added in sorted order, as PyTorch does.
        """
        if not isinstance(parameters, Iterable):
            raise TypeError("ParametersDict.update should be called with an iterable of "
                            "key/value pairs, but got " + type(parameters).__name__)
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs = parameters.items()
        elif isinstance(parameters, Mapping):
            pairs = sorted(parameters.items())
        else:
            pairs = _key_value_pairs(parameters, "ParameterDict")
        for key, value in pairs:
            self[key] = value

    def __or__(self, other):
        result = self.copy()
        result.update(other)
        return result

    def __ror__(self, other):
        result = other.copy()
        result.update(self)
        return result

    def __ior__(self, other):
        self.update(other)
        return self

    def extra_repr(self):
        return "\n".join(f"  ({key}): {_tensor_entry_repr(value)}" for key, value in self.items())

    def __call__(self, *args, **kwargs):
        raise RuntimeError("ParameterDict should not be called.")
