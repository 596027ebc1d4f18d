"""The installed package ships the stubs editors read: ember/_C.pyi (generated at build time)
and the py.typed marker, and the stub is valid Python naming the bound API."""
import ast
from pathlib import Path

import ember

PACKAGE = Path(ember.__file__).parent


def stub_text():
    return (PACKAGE / "_C.pyi").read_text()


def test_stub_and_marker_are_installed():
    assert (PACKAGE / "_C.pyi").is_file()
    assert (PACKAGE / "py.typed").is_file()


def test_stub_names_the_api():
    text = stub_text()
    assert "class Tensor" in text
    assert "def add(input, other, *, alpha=1, out=None) -> Tensor" in text
    assert "def add(self, other, *, alpha=1) -> Tensor" in text  # the method
    assert "def exp(input, *, out=None) -> Tensor" in text
    # In-place forms: stubgen would drop them as private (a trailing underscore) by default.
    assert "def add_(self, other, *, alpha=1) -> Tensor" in text
    assert "def exp_(input) -> Tensor" in text
    assert "def isclose(" in text and "def zeros(" in text
    # Operators and shape keep their types, so that editors complete (a + b). and t.shape.
    assert "def __add__(self, other) -> Tensor" in text
    assert "def shape(self, /) -> ember.Size" in text


def test_stub_parses_and_every_public_function_is_in_it():
    tree = ast.parse(stub_text())
    module_functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    tensor = next(node for node in tree.body
                  if isinstance(node, ast.ClassDef) and node.name == "Tensor")
    methods = {node.name for node in ast.walk(tensor) if isinstance(node, ast.FunctionDef)}
    bound = {name for name in dir(ember._C) if not name.startswith("_")
             and type(getattr(ember._C, name)).__name__ == "nb_func"}
    assert bound <= module_functions, sorted(bound - module_functions)
    assert {"add", "sum", "numpy", "backward", "size", "isclose"} <= methods
