// The normalization layers (libtorch's torch/nn/modules/{batchnorm,instancenorm,
// normalization}.h): BatchNorm1d/2d/3d, InstanceNorm1d/2d/3d, LayerNorm and GroupNorm, with
// PyTorch's parameters (weight ones, bias zeros) and buffers (running_mean zeros, running_var
// ones, num_batches_tracked 0) in PyTorch's order, forwarding to the ops of ember/ops/nn_norm.h.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "ember/nn/module.h"
#include "ember/nn/options/normalization.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {

// What BatchNorm and InstanceNorm share (libtorch's NormImplBase): the affine parameters and the
// running statistics (undefined where switched off), reset and printing.
class NormImplBase : public Module {
 public:
  void reset();
  void reset_running_stats();
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;

  BatchNormOptions options;
  Tensor weight;
  Tensor bias;
  Tensor running_mean;
  Tensor running_var;
  Tensor num_batches_tracked;

 protected:
  // layer: the printed name ("BatchNorm2d"); spatial_dims: 1, 2 or 3.
  NormImplBase(const BatchNormOptions& options_, std::string layer, int64_t spatial_dims);
  // The input's rank checked against the layer's: a batch dim, the channels and the spatial dims,
  // or `other_rank` (0: none) where the layer also takes that.
  void check_input_dim(const Tensor& input, int64_t other_rank) const;

  std::string layer_;
  int64_t spatial_dims_;
};

// Normalizes each channel with the batch's statistics in training (updating the running ones,
// momentum std::nullopt: their cumulative average) and the running ones in eval mode.
class BatchNormImplBase : public NormImplBase {
 public:
  Tensor forward(const Tensor& input);

 protected:
  using NormImplBase::NormImplBase;
};

// Normalizes each channel of each sample over its spatial dims; inputs without a batch dim are
// accepted.
class InstanceNormImplBase : public NormImplBase {
 public:
  Tensor forward(const Tensor& input);

 protected:
  using NormImplBase::NormImplBase;
};

#define EMBER_NORM_LAYER(Name, Base, Options, spatial_dims)                                        \
  class Name##Impl : public Base {                                                                 \
   public:                                                                                         \
    explicit Name##Impl(const BatchNormOptions& options_) : Base(options_, #Name, spatial_dims) {} \
    explicit Name##Impl(int64_t num_features) : Name##Impl(Options(num_features)) {}               \
  };                                                                                               \
  EMBER_MODULE(Name)

EMBER_NORM_LAYER(BatchNorm1d, BatchNormImplBase, BatchNormOptions, 1);
EMBER_NORM_LAYER(BatchNorm2d, BatchNormImplBase, BatchNormOptions, 2);
EMBER_NORM_LAYER(BatchNorm3d, BatchNormImplBase, BatchNormOptions, 3);
EMBER_NORM_LAYER(InstanceNorm1d, InstanceNormImplBase, InstanceNormOptions, 1);
EMBER_NORM_LAYER(InstanceNorm2d, InstanceNormImplBase, InstanceNormOptions, 2);
EMBER_NORM_LAYER(InstanceNorm3d, InstanceNormImplBase, InstanceNormOptions, 3);
#undef EMBER_NORM_LAYER

// Normalizes the last normalized_shape dims; weight and bias of that shape when
// elementwise_affine.
class LayerNormImpl : public Module {
 public:
  LayerNormImpl(std::vector<int64_t> normalized_shape)  // NOLINT(google-explicit-constructor)
      : LayerNormImpl(LayerNormOptions(std::move(normalized_shape))) {}
  explicit LayerNormImpl(const LayerNormOptions& options_);
  void reset();
  void reset_parameters();
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& stream) const override;

  LayerNormOptions options;
  Tensor weight;
  Tensor bias;
};
EMBER_MODULE(LayerNorm);

// Normalizes each group of num_channels / num_groups channels of each sample; weight and bias
// per channel when affine.
class GroupNormImpl : public Module {
 public:
  GroupNormImpl(int64_t num_groups, int64_t num_channels)
      : GroupNormImpl(GroupNormOptions(num_groups, num_channels)) {}
  explicit GroupNormImpl(const GroupNormOptions& options_);
  void reset();
  void reset_parameters();
  Tensor forward(const Tensor& input);
  void pretty_print(std::ostream& stream) const override;

  GroupNormOptions options;
  Tensor weight;
  Tensor bias;
};
EMBER_MODULE(GroupNorm);

}  // namespace ember::nn
