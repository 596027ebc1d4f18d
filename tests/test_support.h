// Helpers shared by the C++ test files: the message of the error a call raises, and a tensor's
// values as doubles (row-major, whatever its dtype and layout).
#pragma once

#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/tensor/tensor.h"

namespace ember::testing {

// The what() of the ember::Error that fn throws, or "" when it throws none.
template <typename Fn>
std::string message_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

// Needs the ops layer (to/contiguous): tests of lower layers use message_of only.
inline std::vector<double> values(const Tensor& t) {
  Tensor flat = t.to(kFloat64).contiguous();
  return std::vector<double>(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
}

}  // namespace ember::testing
