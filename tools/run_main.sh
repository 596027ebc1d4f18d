#!/usr/bin/env bash
# The main job: installs what is missing, builds ember, and trains the seed's two-layer network
# (the seed program with `import ember as torch`) and a LeNet-5 CNN on synthetic images that the
# example generates, from Python and from C++ (examples/cpp).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/tools/setup.sh"
cd "$root"

echo "== Python: examples/python/two_layer_tensor.py"
"$EMBER_PYTHON" examples/python/two_layer_tensor.py | awk 'NR <= 3 || NR % 100 == 0'

cmake --preset release >/dev/null
echo "== Python: examples/python/lenet.py"
"$EMBER_PYTHON" examples/python/lenet.py

cmake --build --preset release --target two_layer_tensor lenet
echo "== C++: examples/cpp/two_layer_tensor"
./build/release/examples/cpp/two_layer_tensor | awk 'NR <= 3 || NR % 100 == 0'
echo "== C++: examples/cpp/lenet"
./build/release/examples/cpp/lenet
