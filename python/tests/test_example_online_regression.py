"""examples/python/online_regression.py learns from a live stream: a small network fed by the
vehicle-feed simulator (a subprocess on a loopback port) through StreamDataset and DataLoader
halves its loss on the lateral acceleration, and the stream's counters are reported."""
import pathlib
import runpy

EXAMPLE = (pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"
           / "online_regression.py")


def test_online_regression_loss_falls_and_counters_are_reported():
    example = runpy.run_path(str(EXAMPLE))
    lines = []
    window_losses, counters = example["train"](seconds=4.0, records=8000, log=lines.append)
    assert len(window_losses) >= 2, window_losses
    assert window_losses[-1] < 0.5 * window_losses[0], window_losses
    assert counters["received"] > 0 and counters["malformed"] == 0, counters
    assert counters["consumed"] > 0 and counters["lag"] >= 0, counters
    assert any("lag" in line and "dropped" in line for line in lines[:-1]), lines
    assert lines[-1].startswith("done:"), lines
