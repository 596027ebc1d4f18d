"""examples/python/lenet.py learns: a LeNet-5-style CNN (convolutions, max pooling, linear
layers, hand-written SGD) classifies bar orientations well above chance after a short run."""
import pathlib
import runpy

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python" / "lenet.py"


def test_lenet_learns_bar_orientation():
    example = runpy.run_path(str(EXAMPLE))
    model, before, after = example["train"](steps=200, batch_size=32)
    assert before < 0.45  # chance is 0.25
    assert after > 0.8, after
    assert [name for name, _ in model.named_parameters()][:2] == ["conv1.weight", "conv1.bias"]
