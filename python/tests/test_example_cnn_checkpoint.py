"""examples/python/cnn_checkpoint.py learns through a 2-worker DataLoader, and a run resumed from
its per-epoch checkpoint ends bit-identical to one that was never stopped."""
import pathlib
import runpy

import ember

EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python" / "cnn_checkpoint.py"


def test_resumed_training_matches_an_uninterrupted_run(tmp_path):
    example = runpy.run_path(str(EXAMPLE))
    train = example["train"]
    whole_model, whole_losses, whole_start = train(tmp_path / "whole.ckpt", 4)
    assert whole_start == 0
    assert whole_losses[-1] < 0.5 * whole_losses[0]

    _, first_losses, _ = train(tmp_path / "split.ckpt", 2)
    after_two_epochs = ember.load(tmp_path / "split.ckpt")
    resumed_model, resumed_losses, resumed_start = train(tmp_path / "split.ckpt", 4)
    assert resumed_start == 2
    assert first_losses + resumed_losses == whole_losses
    for name, tensor in whole_model.state_dict().items():
        assert ember.equal(resumed_model.state_dict()[name], tensor), name

    # The negative control: the same checkpoint with another loader generator state resumes
    # with other batches, so the comparison above can fail.
    other_order = ember.Generator()
    other_order.manual_seed(1)
    after_two_epochs["loader_generator"] = other_order.get_state()
    ember.save(after_two_epochs, tmp_path / "other.ckpt")
    _, other_losses, _ = train(tmp_path / "other.ckpt", 4)
    assert other_losses != whole_losses[2:]
