#!/usr/bin/env bash
# The GPU check (issue 14), for a machine with an NVIDIA GPU and the CUDA toolkit: builds ember
# with CUDA for the GPU it finds, runs every C++ test (the CUDA ones run instead of skipping),
# builds the Python package and runs the CUDA tests of the Python suite, then, where PyTorch with
# CUDA is installed, the GPU benchmarks beside it (benchmarks/python/bench_cuda.py), appending
# their table to bench/RESULTS.md. Sized to finish within 8 minutes on one GPU and 16 cores.
# Needs no network: the Python part runs when numpy, nanobind and scikit-build-core are already
# installed for python3 (it says so and skips otherwise).
#
#     bash tools/gpu_check.sh [--no-bench]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if ! command -v nvcc >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then
  export PATH="/usr/local/cuda/bin:$PATH"
fi
nvidia-smi -L || { echo "gpu_check: no NVIDIA GPU visible (nvidia-smi failed)"; exit 1; }
jobs="$(nproc)"
build=build/gpu
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)

echo "[gpu_check] C++ build for this GPU"
cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DEMBER_CUDA=ON \
  -DCMAKE_CUDA_ARCHITECTURES=native -DEMBER_TESTS=ON -DEMBER_BENCHMARKS=OFF
cmake --build "$build" -j "$jobs"
echo "[gpu_check] C++ tests"
ctest --test-dir "$build" -j "$jobs" --timeout 300 --output-on-failure

python=python3
if "$python" -c "import numpy, nanobind, scikit_build_core, pytest" 2>/dev/null; then
  echo "[gpu_check] Python package and its CUDA tests"
  venv="$build/venv"
  [ -x "$venv/bin/python" ] || "$python" -m venv --system-site-packages "$venv"
  CMAKE_BUILD_PARALLEL_LEVEL="$jobs" "$venv/bin/python" -m pip install -q --no-build-isolation \
    --no-deps -C cmake.define.CMAKE_CUDA_ARCHITECTURES=native "$root"
  (cd /tmp && "$venv/bin/python" -m pytest -q "$root"/python/tests/test_cuda*.py)
  if [ "${1:-}" != "--no-bench" ]; then
    echo "[gpu_check] GPU benchmarks beside PyTorch"
    (cd /tmp && "$venv/bin/python" "$root/benchmarks/python/bench_cuda.py" --repeats 10 \
      --write "$root/bench/RESULTS.md")
  fi
else
  echo "[gpu_check] skipped the Python part: python3 lacks numpy, nanobind, scikit-build-core or pytest"
fi
echo "[gpu_check] done"
