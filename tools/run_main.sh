#!/usr/bin/env bash
# The main job: installs what is missing, builds ember, and trains the seed's two-layer network
# from Python (the seed program with `import ember as torch`) and from C++ (examples/cpp).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/tools/setup.sh"
cd "$root"

echo "== Python: examples/python/two_layer_tensor.py"
"$EMBER_PYTHON" examples/python/two_layer_tensor.py | awk 'NR <= 3 || NR % 100 == 0'

cmake --preset release >/dev/null
cmake --build --preset release --target two_layer_tensor
echo "== C++: examples/cpp/two_layer_tensor"
./build/release/examples/cpp/two_layer_tensor | awk 'NR <= 3 || NR % 100 == 0'
