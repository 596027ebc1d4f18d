"""examples/python/bilstm_tagger.py learns: the bidirectional LSTM tagger over packed sentences
of varying length tags a held-out batch well above chance (the task needs the backward
direction: ambiguous words take the next word's tag), on small settings."""
import pathlib
import runpy

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python" / "bilstm_tagger.py"


def test_bilstm_tagger_learns_to_read_ahead():
    example = runpy.run_path(str(EXAMPLE))
    model, losses, before, after = example["train"](steps=40, batch_size=16)
    assert before < 0.5  # chance is 1/3
    assert after > 0.9, after
    assert sum(losses[-5:]) < 0.2 * sum(losses[:5])
    assert "lstm.weight_hh_l0_reverse" in model.state_dict()
