// What the engines' collective tests share (Gloo's in threads, MPI's under mpirun): each rank's
// deterministic input and the reduction the group should compute from every rank's, in doubles.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "ember/distributed/types.h"
#include "ember/ops/ops.h"

namespace ember::distributed::collective_test {

// Rank r's element i: small integers, exact in every dtype tested (products of three stay below
// 127, so int8 holds them).
inline double test_value(int rank, int64_t i) { return static_cast<double>(rank + 1 + i % 3); }

inline std::vector<double> test_values(int rank, int64_t n, int64_t offset = 0) {
  std::vector<double> values(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) values[static_cast<size_t>(i)] = test_value(rank, i + offset);
  return values;
}

inline Tensor make(const std::vector<double>& values, ScalarType dtype) {
  return tensor(values, TensorOptions(kFloat64)).to(dtype);
}

inline std::vector<double> read(const Tensor& t) {
  const Tensor doubles = t.to(kFloat64).contiguous();
  const double* data = doubles.data_ptr<double>();
  return std::vector<double>(data, data + doubles.numel());
}

inline double combine(ReduceOp op, double a, double b) {
  switch (op) {
    case ReduceOp::Sum:
    case ReduceOp::Avg:
      return a + b;
    case ReduceOp::Product:
      return a * b;
    case ReduceOp::Min:
      return std::min(a, b);
    case ReduceOp::Max:
      return std::max(a, b);
  }
  return 0;
}

// The reduction over every rank of test_value(r, i + offset); bool results are 0 or 1.
inline std::vector<double> expected_reduction(ReduceOp op, int size, int64_t n,
                                              ScalarType dtype = kFloat32, int64_t offset = 0) {
  std::vector<double> result = test_values(0, n, offset);
  for (int r = 1; r < size; ++r) {
    const std::vector<double> other = test_values(r, n, offset);
    for (size_t i = 0; i < result.size(); ++i) result[i] = combine(op, result[i], other[i]);
  }
  for (double& value : result) {
    if (op == ReduceOp::Avg) value /= size;
    if (dtype == kBool) value = value != 0 ? 1 : 0;
  }
  return result;
}

}  // namespace ember::distributed::collective_test
