"""examples/python/transformer_lm.py learns: a small decoder-only Transformer (causal mask) drops
its next-character loss on the public-domain paragraph well below the uniform guess in a short
run, and samples a continuation of its prompt."""
import math
import pathlib
import runpy

EXAMPLE = (pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"
           / "transformer_lm.py")


def test_transformer_lm_learns_the_paragraph():
    example = runpy.run_path(str(EXAMPLE))
    model, chars, first, last = example["train"](steps=150, batch_size=16, length=32,
                                                 d_model=32, nhead=2)
    uniform = math.log(len(chars))
    assert first > 0.9 * uniform
    assert last < uniform - 1.0, (first, last)
    text = example["sample"](model, chars, "It was ", 20)
    assert text.startswith("It was ") and len(text) == 27
    assert set(text) <= set(chars)
    assert "blocks.layers.1.self_attn.in_proj_weight" in model.state_dict()
