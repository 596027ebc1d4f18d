"""examples/python/char_lstm.py learns: the character-level LSTM language model's loss falls on
the repository's public-domain text within a short run, and sampling continues a prompt with
characters of the text's vocabulary."""
import pathlib
import runpy

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python" / "char_lstm.py"


def test_char_lstm_learns_and_samples():
    example = runpy.run_path(str(EXAMPLE))
    model, vocabulary, losses = example["train"](steps=60, window=16, batch_size=8,
                                                 hidden_size=32, learning_rate=0.02)
    first, last = sum(losses[:10]) / 10, sum(losses[-10:]) / 10
    assert last < 0.8 * first, (first, last)
    text = example["sample"](model, vocabulary, prompt="It was", length=20)
    assert text.startswith("It was") and len(text) == 26
    assert set(text) <= set(vocabulary)
