"""Sequential, ModuleList, ModuleDict, ParameterList and ParameterDict with PyTorch's semantics:
indexing, slicing, mutation, renumbering after deletion, state-dict keys and printed layout
(expected keys and layouts written by hand from PyTorch's rules)."""
from collections import OrderedDict

import numpy as np
import pytest

import ember
from ember import nn


class Scale(nn.Module):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor
        self.weight = nn.Parameter(ember.full((1,), float(factor)))

    def forward(self, x):
        return x * self.weight

    def extra_repr(self):
        return f"factor={self.factor}"


class Tanh(nn.Module):
    def forward(self, x):
        return x.tanh()


# ------------------------------------------------------------ Sequential


def test_sequential_calls_in_order_and_names_by_index():
    seq = nn.Sequential(Scale(2), Scale(3), Scale(5))
    assert seq(ember.ones(1)).item() == 30.0
    assert list(seq.state_dict()) == ["0.weight", "1.weight", "2.weight"]
    assert len(seq) == 3 and [m.factor for m in seq] == [2, 3, 5]


def test_sequential_from_ordered_dict():
    seq = nn.Sequential(OrderedDict([("first", Scale(2)), ("act", Tanh())]))
    assert list(seq.state_dict()) == ["first.weight"]
    assert seq.first is seq[0] and seq.act is seq[-1]
    assert repr(seq) == "Sequential(\n  (first): Scale(factor=2)\n  (act): Tanh()\n)"


def test_sequential_indexing_and_slicing():
    layers = [Scale(i) for i in range(1, 5)]
    seq = nn.Sequential(*layers)
    assert seq[0] is layers[0] and seq[-1] is layers[3]
    part = seq[1:3]
    assert type(part) is nn.Sequential and list(part) == layers[1:3]
    assert list(part._modules) == ["1", "2"]  # slicing keeps the keys, as PyTorch
    with pytest.raises(IndexError, match="index 4 is out of range"):
        seq[4]
    seq[0] = Scale(10)
    assert seq[0].factor == 10


def test_sequential_mutation_renumbers():
    seq = nn.Sequential(Scale(1), Scale(2), Scale(3))
    del seq[0]
    assert list(seq._modules) == ["0", "1"] and [m.factor for m in seq] == [2, 3]
    seq.append(Scale(4))
    seq.insert(0, Scale(0))
    assert [m.factor for m in seq] == [0, 2, 3, 4]
    seq.insert(-1, Scale(9))
    assert [m.factor for m in seq] == [0, 2, 3, 9, 4]
    popped = seq.pop(1)
    assert popped.factor == 2 and [m.factor for m in seq] == [0, 3, 9, 4]
    del seq[1:3]
    assert [m.factor for m in seq] == [0, 4] and list(seq._modules) == ["0", "1"]
    seq.extend([Scale(5), Scale(6)])
    assert [m.factor for m in seq] == [0, 4, 5, 6]
    with pytest.raises(IndexError):
        seq.insert(10, Scale(1))
    with pytest.raises(AssertionError):
        seq.insert(0, 3)


def test_sequential_add_and_multiply():
    a, b = nn.Sequential(Scale(1)), nn.Sequential(Scale(2), Scale(3))
    both = a + b
    assert [m.factor for m in both] == [1, 2, 3] and list(both._modules) == ["0", "1", "2"]
    a += b
    assert [m.factor for m in a] == [1, 2, 3]
    with pytest.raises(ValueError, match="supports only objects of Sequential class"):
        a + [Scale(1)]
    twice = b * 2
    assert len(twice) == 4 and twice[0] is twice[2]
    assert "0" not in dir(b)


def test_sequential_repr_and_nesting():
    seq = nn.Sequential(Scale(2), nn.Sequential(Tanh(), Scale(3)))
    assert repr(seq) == (
        "Sequential(\n"
        "  (0): Scale(factor=2)\n"
        "  (1): Sequential(\n"
        "    (0): Tanh()\n"
        "    (1): Scale(factor=3)\n"
        "  )\n"
        ")")
    assert list(seq.state_dict()) == ["0.weight", "1.1.weight"]
    assert repr(nn.Sequential()) == "Sequential()"


# ------------------------------------------------------------ ModuleList


def test_module_list_basics():
    layers = nn.ModuleList([Scale(1), Scale(2)])
    layers.append(Scale(3))
    layers.extend([Scale(4)])
    layers += [Scale(5)]
    assert len(layers) == 5 and [m.factor for m in layers] == [1, 2, 3, 4, 5]
    assert layers[-1].factor == 5 and type(layers[1:3]) is nn.ModuleList
    assert [m.factor for m in layers[::2]] == [1, 3, 5]
    layers.insert(1, Scale(9))
    assert [m.factor for m in layers] == [1, 9, 2, 3, 4, 5]
    assert layers.pop(1).factor == 9
    del layers[0]
    assert list(layers._modules) == ["0", "1", "2", "3"]
    layers[0] = Scale(7)
    assert layers[0].factor == 7
    assert [m.factor for m in layers + nn.ModuleList([Scale(8)])] == [7, 3, 4, 5, 8]
    assert list(layers.state_dict()) == ["0.weight", "1.weight", "2.weight", "3.weight"]
    with pytest.raises(IndexError):
        layers[10]
    with pytest.raises(TypeError, match="should be called with an iterable"):
        layers.extend(3)
    with pytest.raises(NotImplementedError):
        layers(ember.ones(1))


def test_module_list_repr_compresses_repeats():
    layers = nn.ModuleList([Scale(1), Scale(1), Scale(1), Tanh(), Scale(2)])
    assert repr(layers) == (
        "ModuleList(\n"
        "  (0-2): 3 x Scale(factor=1)\n"
        "  (3): Tanh()\n"
        "  (4): Scale(factor=2)\n"
        ")")
    assert repr(nn.ModuleList()) == "ModuleList()"


def test_module_list_inside_module_names_parameters():
    class Stack(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([Scale(i) for i in range(3)])

    assert list(Stack().state_dict()) == ["layers.0.weight", "layers.1.weight",
                                          "layers.2.weight"]


# ------------------------------------------------------------ ModuleDict


def test_module_dict():
    blocks = nn.ModuleDict({"b": Scale(2), "a": Scale(1)})
    assert list(blocks.keys()) == ["b", "a"]  # insertion order
    blocks["c"] = Tanh()
    blocks.update([("d", Scale(4))])
    blocks.update(nn.ModuleDict({"e": Scale(5)}))
    assert list(blocks) == ["b", "a", "c", "d", "e"] and "c" in blocks and len(blocks) == 5
    assert blocks.pop("c").__class__ is Tanh and "c" not in blocks
    del blocks["d"]
    assert [k for k, _ in blocks.items()] == ["b", "a", "e"]
    assert [m.factor for m in blocks.values()] == [2, 1, 5]
    assert list(blocks.state_dict()) == ["b.weight", "a.weight", "e.weight"]
    assert repr(nn.ModuleDict({"x": Tanh()})) == "ModuleDict(\n  (x): Tanh()\n)"
    with pytest.raises(TypeError, match="should be called with an iterable"):
        blocks.update(3)
    with pytest.raises(ValueError, match="has length 3; 2 is required"):
        blocks.update([("a", Tanh(), 1)])
    blocks.clear()
    assert len(blocks) == 0


# ------------------------------------------------------------ ParameterList


def test_parameter_list():
    params = nn.ParameterList([ember.ones(2), nn.Parameter(ember.zeros(3))])
    assert all(type(p) is nn.Parameter for p in params) and params[0].requires_grad
    params.append(ember.ones(1, 4))
    params.extend([ember.zeros(1)])
    assert len(params) == 4 and params[-1].shape == (1,)
    assert [n for n, _ in params.named_parameters()] == ["0", "1", "2", "3"]
    assert type(params[1:3]) is nn.ParameterList and len(params[1:3]) == 2
    params[0] = ember.full((2,), 5.0)
    assert params[0].tolist() == [5.0, 5.0] and type(params[0]) is nn.Parameter
    assert repr(nn.ParameterList([ember.ones(2, 3)])) == (
        "ParameterList(  (0): Parameter containing: [ember.float32 of size 2x3])")
    with pytest.raises(TypeError, match="should be called with an iterable"):
        params.extend(ember.ones(2))
    with pytest.raises(RuntimeError, match="ParameterList should not be called"):
        params()


def test_parameter_list_repr_of_several_entries():
    params = nn.ParameterList([ember.ones(2, 3), ember.zeros(4, dtype=ember.float64)])
    assert repr(params) == (
        "ParameterList(\n"
        "    (0): Parameter containing: [ember.float32 of size 2x3]\n"
        "    (1): Parameter containing: [ember.float64 of size 4]\n"
        ")")


def test_parameter_list_is_trained_through_a_module():
    class Weighted(nn.Module):
        def __init__(self):
            super().__init__()
            self.ws = nn.ParameterList([ember.ones(2) for _ in range(3)])

        def forward(self, x):
            for w in self.ws:
                x = x * w
            return x

    m = Weighted()
    m(ember.full((2,), 2.0)).sum().backward()
    assert all(p.grad.tolist() == [2.0, 2.0] for p in m.parameters())
    assert list(m.state_dict()) == ["ws.0", "ws.1", "ws.2"]


# ------------------------------------------------------------ ParameterDict


def test_parameter_dict():
    params = nn.ParameterDict({"b": ember.ones(1), "a": ember.zeros(2)})
    assert list(params) == ["a", "b"]  # a plain dict's keys are added sorted, as PyTorch
    params["c"] = nn.Parameter(ember.ones(3), requires_grad=False)
    params.update(OrderedDict([("z", ember.ones(1)), ("y", ember.ones(1))]))
    assert list(params.keys()) == ["a", "b", "c", "z", "y"]
    assert type(params["a"]) is nn.Parameter and not params["c"].requires_grad
    assert "c" in params and len(params) == 5 and params.get("nope") is None
    assert params.pop("z").shape == (1,) and "z" not in params
    key, value = params.popitem()
    assert key == "y" and value.shape == (1,)
    assert params.setdefault("d", ember.ones(2)).shape == (2,)
    assert [k for k, _ in params.items()] == ["a", "b", "c", "d"]
    assert list(reversed(params)) == ["d", "c", "b", "a"]
    assert list(params.state_dict()) == ["a", "b", "c", "d"]
    merged = params | {"e": ember.ones(1)}
    assert list(merged) == ["a", "b", "c", "d", "e"] and "e" not in params
    copied = params.copy()
    assert copied["a"] is params["a"]
    assert list(params.fromkeys(["p", "q"], ember.ones(1))) == ["p", "q"]
    del params["a"]
    assert "a" not in params and "a" not in params._parameters
    with pytest.raises(TypeError, match="not a string"):
        params[3] = ember.ones(1)
    with pytest.raises(RuntimeError, match="ParameterDict should not be called"):
        params()
    params.clear()
    assert len(params) == 0 and list(params.parameters()) == []


def test_parameter_dict_repr():
    params = nn.ParameterDict(OrderedDict([("w", ember.ones(2, 2)), ("b", ember.ones(2))]))
    assert repr(params) == (
        "ParameterDict(\n"
        "    (w): Parameter containing: [ember.float32 of size 2x2]\n"
        "    (b): Parameter containing: [ember.float32 of size 2]\n"
        ")")


def test_containers_load_state_dict_round_trip():
    model = nn.Sequential(Scale(2), nn.ModuleDict({"inner": Scale(3)}))
    other = nn.Sequential(Scale(0), nn.ModuleDict({"inner": Scale(0)}))
    other.load_state_dict(model.state_dict())
    np.testing.assert_array_equal(other[1]["inner"].weight.detach().numpy(), [3.0])
