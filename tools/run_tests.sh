#!/usr/bin/env bash
# Checks style (tools/check_style.sh), then builds and runs every test: the C++ suites under
# ctest (release build with warnings as errors, then the dev build with AddressSanitizer and
# UndefinedBehaviorSanitizer) and the Python suite under pytest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/tools/setup.sh"
cd "$root"

# Style first: a ruff or clang-format finding fails in seconds, before any build.
bash tools/check_style.sh

cmake --preset release
cmake --build --preset release
ctest --preset release -j2

cmake --preset dev
cmake --build --preset dev
ctest --preset dev -j2

"$EMBER_PYTHON" -m pytest -q python/tests
