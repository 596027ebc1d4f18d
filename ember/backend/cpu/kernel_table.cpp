#include "ember/backend/cpu/kernel_table.h"

#include <cstdlib>
#include <string>

#include "ember/base/error.h"

namespace ember::cpu {

std::string_view capability_name(CpuCapability capability) {
  switch (capability) {
    case CpuCapability::Default:
      return "default";
    case CpuCapability::Avx2:
      return "avx2";
    case CpuCapability::Avx512:
      return "avx512";
  }
  return "default";
}

std::optional<CpuCapability> parse_capability(std::string_view name) {
  for (CpuCapability capability :
       {CpuCapability::Default, CpuCapability::Avx2, CpuCapability::Avx512}) {
    if (name == capability_name(capability)) return capability;
  }
  return std::nullopt;
}

CpuCapability supported_capability() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) {
    return CpuCapability::Avx512;
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return CpuCapability::Avx2;
#endif
  return CpuCapability::Default;
}

CpuCapability select_capability(const char* requested) {
  const CpuCapability supported = supported_capability();
  if (requested == nullptr || *requested == '\0') return supported;
  const std::optional<CpuCapability> capability = parse_capability(requested);
  EMBER_CHECK_VALUE(capability.has_value(),
                    "[cpu dispatch] EMBER_CPU_CAPABILITY must be default, avx2 or avx512; got '",
                    std::string(requested), "'");
  return std::min(*capability, supported);
}

KernelTable make_kernel_table(CpuCapability capability) {
  KernelTable table{};
  table.capability = capability;
  switch (capability) {
    case CpuCapability::Avx512:
      avx512::fill_unary(table);
      avx512::fill_binary(table);
      avx512::fill_reduce(table);
      avx512::fill_arg_reduce(table);
      break;
    case CpuCapability::Avx2:
      avx2::fill_unary(table);
      avx2::fill_binary(table);
      avx2::fill_reduce(table);
      avx2::fill_arg_reduce(table);
      break;
    case CpuCapability::Default:
      generic::fill_unary(table);
      generic::fill_binary(table);
      generic::fill_reduce(table);
      generic::fill_arg_reduce(table);
      break;
  }
  return table;
}

const KernelTable& kernels() {
  static const KernelTable table =
      make_kernel_table(select_capability(std::getenv("EMBER_CPU_CAPABILITY")));
  return table;
}

}  // namespace ember::cpu
