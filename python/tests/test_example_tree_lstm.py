"""examples/python/tree_lstm.py learns: the binary Tree-LSTM over randomly shaped trees (a new
graph per sample, leaves through nn.LSTMCell) predicts the sum of the leaves, on small settings."""
import pathlib
import runpy

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python" / "tree_lstm.py"


def test_tree_lstm_learns_the_leaf_sum():
    losses = runpy.run_path(str(EXAMPLE))["train"](steps=400)
    first, last = losses[:100], losses[-100:]
    assert sum(last) / len(last) < 0.4 * sum(first) / len(first)
