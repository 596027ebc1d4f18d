"""The optim examples learn: the seed's two-layer network with nn + optim.SGD and optim.Adam
(and the C++ program prints the same losses), and a network that grows layers mid-training and
hands them to Adam with add_param_group."""
import pathlib
import runpy
import subprocess

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"


def load(name):
    return runpy.run_path(str(EXAMPLES / f"{name}.py"))


@pytest.mark.parametrize(("optimizer", "factor"), [("sgd", 0.01), ("adam", 0.1)])
def test_two_layer_optim_learns(optimizer, factor):
    losses = load("two_layer_optim")["train"](optimizer, steps=100)
    assert losses[-1] < factor * losses[0]


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_cpp_two_layer_optim_prints_the_same_losses(optimizer, cpp_build_dir):
    if cpp_build_dir is None:
        pytest.skip("no C++ build directory (run tools/run_tests.sh)")
    binary = cpp_build_dir / "examples" / "cpp" / "two_layer_optim"
    if not binary.exists():
        pytest.skip(f"{binary} not built")
    cpp = subprocess.run([str(binary), optimizer, "30"], capture_output=True, text=True,
                         check=True, timeout=300).stdout.split()
    python = []
    load("two_layer_optim")["train"](optimizer, steps=30, log=lambda line: python.extend(
        line.split()))
    assert [float(v) for v in cpp] == pytest.approx([float(v) for v in python], rel=1e-5)


def test_growing_net_trains_the_layers_it_adds():
    model, optimizer, losses = load("growing_net_optim")["train"](steps=300, grow_at=(100, 200))
    assert len(model.blocks) == 2 and len(optimizer.param_groups) == 3
    assert sum(losses[-20:]) < 0.3 * sum(losses[:20])
    first, second = model.blocks
    assert optimizer.state[first.weight]["step"].item() == 200
    assert optimizer.state[second.bias]["step"].item() == 100
    # Each new block moved away from its near-zero start: Adam trained it.
    assert first.weight.abs().max().item() > 0.05
    assert second.bias.abs().max().item() > 0.0
