"""Checkpoints across languages: a model, its Adam optimizer, a StepLR schedule, the global RNG
state and the epoch counter trained N epochs in C++ (cross_language_train.cpp), saved, loaded in
Python and trained M more epochs end bit-identical to N+M epochs in C++ alone; and back (N in
Python, M in C++). The C++ program comes from EMBER_CROSS_LANGUAGE_TRAIN or the release build."""

import os
import pathlib
import subprocess

import pytest

import ember
from ember.nn.functional import mse_loss

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROGRAM = os.environ.get(
    "EMBER_CROSS_LANGUAGE_TRAIN",
    str(ROOT / "build" / "release" / "tests" / "cross_language" / "cross_language_train"))
STEPS_PER_EPOCH = 3
LEARNING_RATE = 0.01

pytestmark = pytest.mark.skipif(not os.path.exists(PROGRAM),
                                reason="cross_language_train is not built")


class Net(ember.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = ember.nn.Linear(4, 8)
        self.fc2 = ember.nn.Linear(8, 1)

    def forward(self, x):
        return self.fc2(self.fc1(x).relu())


class Run:
    """What cross_language_train.cpp's Run holds, in Python."""

    def __init__(self):
        ember.manual_seed(0)
        self.net = Net()
        # weight_decay as the float C++'s options hold, so that both write the same bytes.
        self.adam = ember.optim.Adam(self.net.parameters(), lr=LEARNING_RATE, weight_decay=0.0)
        self.scheduler = ember.optim.lr_scheduler.StepLR(self.adam, step_size=2, gamma=0.5)
        self.epoch = 0

    def train_epoch(self):
        for _ in range(STEPS_PER_EPOCH):
            x = ember.randn(8, 4)
            y = (x * x).sum(1, keepdim=True)
            self.adam.zero_grad()
            mse_loss(self.net(x), y).backward()
            self.adam.step()
        self.scheduler.step()
        self.epoch += 1

    def save(self, path):
        ember.save({"model": self.net.state_dict(), "optimizer": self.adam.state_dict(),
                    "scheduler": self.scheduler.state_dict(), "rng_state": ember.get_rng_state(),
                    "epoch": self.epoch}, path)

    def load(self, path):
        checkpoint = ember.load(path)
        self.net.load_state_dict(checkpoint["model"])
        self.adam.load_state_dict(checkpoint["optimizer"])
        self.scheduler.load_state_dict(checkpoint["scheduler"])
        ember.set_rng_state(checkpoint["rng_state"])
        self.epoch = checkpoint["epoch"]


def cpp(*args):
    subprocess.run([PROGRAM, *map(str, args)], check=True)


def assert_same_model(path_a, path_b):
    a, b = ember.load(path_a), ember.load(path_b)
    assert list(a) == list(b) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    for key in a:
        assert ember.equal(a[key], b[key]), key


@pytest.mark.parametrize("first, then", [(2, 3), (3, 1)])
def test_cpp_checkpoint_resumes_in_python_bit_identically(tmp_path, first, then):
    cpp("straight", first + then, tmp_path / "straight.pt")
    cpp("save", first, tmp_path / "checkpoint.pt")
    run = Run()
    run.load(tmp_path / "checkpoint.pt")
    assert run.epoch == first
    assert run.scheduler.last_epoch == first
    for _ in range(then):
        run.train_epoch()
    ember.save(run.net.state_dict(), tmp_path / "resumed.pt")
    assert_same_model(tmp_path / "straight.pt", tmp_path / "resumed.pt")
    # Python and C++ write the same bytes for the same state dict.
    assert (tmp_path / "straight.pt").read_bytes() == (tmp_path / "resumed.pt").read_bytes()


@pytest.mark.parametrize("first, then", [(2, 3), (3, 1)])
def test_python_checkpoint_resumes_in_cpp_bit_identically(tmp_path, first, then):
    cpp("straight", first + then, tmp_path / "straight.pt")
    run = Run()
    for _ in range(first):
        run.train_epoch()
    run.save(tmp_path / "checkpoint.pt")
    cpp("resume", tmp_path / "checkpoint.pt", then, tmp_path / "resumed.pt")
    assert_same_model(tmp_path / "straight.pt", tmp_path / "resumed.pt")


def test_python_alone_matches_cpp_alone(tmp_path):
    """The baseline both directions rely on: the same training in either language."""
    cpp("straight", 4, tmp_path / "cpp.pt")
    run = Run()
    for _ in range(4):
        run.train_epoch()
    ember.save(run.net.state_dict(), tmp_path / "python.pt")
    assert_same_model(tmp_path / "cpp.pt", tmp_path / "python.pt")


def test_cpp_and_python_write_byte_identical_checkpoints(tmp_path):
    """The whole checkpoint, optimizer included: C++ lists each param group's options and each
    parameter's state in PyTorch's order, as the Python optimizer does."""
    cpp("save", 2, tmp_path / "cpp.pt")
    run = Run()
    for _ in range(2):
        run.train_epoch()
    run.save(tmp_path / "python.pt")
    assert list(ember.load(tmp_path / "cpp.pt")["optimizer"]["param_groups"][0]) == [
        "lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "foreach", "capturable",
        "differentiable", "fused", "decoupled_weight_decay", "initial_lr", "params"]
    assert (tmp_path / "cpp.pt").read_bytes() == (tmp_path / "python.pt").read_bytes()


def test_a_wrong_resume_is_detected(tmp_path):
    """Negative control: resuming without the RNG state diverges, so the tests above can fail."""
    cpp("straight", 4, tmp_path / "straight.pt")
    cpp("save", 2, tmp_path / "checkpoint.pt")
    run = Run()
    run.load(tmp_path / "checkpoint.pt")
    ember.manual_seed(1)
    for _ in range(2):
        run.train_epoch()
    ember.save(run.net.state_dict(), tmp_path / "resumed.pt")
    with pytest.raises(AssertionError):
        assert_same_model(tmp_path / "straight.pt", tmp_path / "resumed.pt")
