"""The dynamic-graph examples learn: a hand-unrolled RNN over sequences of varying length and a
recursive network over random binary trees (a new graph per sample), on small settings."""
import pathlib
import runpy

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"


@pytest.mark.parametrize("name, steps", [("rnn_varying_length", 600), ("tree_recursive", 600)])
def test_example_learns(name, steps):
    train = runpy.run_path(str(EXAMPLES / f"{name}.py"))["train"]
    losses = train(steps)
    first, last = losses[:100], losses[-100:]
    assert sum(last) / len(last) < 0.4 * sum(first) / len(first)
