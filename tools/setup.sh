#!/usr/bin/env bash
# Installs what ember needs on a Debian 12 machine (apt for the toolchain and C++ libraries,
# PyPI for the Python build tools) and creates the virtual environment .venv. Idempotent: a
# second run installs nothing. Sourced by run_main.sh and run_tests.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# libgloo-dev, libopenmpi-dev and openmpi-bin: ember.distributed's Gloo and MPI engines (issue 15).
apt_packages=(build-essential cmake ninja-build ccache pkg-config libdnnl-dev libopenblas-dev
              libgtest-dev libgmock-dev libbenchmark-dev python3-venv clang-format
              libgloo-dev libopenmpi-dev openmpi-bin)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "[setup] installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Paths under the checkout enter ccache's keys relative to it, so clones in other folders (CI's
# fresh clone) reuse each other's cached objects.
export CCACHE_BASEDIR="$root"

# The CUDA toolkit's usual home, for a shell that did not read /etc/profile.d: CMake builds the
# CUDA backend when it finds nvcc (a CPU-only build otherwise).
if ! command -v nvcc >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then
  export PATH="/usr/local/cuda/bin:$PATH"
fi

venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
# ruff is pinned: a new release adds rules, and CI's style gate must not change under a commit.
# tqdm and the PyPI safetensors package are test dependencies (interop tests); so is gymnasium
# (ember.env's environments are tested beside Gymnasium's).
"$venv/bin/python" -m pip install -q numpy scipy pytest tqdm safetensors nanobind scikit-build-core gymnasium \
  ruff==0.17.6

# The Python package: an incremental build in build/python-* (ccache makes rebuilds cheap).
# One compiler name for both builds: ccache keys on the name, and the package's CMake picked g++
# where the presets' picked c++ (one compiler), so CI compiled every library source twice.
export CXX="${CXX:-c++}"
"$venv/bin/python" -m pip install -q --no-build-isolation "$root"
export EMBER_PYTHON="$venv/bin/python"
