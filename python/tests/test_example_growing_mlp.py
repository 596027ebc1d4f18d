"""examples/python/growing_mlp.py learns, and the blocks it adds after loss plateaus are trained,
saved by state_dict and restored by load_state_dict like the layers it started with."""
import pathlib
import runpy

import numpy as np

import ember

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python" / "growing_mlp.py"


def test_growing_mlp_learns_and_its_new_blocks_are_state():
    example = runpy.run_path(str(EXAMPLE))
    model, losses, grown_at = example["train"](steps=1200)
    assert grown_at and len(model.blocks) == len(grown_at)
    assert sum(losses[-50:]) < 0.4 * sum(losses[:50])
    # Each new block moved away from its near-zero start: the SGD loop trained it.
    assert model.blocks[0].weight.abs().max().item() > 0.05
    keys = list(model.state_dict())
    assert keys[:2] == ["inp.weight", "inp.bias"] and keys[-2:] == ["out.weight", "out.bias"]
    assert "blocks.0.weight" in keys and len(keys) == 4 + 2 * len(grown_at)
    restored = example["GrowingMLP"](2, 16, 1)
    for _ in grown_at:
        restored.grow()
    restored.load_state_dict(model.state_dict())
    x = ember.rand(8, 2)
    np.testing.assert_array_equal(restored(x).detach().numpy(), model(x).detach().numpy())
