// One example of a dataset (libtorch's torch::data::Example): data and a target, or data alone
// (Example<Tensor, NoTarget>, spelled TensorExample).
#pragma once

#include <utility>

#include "ember/tensor/tensor.h"

namespace ember::data {

// The target of an example that has none.
struct NoTarget {};

template <typename Data = Tensor, typename Target = Tensor>
struct Example {
  using DataType = Data;
  using TargetType = Target;

  Example() = default;
  Example(Data example_data, Target example_target)
      : data(std::move(example_data)), target(std::move(example_target)) {}

  Data data;
  Target target;
};

// An example without a target.
template <typename Data>
struct Example<Data, NoTarget> {
  using DataType = Data;
  using TargetType = NoTarget;

  Example() = default;
  Example(Data example_data) : data(std::move(example_data)) {}  // NOLINT: implicit as libtorch's
  operator Data&() { return data; }                              // NOLINT
  operator const Data&() const { return data; }                  // NOLINT

  Data data;
};

using TensorExample = Example<Tensor, NoTarget>;

}  // namespace ember::data
