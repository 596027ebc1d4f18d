// The normalization layers of normalization.h.
#include "ember/nn/modules/normalization.h"

#include "ember/base/error.h"
#include "ember/nn/options/loss.h"
#include "ember/ops/nn_init.h"
#include "ember/ops/nn_norm.h"
#include "ember/ops/ops.h"

namespace ember::nn {
namespace {

// weight and bias of `shape` where affine, else both registered undefined (as libtorch's).
void register_affine(Module& module, bool affine, IntArrayRef shape, Tensor& weight, Tensor& bias,
                     bool with_bias = true) {
  if (affine) {
    weight = module.register_parameter("weight", empty(shape));
    bias = with_bias ? module.register_parameter("bias", empty(shape))
                     : module.register_parameter("bias", Tensor(), /*requires_grad=*/false);
  } else {
    weight = module.register_parameter("weight", Tensor(), /*requires_grad=*/false);
    bias = module.register_parameter("bias", Tensor(), /*requires_grad=*/false);
  }
}

// PyTorch's initial affine parameters: weight ones, bias zeros.
void reset_affine(bool affine, Tensor& weight, Tensor& bias) {
  if (!affine) return;
  init::ones_(weight);
  if (bias.defined()) init::zeros_(bias);
}

}  // namespace

NormImplBase::NormImplBase(const BatchNormOptions& options_, std::string layer,
                           int64_t spatial_dims)
    : options(options_), layer_(std::move(layer)), spatial_dims_(spatial_dims) {
  reset();
}

void NormImplBase::reset() {
  const int64_t features = options.num_features();
  register_affine(*this, options.affine(), {features}, weight, bias);
  if (options.track_running_stats()) {
    running_mean = register_buffer("running_mean", zeros({features}));
    running_var = register_buffer("running_var", ones({features}));
    num_batches_tracked = register_buffer("num_batches_tracked", zeros({}, kLong));
  } else {
    running_mean = register_buffer("running_mean", Tensor());
    running_var = register_buffer("running_var", Tensor());
    num_batches_tracked = register_buffer("num_batches_tracked", Tensor());
  }
  reset_parameters();
}

void NormImplBase::reset_running_stats() {
  if (!options.track_running_stats()) return;
  running_mean.zero_();
  running_var.fill_(1);
  num_batches_tracked.zero_();
}

void NormImplBase::reset_parameters() {
  reset_running_stats();
  reset_affine(options.affine(), weight, bias);
}

void NormImplBase::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "ember::nn::" << layer_ << "(" << options.num_features()
         << ", eps=" << options.eps() << ", momentum=";
  if (options.momentum().has_value()) {
    stream << *options.momentum();
  } else {
    stream << "None";
  }
  stream << ", affine=" << options.affine()
         << ", track_running_stats=" << options.track_running_stats() << ")";
}

void NormImplBase::check_input_dim(const Tensor& input, int64_t other_rank) const {
  const int64_t rank = spatial_dims_ + 2;
  if (other_rank == 0) {
    EMBER_CHECK_VALUE(input.dim() == rank, "[", layer_, "] expected ", rank, "D input (got ",
                      input.dim(), "D input of shape ", input.shape(), ")");
  } else {
    EMBER_CHECK_VALUE(input.dim() == rank || input.dim() == other_rank, "[", layer_, "] expected ",
                      other_rank, "D or ", rank, "D input (got ", input.dim(), "D input of shape ",
                      input.shape(), ")");
  }
}

Tensor BatchNormImplBase::forward(const Tensor& input) {
  check_input_dim(input, spatial_dims_ == 1 ? 2 : 0);
  double average_factor = options.momentum().value_or(0.0);
  if (is_training() && options.track_running_stats()) {
    num_batches_tracked.add_(1);
    if (!options.momentum().has_value()) {
      average_factor = 1.0 / num_batches_tracked.item<double>();
    }
  }
  return batch_norm(input, optional_tensor(weight), optional_tensor(bias),
                    optional_tensor(running_mean), optional_tensor(running_var),
                    is_training() || !options.track_running_stats(), average_factor, options.eps());
}

Tensor InstanceNormImplBase::forward(const Tensor& input) {
  check_input_dim(input, spatial_dims_ + 1);
  const bool unbatched = input.dim() == spatial_dims_ + 1;
  const Tensor batched = unbatched ? input.unsqueeze(0) : input;
  const Tensor result = instance_norm(batched, optional_tensor(weight), optional_tensor(bias),
                                      optional_tensor(running_mean), optional_tensor(running_var),
                                      is_training() || !options.track_running_stats(),
                                      options.momentum().value_or(0.1), options.eps());
  return unbatched ? result.squeeze(0) : result;
}

LayerNormImpl::LayerNormImpl(const LayerNormOptions& options_) : options(options_) { reset(); }

void LayerNormImpl::reset() {
  register_affine(*this, options.elementwise_affine(), options.normalized_shape(), weight, bias,
                  options.bias());
  reset_parameters();
}

void LayerNormImpl::reset_parameters() { reset_affine(options.elementwise_affine(), weight, bias); }

Tensor LayerNormImpl::forward(const Tensor& input) {
  return layer_norm(input, options.normalized_shape(), optional_tensor(weight),
                    optional_tensor(bias), options.eps());
}

void LayerNormImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "ember::nn::LayerNorm([";
  for (size_t i = 0; i < options.normalized_shape().size(); ++i) {
    stream << (i == 0 ? "" : ", ") << options.normalized_shape()[i];
  }
  stream << "], eps=" << options.eps() << ", elementwise_affine=" << options.elementwise_affine()
         << ")";
}

GroupNormImpl::GroupNormImpl(const GroupNormOptions& options_) : options(options_) { reset(); }

void GroupNormImpl::reset() {
  register_affine(*this, options.affine(), {options.num_channels()}, weight, bias);
  reset_parameters();
}

void GroupNormImpl::reset_parameters() { reset_affine(options.affine(), weight, bias); }

Tensor GroupNormImpl::forward(const Tensor& input) {
  return group_norm(input, options.num_groups(), optional_tensor(weight), optional_tensor(bias),
                    options.eps());
}

void GroupNormImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "ember::nn::GroupNorm(" << options.num_groups() << ", "
         << options.num_channels() << ", eps=" << options.eps() << ", affine=" << options.affine()
         << ")";
}

}  // namespace ember::nn
