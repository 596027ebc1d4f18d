"""Shared pytest setup: the repository root and the C++ build directory, for tests that run the
examples or compare against the C++ front end, and the streams tests' simulator."""
import os
import pathlib
import subprocess
import sys

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo_root():
    return REPO_ROOT


@pytest.fixture(scope="session")
def cpp_build_dir():
    """The C++ release build, if present (tools/run_tests.sh builds it before pytest runs)."""
    build = pathlib.Path(os.environ.get("EMBER_CPP_BUILD", REPO_ROOT / "build" / "release"))
    return build if build.is_dir() else None


@pytest.fixture
def simulator():
    """Starts `python -m ember.data.streams.simulate` with the given options; yields its port (the
    streams tests' loopback sensor feed)."""
    processes = []

    def start(*options):
        process = subprocess.Popen(
            [sys.executable, "-m", "ember.data.streams.simulate", "--port", "0", *options],
            stdout=subprocess.PIPE, text=True)
        processes.append(process)
        words = process.stdout.readline().split()
        assert words[:1] == ["listening"], words
        return int(words[2])

    yield start
    for process in processes:
        process.kill()
        process.wait(timeout=10.0)
