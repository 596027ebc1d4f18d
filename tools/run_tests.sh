#!/usr/bin/env bash
# Builds and runs every test: the C++ suites under ctest (release build with warnings as errors,
# then the dev build with AddressSanitizer and UndefinedBehaviorSanitizer) and the Python suite
# under pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/tools/setup.sh"
cd "$root"

cmake --preset release
cmake --build --preset release
ctest --preset release -j2

cmake --preset dev
cmake --build --preset dev
ctest --preset dev -j2

"$EMBER_PYTHON" -m pytest -q python/tests
