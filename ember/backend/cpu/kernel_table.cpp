#include "ember/backend/cpu/kernel_table.h"

namespace ember::cpu {
namespace {

KernelTable build_table() {
  KernelTable table{};
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) {
    table.isa = "avx512";
    avx512::fill_unary(table);
    avx512::fill_binary(table);
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    table.isa = "avx2";
    avx2::fill_unary(table);
    avx2::fill_binary(table);
  } else {
    table.isa = "generic";
    generic::fill_unary(table);
    generic::fill_binary(table);
  }
  return table;
}

}  // namespace

const KernelTable& kernels() {
  static const KernelTable table = build_table();
  return table;
}

}  // namespace ember::cpu
