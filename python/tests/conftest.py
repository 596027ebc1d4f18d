"""Shared pytest setup: the repository root and the C++ build directory, for tests that run the
examples or compare against the C++ front end."""
import os
import pathlib

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
