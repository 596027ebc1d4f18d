"""Tensor.register_post_accumulate_grad_hook: hook(param) after backward updated param.grad."""

import gc
import weakref

import pytest

import ember


def test_hook_gets_the_leaf_object_with_its_accumulated_grad():
    weight = ember.nn.Parameter(ember.ones(3))
    seen = []

    def hook(param):
        assert param is weight
        seen.append(param.grad.sum().item())

    weight.register_post_accumulate_grad_hook(hook)
    (weight * 2).sum().backward()
    (weight * 3).sum().backward()
    assert seen == [6.0, 15.0]


def test_hook_may_change_the_grad_in_place():
    weight = ember.ones(2, requires_grad=True)
    weight.register_post_accumulate_grad_hook(lambda param: param.grad.mul_(0.5))
    (weight * 4).sum().backward()
    assert weight.grad.tolist() == [2.0, 2.0]


def test_handle_removes_the_hook():
    weight = ember.ones(2, requires_grad=True)
    calls = []
    handle = weight.register_post_accumulate_grad_hook(lambda param: calls.append(1))
    weight.sum().backward()
    handle.remove()
    weight.sum().backward()
    with weight.register_post_accumulate_grad_hook(lambda param: calls.append(2)):
        weight.sum().backward()
    weight.sum().backward()
    assert calls == [1, 2]


def test_refused_on_non_leaves_and_tensors_without_grad():
    weight = ember.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="non-leaf"):
        (weight * 2).register_post_accumulate_grad_hook(lambda param: None)
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        ember.ones(2).register_post_accumulate_grad_hook(lambda param: None)


def test_a_cycle_through_the_hook_is_collected():
    weight = ember.ones(2, requires_grad=True)
    weight.register_post_accumulate_grad_hook(lambda param, kept=weight: kept)
    alive = weakref.ref(weight)
    del weight
    gc.collect()
    assert alive() is None
