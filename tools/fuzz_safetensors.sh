#!/usr/bin/env bash
# Fuzzes the safetensors loader and the JSON reader with libFuzzer (clang, ASan + UBSan):
#   bash tools/fuzz_safetensors.sh [SECONDS] [extra libFuzzer flags]
# The serialize sources are compiled here with coverage; the layers below come from the release
# build (cmake --build --preset release first). New inputs that found coverage are written to a
# scratch corpus; copy small, interesting ones into tests/fuzz/corpus/safetensors, which the
# ctest safetensors_fuzz_corpus replays.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
lib=$root/build/release/ember
out=$root/build/fuzz
mkdir -p "$out/corpus"
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$root")
clang++ "${flags[@]}" "$root/tests/fuzz/safetensors_fuzz.cpp" "$root"/ember/serialize/json.cpp \
  "$root"/ember/serialize/safetensors.cpp "$root"/ember/serialize/mapped_file.cpp \
  "$lib/libember_autograd.a" "$lib/libember_ops.a" "$lib/libember_backend_cpu.a" \
  "$lib/libember_elementwise.a" "$lib/libember_tensor.a" "$lib/libember_base.a" \
  -ldnnl -lopenblas -lgomp -lpthread -o "$out/safetensors_fuzz"
"$out/safetensors_fuzz" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
  -dict="$root/tests/fuzz/safetensors.dict" "$@" "$out/corpus" "$root/tests/fuzz/corpus/safetensors"
