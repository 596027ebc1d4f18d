// Collates a batch of examples into one example of stacked tensors (libtorch's Stack<>): data
// [batch, ...] and target [batch, ...]. An empty batch is an error (no shape to stack).
#pragma once

#include <utility>
#include <vector>

#include "ember/base/error.h"
#include "ember/data/example.h"
#include "ember/data/transforms/base.h"
#include "ember/ops/shape.h"

namespace ember::data::transforms {

template <typename ExampleType = Example<>>
struct Stack;

template <>
struct Stack<Example<>> : public BatchTransform<std::vector<Example<>>, Example<>> {
  Example<> apply_batch(std::vector<Example<>> examples) override {
    EMBER_CHECK_VALUE(!examples.empty(),
                      "[transforms::Stack] expected a batch of at least one example; got none");
    std::vector<Tensor> data, targets;
    data.reserve(examples.size());
    targets.reserve(examples.size());
    for (auto& example : examples) {
      data.push_back(std::move(example.data));
      targets.push_back(std::move(example.target));
    }
    return {ember::stack(data), ember::stack(targets)};
  }
};

template <>
struct Stack<TensorExample> : public BatchTransform<std::vector<TensorExample>, TensorExample> {
  TensorExample apply_batch(std::vector<TensorExample> examples) override {
    EMBER_CHECK_VALUE(!examples.empty(),
                      "[transforms::Stack] expected a batch of at least one example; got none");
    std::vector<Tensor> data;
    data.reserve(examples.size());
    for (auto& example : examples) {
      data.push_back(std::move(example.data));
    }
    return ember::stack(data);
  }
};

}  // namespace ember::data::transforms
