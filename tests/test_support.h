// Helpers shared by the C++ test files: the message of the error a call raises, a tensor's
// values as doubles (row-major, whatever its dtype and layout), and a random float64 leaf.
#pragma once

#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
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

// values and leaf need the ops layer: tests of lower layers use message_of only.
inline std::vector<double> values(const Tensor& t) {
  Tensor flat = t.to(kFloat64).contiguous();
  return std::vector<double>(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
}

// A float64 leaf that requires grad, uniform in [low, high): gradcheck's usual input.
inline Tensor leaf(IntArrayRef shape, double low = -1.0, double high = 1.0) {
  Tensor t = empty(shape, kFloat64);
  t.uniform_(low, high);
  return t.requires_grad_();
}

}  // namespace ember::testing
