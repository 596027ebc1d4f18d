// The linear layers (libtorch's torch/nn/modules/linear.h): Identity, Linear, Flatten,
// Unflatten, Bilinear. Each Impl registers PyTorch's parameters in PyTorch's order, initialises
// them with PyTorch's distributions (reset_parameters) and forwards to one op.
#pragma once

#include <cstdint>
#include <ostream>
#include <vector>

#include "ember/nn/module.h"
#include "ember/nn/options/linear.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {

// Returns its input.
class IdentityImpl : public Module {
 public:
  void reset() {}
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& stream) const override;
};
EMBER_MODULE(Identity);

// y = x W^T + b with W (out_features, in_features) ~ kaiming_uniform_(a = sqrt(5)) and
// b ~ U(-1/sqrt(in_features), 1/sqrt(in_features)).
class LinearImpl : public Module {
 public:
  LinearImpl(int64_t in_features, int64_t out_features)
      : LinearImpl(LinearOptions(in_features, out_features)) {}
  explicit LinearImpl(const LinearOptions& options_);

  // Registers the parameters and initialises them (the constructor calls it).
  void reset();
  void reset_parameters();
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& stream) const override;

  LinearOptions options;
  Tensor weight;
  Tensor bias;  // undefined with bias(false)
};
EMBER_MODULE(Linear);

// Flattens dims start_dim..end_dim into one.
class FlattenImpl : public Module {
 public:
  explicit FlattenImpl(const FlattenOptions& options_ = {});
  void reset() {}
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& stream) const override;

  FlattenOptions options;
};
EMBER_MODULE(Flatten);

// Splits dim `dim` into `sizes`.
class UnflattenImpl : public Module {
 public:
  UnflattenImpl(int64_t dim, std::vector<int64_t> sizes)
      : UnflattenImpl(UnflattenOptions(dim, std::move(sizes))) {}
  explicit UnflattenImpl(UnflattenOptions options_);
  void reset() {}
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& stream) const override;

  UnflattenOptions options;
};
EMBER_MODULE(Unflatten);

// y = x1^T A x2 + b with A (out, in1, in2) and b (out) ~ U(-1/sqrt(in1), 1/sqrt(in1)).
class BilinearImpl : public Module {
 public:
  BilinearImpl(int64_t in1_features, int64_t in2_features, int64_t out_features)
      : BilinearImpl(BilinearOptions(in1_features, in2_features, out_features)) {}
  explicit BilinearImpl(const BilinearOptions& options_);

  void reset();
  void reset_parameters();
  Tensor forward(const Tensor& input1, const Tensor& input2);
  void pretty_print(std::ostream& stream) const override;

  BilinearOptions options;
  Tensor weight;
  Tensor bias;
};
EMBER_MODULE(Bilinear);

}  // namespace ember::nn
