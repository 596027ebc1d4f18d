// Helpers shared by the C++ test files: the message of the error a call raises, a tensor's
// values as doubles (row-major, whatever its dtype and layout), a tensor made from values, a
// random float64 leaf, sample moments, and the warnings a test raises.
#pragma once

#include <numeric>
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/base/warning.h"
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

// A tensor of `dtype` holding `data` in row-major order.
inline Tensor tensor_of(const std::vector<double>& data, IntArrayRef shape,
                        ScalarType dtype = kFloat32) {
  return from_blob_copy(data.data(), shape, kFloat64).to(dtype);
}

inline double mean_of(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// The unbiased sample variance.
inline double variance_of(const std::vector<double>& v) {
  const double mean = mean_of(v);
  double sum = 0;
  for (double x : v) sum += (x - mean) * (x - mean);
  return sum / static_cast<double>(v.size() - 1);
}

// While one lives, warnings are collected in captured() instead of printed.
class WarningCapture {
 public:
  WarningCapture() : previous_(set_warning_handler(&record)) { captured().clear(); }
  ~WarningCapture() { set_warning_handler(previous_); }
  WarningCapture(const WarningCapture&) = delete;
  WarningCapture& operator=(const WarningCapture&) = delete;

  static std::vector<std::string>& captured() {
    static std::vector<std::string> messages;
    return messages;
  }

 private:
  static void record(const std::string& message) { captured().push_back(message); }
  WarningHandler previous_;
};

}  // namespace ember::testing
