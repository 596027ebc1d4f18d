#include "ember/tensor/backend_flags.h"

#include <algorithm>
#include <atomic>
#include <cctype>

#include "ember/base/warning.h"

namespace ember {
namespace {

// Atomics: a kernel on one thread may read a switch while another thread sets it.
std::atomic<Float32MatmulPrecision> matmul_precision{Float32MatmulPrecision::kHighest};
std::atomic<bool> cudnn_tf32{true};

}  // namespace

Float32MatmulPrecision float32_matmul_precision() { return matmul_precision.load(); }

void set_float32_matmul_precision(std::string_view precision) {
  std::string name(precision);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (name == "highest") {
    matmul_precision = Float32MatmulPrecision::kHighest;
  } else if (name == "high") {
    matmul_precision = Float32MatmulPrecision::kHigh;
  } else if (name == "medium") {
    matmul_precision = Float32MatmulPrecision::kMedium;
  } else {
    warn("[set_float32_matmul_precision] ", precision,
         " is not one of 'highest', 'high', or 'medium'; the call has no effect");
  }
}

std::string get_float32_matmul_precision() {
  switch (float32_matmul_precision()) {
    case Float32MatmulPrecision::kHighest:
      return "highest";
    case Float32MatmulPrecision::kHigh:
      return "high";
    case Float32MatmulPrecision::kMedium:
      return "medium";
  }
  return "highest";
}

bool allow_tf32_cublas() { return float32_matmul_precision() != Float32MatmulPrecision::kHighest; }

void set_allow_tf32_cublas(bool allow) {
  matmul_precision = allow ? Float32MatmulPrecision::kHigh : Float32MatmulPrecision::kHighest;
}

bool allow_tf32_cudnn() { return cudnn_tf32.load(); }

void set_allow_tf32_cudnn(bool allow) { cudnn_tf32 = allow; }

}  // namespace ember
