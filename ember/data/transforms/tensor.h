// Transforms of an example's data tensor, its target untouched (libtorch's TensorTransform,
// TensorLambda and Normalize).
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "ember/base/array_ref.h"
#include "ember/base/error.h"
#include "ember/data/example.h"
#include "ember/data/transforms/base.h"
#include "ember/ops/ops.h"

namespace ember::data::transforms {

template <typename Target = Tensor>
class TensorTransform : public Transform<Example<Tensor, Target>, Example<Tensor, Target>> {
 public:
  using E = Example<Tensor, Target>;

  virtual Tensor operator()(Tensor input) = 0;

  E apply(E input) override {
    input.data = (*this)(std::move(input.data));
    return input;
  }
};

template <typename Target = Tensor>
class TensorLambda : public TensorTransform<Target> {
 public:
  using FunctionType = std::function<Tensor(Tensor)>;
  explicit TensorLambda(FunctionType function) : function_(std::move(function)) {}
  Tensor operator()(Tensor input) override { return function_(std::move(input)); }

 private:
  FunctionType function_;
};

// (data - mean) / stddev, with one mean and stddev per channel (the data's first dimension) or
// one for all.
template <typename Target = Tensor>
class Normalize : public TensorTransform<Target> {
 public:
  Normalize(double mean, double stddev)
      : Normalize(std::vector<double>{mean}, std::vector<double>{stddev}) {}
  Normalize(ArrayRef<double> mean, ArrayRef<double> stddev)
      : mean_(channel_values(mean, "mean")), stddev_(channel_values(stddev, "stddev")) {
    EMBER_CHECK_VALUE(mean.size() == stddev.size(),
                      "[transforms::Normalize] expected as many "
                      "means as standard deviations; got ",
                      mean.size(), " and ", stddev.size());
  }

  Tensor operator()(Tensor input) override { return input.sub(mean_).div(stddev_); }

 private:
  // The values as a float tensor of shape [channels, 1, 1], which broadcasts over [C, H, W].
  static Tensor channel_values(ArrayRef<double> values, const char* name) {
    EMBER_CHECK_VALUE(!values.empty(), "[transforms::Normalize] expected at least one ", name,
                      "; got none");
    std::vector<float> floats(values.begin(), values.end());
    return from_blob_copy(floats.data(), {static_cast<int64_t>(floats.size()), 1, 1}, kFloat32);
  }

  Tensor mean_, stddev_;
};

}  // namespace ember::data::transforms
