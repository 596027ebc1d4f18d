// layer_norm, batch_norm, group_norm and instance_norm (nn_norm.h). layer_norm, batch_norm and
// group_norm run their fused primitives (kernels in backend/cpu/nn_norm_kernels.inc) on the
// contiguous input, in float32 for float16/bfloat16; instance_norm lays (sample, channel) out as
// LayerNorm rows. The composites batch_norm and group_norm were before stay as the tests'
// references (detail::). Running statistics are updated in place on detached values, so the
// update never enters a graph.
#include "ember/ops/nn_norm.h"

#include <utility>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/autocast.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_nn_norm.h"

namespace ember {
namespace {

Tensor defined_or_empty(const std::optional<Tensor>& tensor) {
  return tensor && tensor->defined() ? *tensor : Tensor();
}

void check_floating(std::string_view op, const Tensor& input) {
  EMBER_CHECK(input.defined(), "[", op, "] expects a defined input");
  EMBER_CHECK_TYPE(input.is_floating_point(), "[", op,
                   "] expected a floating point input; got input of dtype ", input.dtype());
}

// The shape that broadcasts a per-channel tensor (C) against input (N, C, *).
Shape channel_shape(const Tensor& input) {
  Shape shape(static_cast<size_t>(input.dim()), 1);
  shape[1] = input.size(1);
  return shape;
}

void check_channels(std::string_view op, const Tensor& input, std::string_view name,
                    const Tensor& tensor) {
  if (!tensor.defined()) return;
  EMBER_CHECK(tensor.numel() == input.size(1), "[", op, "] expected ", name, " with ",
              input.size(1), " elements (the channels of input of shape ", input.shape(), "); got ",
              name, " of shape ", tensor.shape());
}

void check_channel_input(std::string_view op, const Tensor& input) {
  check_floating(op, input);
  EMBER_CHECK(input.dim() >= 2, "[", op,
              "] expected input of shape (N, C, *) with at least 2 dims; got input of shape ",
              input.shape());
}

// input * weight + bias per channel, either optional.
Tensor channel_affine(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  const Shape shape = channel_shape(input);
  Tensor result = weight.defined() ? input * weight.reshape(shape) : input;
  return bias.defined() ? result + bias.reshape(shape) : result;
}

// running = (1 - momentum) * running + momentum * batch, on detached values.
void update_running(const Tensor& running, const Tensor& batch, double momentum) {
  if (!running.defined()) return;
  const Tensor old = running.detach();
  running.detach().copy_(add(old * (1.0 - momentum), batch.detach().to(old.dtype()) * momentum));
}

}  // namespace

std::tuple<Tensor, Tensor, Tensor> layer_norm_rows(const Tensor& input, int64_t row_size,
                                                   const Tensor& weight, const Tensor& bias,
                                                   double eps) {
  const ScalarType dtype = input.dtype();
  if (dtype == kFloat16 || dtype == kBFloat16) {
    // The kernel computes in float32; the result returns to the input's dtype.
    auto to_float = [](const Tensor& t) { return t.defined() ? t.to(kFloat32) : t; };
    auto [y, mean, rstd] =
        layer_norm_rows(input.to(kFloat32), row_size, to_float(weight), to_float(bias), eps);
    return {y.to(dtype), mean.to(dtype), rstd.to(dtype)};
  }
  const Tensor x = input.contiguous();
  const int64_t rows = row_size == 0 ? 0 : x.numel() / row_size;
  const TensorOptions options = TensorOptions(dtype).device(x.device());
  Tensor y = empty(x.shape(), options);
  Tensor mean = empty({rows}, options);
  Tensor rstd = empty({rows}, options);
  std::vector<Tensor> inputs{x};
  if (weight.defined()) inputs.push_back(weight.to(dtype).contiguous());
  if (bias.defined()) inputs.push_back(bias.to(dtype).contiguous());
  const Tensor outputs[] = {y, mean, rstd};
  run(LayerNorm(row_size, eps, weight.defined(), bias.defined()), TensorSpan(inputs),
      TensorSpan(outputs));
  return {y, mean, rstd};
}

Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape,
                  const std::optional<Tensor>& weight_arg, const std::optional<Tensor>& bias_arg,
                  double eps) {
  if (autocast::active()) {
    return autocast::float32_on_cuda_else_mixed(
        {input, weight_arg.value_or(Tensor()), bias_arg.value_or(Tensor())}, [&](const auto& in) {
          return layer_norm(in[0], normalized_shape,
                            in[1].defined() ? std::optional<Tensor>(in[1]) : std::nullopt,
                            in[2].defined() ? std::optional<Tensor>(in[2]) : std::nullopt, eps);
        });
  }
  check_floating("layer_norm", input);
  const Tensor weight = defined_or_empty(weight_arg);
  const Tensor bias = defined_or_empty(bias_arg);
  const auto normalized_dims = static_cast<int64_t>(normalized_shape.size());
  EMBER_CHECK(normalized_dims >= 1,
              "[layer_norm] expected normalized_shape with at least 1 dim; got normalized_shape "
              "[]");
  bool matches = input.dim() >= normalized_dims;
  for (int64_t d = 0; matches && d < normalized_dims; ++d) {
    matches = input.size(input.dim() - normalized_dims + d) == normalized_shape[d];
  }
  EMBER_CHECK(matches,
              "[layer_norm] expected input whose last dims are normalized_shape=", normalized_shape,
              "; got input of shape ", input.shape());
  for (const auto& [name, tensor] : {std::pair{"weight", &weight}, std::pair{"bias", &bias}}) {
    if (!tensor->defined()) continue;
    EMBER_CHECK(normalized_shape.equals(tensor->shape()), "[layer_norm] expected ", name,
                " of shape normalized_shape=", normalized_shape, "; got ", name, " of shape ",
                tensor->shape());
    EMBER_CHECK_TYPE(tensor->dtype() == input.dtype(), "[layer_norm] expected ", name,
                     " of the input's dtype ", input.dtype(), "; got ", tensor->dtype());
  }
  int64_t row_size = 1;
  for (int64_t size : normalized_shape) row_size *= size;
  return std::get<0>(layer_norm_rows(input, row_size, weight, bias, eps));
}

namespace {

struct BatchNormArgs {
  Tensor weight, bias, running_mean, running_var;
};

BatchNormArgs checked_batch_norm_args(const Tensor& input, const std::optional<Tensor>& weight,
                                      const std::optional<Tensor>& bias,
                                      const std::optional<Tensor>& running_mean,
                                      const std::optional<Tensor>& running_var) {
  check_channel_input("batch_norm", input);
  BatchNormArgs args{defined_or_empty(weight), defined_or_empty(bias),
                     defined_or_empty(running_mean), defined_or_empty(running_var)};
  check_channels("batch_norm", input, "weight", args.weight);
  check_channels("batch_norm", input, "bias", args.bias);
  check_channels("batch_norm", input, "running_mean", args.running_mean);
  check_channels("batch_norm", input, "running_var", args.running_var);
  EMBER_CHECK(args.running_mean.defined() == args.running_var.defined(),
              "[batch_norm] expected running_mean and running_var both given or both None; got "
              "only one");
  return args;
}

void check_values_per_channel(const Tensor& input) {
  const int64_t channels = input.size(1);
  const int64_t per_channel = channels == 0 ? 0 : input.numel() / channels;
  EMBER_CHECK_VALUE(per_channel > 1 || input.numel() == 0,
                    "[batch_norm] expected more than 1 value per channel when training; got "
                    "input of shape ",
                    input.shape());
}

void check_groups(const Tensor& input, int64_t num_groups, const Tensor& weight,
                  const Tensor& bias) {
  check_channel_input("group_norm", input);
  EMBER_CHECK(num_groups > 0 && input.size(1) % num_groups == 0,
              "[group_norm] expected the channels of input to be divisible by num_groups; got "
              "input of shape ",
              input.shape(), " and num_groups=", num_groups);
  check_channels("group_norm", input, "weight", weight);
  check_channels("group_norm", input, "bias", bias);
}

Tensor to_float32(const Tensor& tensor) { return tensor.defined() ? tensor.to(kFloat32) : tensor; }

// The BatchNorm primitive on the contiguous input: (y, save_mean, save_invstd, unbiased batch
// variance, undefined in eval mode). float16/bfloat16 compute in float32; y returns to the input's
// dtype, the statistics stay float32.
std::tuple<Tensor, Tensor, Tensor, Tensor> run_batch_norm(const Tensor& input, const Tensor& weight,
                                                          const Tensor& bias,
                                                          const Tensor& running_mean,
                                                          const Tensor& running_var, bool training,
                                                          double eps) {
  const ScalarType dtype = input.dtype();
  if (dtype == kFloat16 || dtype == kBFloat16) {
    auto [y, mean, invstd, var] =
        run_batch_norm(input.to(kFloat32), to_float32(weight), to_float32(bias),
                       to_float32(running_mean), to_float32(running_var), training, eps);
    return {y.to(dtype), mean, invstd, var};
  }
  const Tensor x = input.contiguous();
  const TensorOptions options = TensorOptions(dtype).device(x.device());
  const int64_t channels = x.size(1);
  Tensor y = empty(x.shape(), options);
  Tensor mean = empty({channels}, options);
  Tensor invstd = empty({channels}, options);
  Tensor var = training ? empty({channels}, options) : Tensor();
  std::vector<Tensor> inputs{x};
  if (weight.defined()) inputs.push_back(weight.to(dtype).contiguous());
  if (bias.defined()) inputs.push_back(bias.to(dtype).contiguous());
  if (!training) {
    // The running statistics are constants of the graph, as in PyTorch.
    inputs.push_back(running_mean.detach().to(dtype).contiguous());
    inputs.push_back(running_var.detach().to(dtype).contiguous());
  }
  std::vector<Tensor> outputs{y, mean, invstd};
  if (training) outputs.push_back(var);
  run(BatchNorm(eps, training, weight.defined(), bias.defined()), TensorSpan(inputs),
      TensorSpan(outputs));
  return {y, mean, invstd, var};
}

// The GroupNorm primitive on the contiguous input, in float32 for float16/bfloat16.
Tensor run_group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight,
                      const Tensor& bias, double eps) {
  const ScalarType dtype = input.dtype();
  if (dtype == kFloat16 || dtype == kBFloat16) {
    return run_group_norm(input.to(kFloat32), num_groups, to_float32(weight), to_float32(bias), eps)
        .to(dtype);
  }
  const Tensor x = input.contiguous();
  const TensorOptions options = TensorOptions(dtype).device(x.device());
  const int64_t rows = x.size(0) * num_groups;
  Tensor y = empty(x.shape(), options);
  Tensor mean = empty({rows}, options);
  Tensor rstd = empty({rows}, options);
  std::vector<Tensor> inputs{x};
  if (weight.defined()) inputs.push_back(weight.to(dtype).contiguous());
  if (bias.defined()) inputs.push_back(bias.to(dtype).contiguous());
  const Tensor outputs[] = {y, mean, rstd};
  run(GroupNorm(num_groups, eps, weight.defined(), bias.defined()), TensorSpan(inputs),
      TensorSpan(outputs));
  return y;
}

}  // namespace

Tensor batch_norm(const Tensor& input, const std::optional<Tensor>& weight_arg,
                  const std::optional<Tensor>& bias_arg,
                  const std::optional<Tensor>& running_mean_arg,
                  const std::optional<Tensor>& running_var_arg, bool training, double momentum,
                  double eps) {
  const BatchNormArgs args =
      checked_batch_norm_args(input, weight_arg, bias_arg, running_mean_arg, running_var_arg);
  const bool batch_stats = training || !args.running_mean.defined();
  if (batch_stats) check_values_per_channel(input);
  // An empty batch has no statistics: PyTorch returns the affine of the (empty) input and leaves
  // the running statistics alone.
  if (input.numel() == 0) return channel_affine(input.clone(), args.weight, args.bias);
  auto [y, mean, invstd, var] = run_batch_norm(input, args.weight, args.bias, args.running_mean,
                                               args.running_var, batch_stats, eps);
  if (batch_stats && args.running_mean.defined()) {
    update_running(args.running_mean, mean, momentum);
    update_running(args.running_var, var, momentum);
  }
  return y;
}

Tensor group_norm(const Tensor& input, int64_t num_groups, const std::optional<Tensor>& weight_arg,
                  const std::optional<Tensor>& bias_arg, double eps) {
  if (autocast::active()) {
    return autocast::float32_on_cuda(
        {input, weight_arg.value_or(Tensor()), bias_arg.value_or(Tensor())}, [&](const auto& in) {
          return group_norm(in[0], num_groups,
                            in[1].defined() ? std::optional<Tensor>(in[1]) : std::nullopt,
                            in[2].defined() ? std::optional<Tensor>(in[2]) : std::nullopt, eps);
        });
  }
  const Tensor weight = defined_or_empty(weight_arg);
  const Tensor bias = defined_or_empty(bias_arg);
  check_groups(input, num_groups, weight, bias);
  return run_group_norm(input, num_groups, weight, bias, eps);
}

namespace detail {

Tensor batch_norm_composite(const Tensor& input, const std::optional<Tensor>& weight_arg,
                            const std::optional<Tensor>& bias_arg,
                            const std::optional<Tensor>& running_mean_arg,
                            const std::optional<Tensor>& running_var_arg, bool training,
                            double momentum, double eps) {
  const auto [weight, bias, running_mean, running_var] =
      checked_batch_norm_args(input, weight_arg, bias_arg, running_mean_arg, running_var_arg);
  const int64_t channels = input.size(1);
  if (!training && running_mean.defined()) {
    const Shape shape = channel_shape(input);
    const Tensor scale = rsqrt(running_var.to(input.dtype()) + eps).reshape(shape);
    const Tensor centered = input - running_mean.to(input.dtype()).reshape(shape);
    return channel_affine(centered * scale, weight, bias);
  }
  check_values_per_channel(input);
  if (input.numel() == 0) return channel_affine(input.clone(), weight, bias);
  const int64_t per_channel = input.numel() / channels;
  // Channels as rows: (C, N * spatial).
  const Tensor rows = input.transpose(0, 1).reshape({channels, per_channel});
  auto [normalized, mean, rstd] = layer_norm_rows(rows, per_channel, Tensor(), Tensor(), eps);
  Shape transposed = input.shape();
  std::swap(transposed[0], transposed[1]);
  const Tensor result = normalized.reshape(transposed).transpose(0, 1);
  if (running_mean.defined()) {
    update_running(running_mean, mean, momentum);
    update_running(running_var, var(rows.detach(), {1}, /*correction=*/1), momentum);
  }
  return channel_affine(result, weight, bias);
}

Tensor group_norm_composite(const Tensor& input, int64_t num_groups,
                            const std::optional<Tensor>& weight_arg,
                            const std::optional<Tensor>& bias_arg, double eps) {
  const Tensor weight = defined_or_empty(weight_arg);
  const Tensor bias = defined_or_empty(bias_arg);
  check_groups(input, num_groups, weight, bias);
  const int64_t rows = input.size(0) * num_groups;
  const int64_t row_size = rows == 0 ? 0 : input.numel() / rows;
  const Tensor grouped = input.reshape({rows, row_size});
  const Tensor normalized =
      std::get<0>(layer_norm_rows(grouped, row_size, Tensor(), Tensor(), eps));
  return channel_affine(normalized.reshape(input.shape()), weight, bias);
}

}  // namespace detail

Tensor instance_norm(const Tensor& input, const std::optional<Tensor>& weight_arg,
                     const std::optional<Tensor>& bias_arg,
                     const std::optional<Tensor>& running_mean_arg,
                     const std::optional<Tensor>& running_var_arg, bool use_input_stats,
                     double momentum, double eps) {
  check_channel_input("instance_norm", input);
  const Tensor weight = defined_or_empty(weight_arg);
  const Tensor bias = defined_or_empty(bias_arg);
  const Tensor running_mean = defined_or_empty(running_mean_arg);
  const Tensor running_var = defined_or_empty(running_var_arg);
  if (!use_input_stats) {
    EMBER_CHECK(running_mean.defined() && running_var.defined(),
                "[instance_norm] expected running_mean and running_var when use_input_stats is "
                "False; got None");
    return batch_norm(input, weight, bias, running_mean, running_var, /*training=*/false, momentum,
                      eps);
  }
  for (const auto& [name, tensor] :
       {std::pair{"weight", &weight}, std::pair{"bias", &bias},
        std::pair{"running_mean", &running_mean}, std::pair{"running_var", &running_var}}) {
    check_channels("instance_norm", input, name, *tensor);
  }
  const int64_t batch = input.size(0);
  const int64_t channels = input.size(1);
  const int64_t rows = batch * channels;
  const int64_t row_size = rows == 0 ? 0 : input.numel() / rows;
  EMBER_CHECK_VALUE(row_size > 1 || input.numel() == 0,
                    "[instance_norm] expected more than 1 spatial element when training; got "
                    "input of shape ",
                    input.shape());
  const Tensor instances = input.reshape({rows, row_size});
  auto [normalized, mean, rstd] = layer_norm_rows(instances, row_size, Tensor(), Tensor(), eps);
  if (running_mean.defined()) {
    // The running statistics follow the batch's average of the per-instance ones.
    update_running(running_mean, mean.detach().reshape({batch, channels}).mean({0}), momentum);
    const Tensor unbiased = var(instances.detach(), {1}, /*correction=*/1);
    update_running(running_var, unbiased.reshape({batch, channels}).mean({0}), momentum);
  }
  return channel_affine(normalized.reshape(input.shape()), weight, bias);
}

}  // namespace ember
