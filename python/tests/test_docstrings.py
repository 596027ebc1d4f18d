"""Every public callable of ember, ember.Tensor and ember.autograd has a docstring that opens
with its signature (PyTorch's, as `name(...)`), and help() reads like PyTorch's."""
import inspect
import pydoc

import ember
import ember.autograd


def public_members(owner):
    for name in dir(owner):
        if name.startswith("_"):
            continue
        yield name, inspect.getattr_static(owner, name)


def first_line(doc):
    lines = (doc or "").strip().splitlines()
    return lines[0] if lines else ""


def undocumented(owner, owner_name):
    """(owner, name, first line) of each callable without a docstring opening with name(."""
    found = []
    for name, value in public_members(owner):
        if isinstance(value, property):
            if not (value.__doc__ or "").strip():
                found.append((owner_name, name, "property without a docstring"))
            continue
        value = getattr(owner, name)
        if not callable(value) or inspect.ismodule(value):
            continue
        if not (inspect.isroutine(value) or type(value).__name__ in ("nb_func", "nb_method")):
            # Classes and callable objects (ember.FloatTensor): a docstring of their own.
            if not (value.__doc__ or "").strip():
                found.append((owner_name, name, "no docstring"))
            continue
        line = first_line(value.__doc__)
        if not line.startswith(name + "("):
            found.append((owner_name, name, line))
    return found


def test_every_public_callable_has_a_signature_docstring():
    missing = (undocumented(ember, "ember") + undocumented(ember.Tensor, "Tensor")
               + undocumented(ember.autograd, "ember.autograd"))
    assert not missing, "\n".join(f"{owner}.{name}: {line!r}" for owner, name, line in missing)


def test_no_bound_function_has_several_overloads():
    # help() of an overloaded nanobind function lists each signature ("Overloaded function"):
    # one binding per name, taking PyTorch's optional arguments, keeps it readable.
    overloaded = [f"{owner.__name__}.{name}" for owner in (ember, ember.Tensor)
                  for name in dir(owner)
                  if len(getattr(getattr(owner, name), "__nb_signature__", ())) > 1]
    assert not overloaded, overloaded


def test_help_of_add_reads_like_pytorch():
    text = pydoc.render_doc(ember.add, renderer=pydoc.plaintext)
    assert "add(input, other, *, alpha=1, out=None) -> Tensor" in text
    assert "alpha" in text.split("-> Tensor", 1)[1]  # the description follows the signature
    # One signature: the row-generated add(input, other) overload is gone.
    assert text.count("add(input") == 1
    assert "input: object" not in text  # nanobind's guess for untyped parameters


def test_methods_document_self_and_the_method_form():
    assert first_line(ember.Tensor.add.__doc__) == "add(self, other, *, alpha=1) -> Tensor"
    assert first_line(ember.Tensor.exp.__doc__) == "exp(self) -> Tensor"
    assert first_line(ember.Tensor.exp_.__doc__) == "exp_(self) -> Tensor"
    assert first_line(ember.mul.__doc__) == "mul(input, other, *, out=None) -> Tensor"
    assert "elementwise" in ember.mul.__doc__


def test_python_level_forwarders_take_the_method_signature():
    # ember.sum is input.sum: its docstring is the method's with input for self.
    assert first_line(ember.sum.__doc__) == (
        "sum(input, dim=None, keepdim=False, *, dtype=None, out=None) -> Tensor")
    assert ember.sum.__name__ == "sum"


def test_factories_show_the_shape_forms():
    assert first_line(ember.zeros.__doc__).startswith(
        "zeros(*shape, size=None, out=None, dtype=None")
    assert first_line(ember.zeros_like.__doc__).startswith("zeros_like(input, *, dtype=None")
