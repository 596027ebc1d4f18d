#!/usr/bin/env bash
# Builds and runs every test: the C++ suites under ctest (release build, warnings as errors)
# and the Python suite under pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/tools/setup.sh"
cd "$root"

cmake --preset release
cmake --build --preset release
ctest --preset release -j2

"$EMBER_PYTHON" -m pytest -q python/tests
