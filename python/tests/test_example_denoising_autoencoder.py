"""examples/python/denoising_autoencoder.py learns: on held-out manifold points its
reconstruction of noisy inputs is clearly closer to the clean points than the noisy inputs are."""
import pathlib
import runpy

EXAMPLE = (pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"
           / "denoising_autoencoder.py")


def test_denoising_autoencoder_beats_the_noisy_input_baseline():
    example = runpy.run_path(str(EXAMPLE))
    model, losses, test_loss, baseline = example["train"](steps=300)
    assert abs(baseline - 0.09) < 0.01  # noise std 0.3
    assert test_loss < 0.4 * baseline
    assert sum(losses[-20:]) < 0.2 * sum(losses[:20])
    assert list(model.state_dict())[:2] == ["0.weight", "0.bias"]
