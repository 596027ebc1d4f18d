#!/usr/bin/env bash
# Fuzzes the checkpoint loader (ember.load / ember::load) with libFuzzer (clang, ASan + UBSan):
#   bash tools/fuzz_checkpoint.sh [SECONDS] [extra libFuzzer flags]
# The serialize and checkpoint sources are compiled here with coverage; the layers below come
# from the release build (cmake --build --preset release first). Copy small, interesting new
# inputs from build/fuzz/checkpoint_corpus into tests/fuzz/corpus/checkpoint, which the ctest
# checkpoint_fuzz_corpus replays.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
lib=$root/build/release/ember
out=$root/build/fuzz
mkdir -p "$out/checkpoint_corpus"
flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$root")
clang++ "${flags[@]}" "$root/tests/fuzz/checkpoint_fuzz.cpp" "$root"/ember/checkpoint/checkpoint.cpp \
  "$root"/ember/checkpoint/value.cpp "$root"/ember/serialize/json.cpp \
  "$root"/ember/serialize/safetensors.cpp "$root"/ember/serialize/mapped_file.cpp \
  "$lib/libember_autograd.a" "$lib/libember_ops.a" "$lib/libember_backend_cpu.a" \
  "$lib/libember_elementwise.a" "$lib/libember_tensor.a" "$lib/libember_base.a" \
  -ldnnl -lopenblas -lgomp -lpthread -o "$out/checkpoint_fuzz"
"$out/checkpoint_fuzz" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
  -dict="$root/tests/fuzz/checkpoint.dict" "$@" "$out/checkpoint_corpus" \
  "$root/tests/fuzz/corpus/checkpoint"
