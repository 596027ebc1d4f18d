"""Checkpoint-resume parity (RELIABILITY.md T21): a training process killed mid-epoch and resumed
from its last checkpoint (model, optimizer, scheduler, global and per-generator RNG states, epoch)
ends bit-identical to an uninterrupted run; a negative control that skips restoring the RNG
states ends differently, so the comparison can fail."""

import os
import signal
import subprocess
import sys
import textwrap

import ember

TRAIN = textwrap.dedent("""
    import os, sys
    import ember
    from ember.nn.functional import mse_loss

    directory, epochs, restore_rng = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
    checkpoint_path = os.path.join(directory, "last.pt")
    ember.manual_seed(0)
    model = ember.nn.Sequential(ember.nn.Linear(4, 16), ember.nn.Tanh(), ember.nn.Dropout(0.2),
                                ember.nn.Linear(16, 1))
    optimizer = ember.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scheduler = ember.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    data_generator = ember.Generator().manual_seed(1)
    start = 0
    if os.path.exists(checkpoint_path):
        state = ember.load(checkpoint_path)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        if restore_rng:
            ember.set_rng_state(state["rng_state"])
            data_generator.set_state(state["data_rng_state"])
        start = state["epoch"] + 1
    for epoch in range(start, epochs):
        for step in range(5):
            x = ember.randn(32, 4, generator=data_generator)
            optimizer.zero_grad()
            mse_loss(model(x), x.sum(1, keepdim=True).sin()).backward()
            optimizer.step()
            print(f"epoch {epoch} step {step}", flush=True)
        scheduler.step()
        ember.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(), "rng_state": ember.get_rng_state(),
                    "data_rng_state": data_generator.get_state(), "epoch": epoch},
                   checkpoint_path)
    ember.save(model.state_dict(), os.path.join(directory, "final.pt"))
""")
EPOCHS = 5


def run(directory, restore_rng=True):
    subprocess.run([sys.executable, "-c", TRAIN, str(directory), str(EPOCHS),
                    "1" if restore_rng else "0"], check=True, stdout=subprocess.DEVNULL)


def run_and_kill_mid_epoch(directory, kill_at="epoch 2 step 2"):
    process = subprocess.Popen([sys.executable, "-c", TRAIN, str(directory), str(EPOCHS), "1"],
                               stdout=subprocess.PIPE, text=True)
    for line in process.stdout:
        if line.strip() == kill_at:
            process.send_signal(signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert not os.path.exists(directory / "final.pt")
    assert ember.load(directory / "last.pt")["epoch"] == 1


def final_model(directory):
    return ember.load(directory / "final.pt")


def same(a, b):
    return list(a) == list(b) and all(ember.equal(a[key], b[key]) for key in a)


def test_a_killed_run_resumes_bit_identically(tmp_path):
    straight, resumed = tmp_path / "straight", tmp_path / "resumed"
    straight.mkdir()
    resumed.mkdir()
    run(straight)
    run_and_kill_mid_epoch(resumed)
    run(resumed)
    assert same(final_model(straight), final_model(resumed))


def test_negative_control_without_rng_states_differs(tmp_path):
    straight, resumed = tmp_path / "straight", tmp_path / "resumed"
    straight.mkdir()
    resumed.mkdir()
    run(straight)
    run_and_kill_mid_epoch(resumed)
    run(resumed, restore_rng=False)
    assert not same(final_model(straight), final_model(resumed))
