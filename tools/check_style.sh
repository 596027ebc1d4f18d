#!/usr/bin/env bash
# The style gate CI runs before building: ruff over the Python sources (rules in pyproject.toml)
# and clang-format (rules in .clang-format) over every tracked C++/CUDA file, in check mode. Fix
# a finding with `ruff check --fix` / `clang-format -i FILE`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
ruff="${RUFF:-$root/.venv/bin/ruff}"

status=0
"$ruff" check . || status=1
# -z/-0: file names pass through intact whatever characters they hold.
git ls-files -z '*.cpp' '*.h' '*.cuh' '*.cu' |
  xargs -0 --no-run-if-empty clang-format --dry-run --Werror || status=1
exit "$status"
