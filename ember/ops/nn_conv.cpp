// The convolutions of nn_conv.h. Each public function validates and normalizes its arguments
// (unbatched input, one value per spatial dim, 'same'/'valid', the transposed output size) into
// a ConvGeometry and runs one pass of the Convolution primitive; float16 and bfloat16 compute
// in float32.
#include "ember/ops/nn_conv.h"

#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/autocast.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_nn_conv.h"

namespace ember {
namespace {

// What a convolution call says about itself in its errors: "[conv2d]".
struct ConvCall {
  std::string_view op;
  int64_t spatial;  // spatial dims
};

// One value per spatial dim from `values` (one value or `spatial` of them).
Shape expand(const ConvCall& call, std::string_view name, IntArrayRef values) {
  EMBER_CHECK(values.size() == 1 || static_cast<int64_t>(values.size()) == call.spatial, "[",
              call.op, "] expected ", name, " with 1 or ", call.spatial, " values; got ", name, "=",
              values);
  Shape result(static_cast<size_t>(call.spatial), values[0]);
  if (values.size() != 1) result = values.to_shape();
  return result;
}

Shape positive(const ConvCall& call, std::string_view name, IntArrayRef values) {
  Shape result = expand(call, name, values);
  for (int64_t v : result) {
    EMBER_CHECK(v > 0, "[", call.op, "] expected positive ", name, "; got ", name, "=", values);
  }
  return result;
}

Shape non_negative(const ConvCall& call, std::string_view name, IntArrayRef values) {
  Shape result = expand(call, name, values);
  for (int64_t v : result) {
    EMBER_CHECK(v >= 0, "[", call.op, "] negative ", name, " is not supported; got ", name, "=",
                values);
  }
  return result;
}

Tensor bias_or_empty(const std::optional<Tensor>& bias) {
  return bias && bias->defined() ? *bias : Tensor();
}

// Checks input and weight dims and dtypes; returns whether input is unbatched.
bool check_operands(const ConvCall& call, const Tensor& input, const Tensor& weight,
                    const Tensor& bias) {
  EMBER_CHECK(input.defined() && weight.defined(), "[", call.op,
              "] expects defined input and weight");
  const int64_t batched = call.spatial + 2;
  EMBER_CHECK(input.dim() == batched || input.dim() == batched - 1, "[", call.op, "] expected ",
              batched - 1, "-D (unbatched) or ", batched, "-D (batched) input; got input of shape ",
              input.shape());
  EMBER_CHECK(weight.dim() == batched, "[", call.op, "] expected ", batched,
              "-D weight; got weight of shape ", weight.shape(), " for input of shape ",
              input.shape());
  EMBER_CHECK_TYPE(input.is_floating_point(), "[", call.op,
                   "] expected a floating point input; got input of dtype ", input.dtype());
  EMBER_CHECK_TYPE(weight.dtype() == input.dtype(), "[", call.op,
                   "] expected input and weight of one dtype; got input of dtype ", input.dtype(),
                   " and weight of dtype ", weight.dtype());
  if (bias.defined()) {
    EMBER_CHECK_TYPE(bias.dtype() == input.dtype(), "[", call.op,
                     "] expected bias of the input's dtype ", input.dtype(), "; got bias of dtype ",
                     bias.dtype());
  }
  check_same_device(call.op, {&input, &weight});
  return input.dim() == batched - 1;
}

void check_groups(const ConvCall& call, int64_t groups, int64_t channels, std::string_view what,
                  const Tensor& input, const Tensor& weight) {
  EMBER_CHECK(groups > 0, "[", call.op, "] expected positive groups; got groups=", groups);
  EMBER_CHECK(channels % groups == 0, "[", call.op, "] expected ", what, " (", channels,
              ") divisible by groups=", groups, "; got input of shape ", input.shape(),
              " and weight of shape ", weight.shape());
}

void check_bias(const ConvCall& call, const Tensor& bias, int64_t out_channels) {
  if (!bias.defined()) return;
  EMBER_CHECK(bias.dim() == 1 && bias.size(0) == out_channels, "[", call.op,
              "] expected bias of shape [", out_channels,
              "] (the output channels); got bias of shape ", bias.shape());
}

// x + bias per channel (dim 1).
Tensor add_bias(const Tensor& y, const Tensor& bias) {
  if (!bias.defined()) return y;
  Shape shape(static_cast<size_t>(y.dim()), 1);
  shape[1] = bias.size(0);
  return y + bias.reshape(shape);
}

Tensor primitive_call(ConvPass pass, const ConvGeometry& geometry, const Tensor& a, const Tensor& b,
                      const Shape& out_shape) {
  const Tensor a_c = a.contiguous();
  const Tensor b_c = b.contiguous();
  Tensor out = empty(out_shape, TensorOptions(a.dtype()).device(a.device()));
  run_unless_empty(Convolution(pass, geometry), {a_c, b_c}, {out});
  return out;
}

// Runs `compute` on float32 copies of 16-bit float operands and casts the result back.
template <typename Compute>
Tensor in_compute_dtype(const Tensor& input, const Tensor& weight, Compute compute) {
  const ScalarType dtype = input.dtype();
  if (dtype != kFloat16 && dtype != kBFloat16) return compute(input, weight);
  return compute(input.to(kFloat32), weight.to(kFloat32)).to(dtype);
}

Tensor convolution_impl(const ConvCall& call, const Tensor& input_arg, const Tensor& weight,
                        const Tensor& bias, IntArrayRef stride_arg, const Shape& pad_before,
                        const Shape& pad_after, IntArrayRef dilation_arg, int64_t groups) {
  if (autocast::active()) {
    return autocast::lower_precision({input_arg, weight, bias}, [&](const auto& in) {
      return convolution_impl(call, in[0], in[1], in[2], stride_arg, pad_before, pad_after,
                              dilation_arg, groups);
    });
  }
  const bool unbatched = check_operands(call, input_arg, weight, bias);
  const Tensor input = unbatched ? input_arg.unsqueeze(0) : input_arg;
  const int64_t in_channels = input.size(1);
  const int64_t out_channels = weight.size(0);
  check_groups(call, groups, out_channels, "the output channels of weight", input, weight);
  EMBER_CHECK(in_channels % groups == 0 && weight.size(1) * groups == in_channels, "[", call.op,
              "] expected input with ", weight.size(1) * groups,
              " channels (weight.size(1) * groups) for weight of shape ", weight.shape(),
              " and groups=", groups, "; got input of shape ", input_arg.shape());
  check_bias(call, bias, out_channels);
  ConvGeometry geometry{positive(call, "stride", stride_arg),
                        positive(call, "dilation", dilation_arg), pad_before, pad_after, groups};
  Shape out_shape{input.size(0), out_channels};
  for (int64_t d = 0; d < call.spatial; ++d) {
    const auto i = static_cast<size_t>(d);
    const int64_t padded = input.size(d + 2) + pad_before[i] + pad_after[i];
    const int64_t extent = geometry.dilation[i] * (weight.size(d + 2) - 1) + 1;
    EMBER_CHECK(padded >= extent, "[", call.op, "] expected the padded input size (", padded,
                ") at least the dilated kernel size (", extent, ") in spatial dim ", d,
                "; got input of shape ", input_arg.shape(), " and weight of shape ",
                weight.shape());
    out_shape.push_back((padded - extent) / geometry.stride[i] + 1);
  }
  const Tensor y = in_compute_dtype(input, weight, [&](const Tensor& x, const Tensor& w) {
    return conv_forward(x, w, geometry);
  });
  const Tensor result = add_bias(y, bias);
  return unbatched ? result.squeeze(0) : result;
}

Tensor transpose_impl(const ConvCall& call, const Tensor& input_arg, const Tensor& weight,
                      const Tensor& bias, IntArrayRef stride_arg, IntArrayRef padding_arg,
                      IntArrayRef output_padding_arg, int64_t groups, IntArrayRef dilation_arg) {
  if (autocast::active()) {
    return autocast::lower_precision({input_arg, weight, bias}, [&](const auto& in) {
      return transpose_impl(call, in[0], in[1], in[2], stride_arg, padding_arg, output_padding_arg,
                            groups, dilation_arg);
    });
  }
  const bool unbatched = check_operands(call, input_arg, weight, bias);
  const Tensor input = unbatched ? input_arg.unsqueeze(0) : input_arg;
  const int64_t in_channels = input.size(1);
  check_groups(call, groups, in_channels, "the input channels", input, weight);
  EMBER_CHECK(weight.size(0) == in_channels, "[", call.op, "] expected weight with ", in_channels,
              " in dim 0 (the input channels); got input of shape ", input_arg.shape(),
              " and weight of shape ", weight.shape());
  const int64_t out_channels = weight.size(1) * groups;
  check_bias(call, bias, out_channels);
  const Shape padding = non_negative(call, "padding", padding_arg);
  const Shape output_padding = non_negative(call, "output_padding", output_padding_arg);
  ConvGeometry geometry{positive(call, "stride", stride_arg),
                        positive(call, "dilation", dilation_arg), padding, padding, groups};
  Shape out_size;
  for (int64_t d = 0; d < call.spatial; ++d) {
    const auto i = static_cast<size_t>(d);
    EMBER_CHECK(output_padding[i] < geometry.stride[i] || output_padding[i] < geometry.dilation[i],
                "[", call.op,
                "] expected output_padding smaller than stride or dilation; got "
                "output_padding=",
                output_padding_arg, ", stride=", stride_arg, " and dilation=", dilation_arg);
    const int64_t size = (input.size(d + 2) - 1) * geometry.stride[i] - 2 * padding[i] +
                         geometry.dilation[i] * (weight.size(d + 2) - 1) + output_padding[i] + 1;
    EMBER_CHECK(size >= 0, "[", call.op, "] the output would have negative size ", size,
                " in spatial dim ", d, "; got input of shape ", input_arg.shape(),
                ", weight of shape ", weight.shape(), " and padding=", padding_arg);
    out_size.push_back(size);
  }
  const Tensor y = in_compute_dtype(input, weight, [&](const Tensor& x, const Tensor& w) {
    return conv_backward_input(x, w, out_size, geometry);
  });
  const Tensor result = add_bias(y, bias);
  return unbatched ? result.squeeze(0) : result;
}

Tensor conv_numeric(const ConvCall& call, const Tensor& input, const Tensor& weight,
                    const std::optional<Tensor>& bias, IntArrayRef stride, IntArrayRef padding,
                    IntArrayRef dilation, int64_t groups) {
  const Shape pad = non_negative(call, "padding", padding);
  return convolution_impl(call, input, weight, bias_or_empty(bias), stride, pad, pad, dilation,
                          groups);
}

Tensor conv_string(const ConvCall& call, const Tensor& input, const Tensor& weight,
                   const std::optional<Tensor>& bias, IntArrayRef stride, std::string_view padding,
                   IntArrayRef dilation, int64_t groups) {
  EMBER_CHECK_VALUE(padding == "same" || padding == "valid", "[", call.op,
                    "] expected padding 'same' or 'valid'; got padding='", padding, "'");
  Shape before(static_cast<size_t>(call.spatial), 0);
  Shape after = before;
  if (padding == "same") {
    for (int64_t s : expand(call, "stride", stride)) {
      EMBER_CHECK(
          s == 1, "[", call.op,
          "] padding='same' is not supported for strided convolutions; got stride=", stride);
    }
    EMBER_CHECK(weight.defined() && weight.dim() == call.spatial + 2, "[", call.op, "] expected ",
                call.spatial + 2, "-D weight; got weight of shape ",
                weight.defined() ? weight.shape() : Shape{});
    const Shape dil = positive(call, "dilation", dilation);
    for (int64_t d = 0; d < call.spatial; ++d) {
      const auto i = static_cast<size_t>(d);
      const int64_t total = dil[i] * (weight.size(d + 2) - 1);
      before[i] = total / 2;
      after[i] = total - before[i];
    }
  }
  return convolution_impl(call, input, weight, bias_or_empty(bias), stride, before, after, dilation,
                          groups);
}

}  // namespace

Tensor conv_forward(const Tensor& x, const Tensor& w, const ConvGeometry& geometry,
                    IntArrayRef output_size) {
  Shape out_shape{x.size(0), w.size(0)};
  for (size_t d = 0; d < geometry.stride.size(); ++d) {
    if (output_size.size() != 0) {
      out_shape.push_back(output_size[d]);
      continue;
    }
    const auto dim = static_cast<int64_t>(d) + 2;
    const int64_t padded = x.size(dim) + geometry.pad_before[d] + geometry.pad_after[d];
    out_shape.push_back(
        (padded - geometry.dilation[d] * (w.size(dim) - 1) - 1) / geometry.stride[d] + 1);
  }
  return primitive_call(ConvPass::Forward, geometry, x, w, out_shape);
}

Tensor conv_backward_input(const Tensor& grad_y, const Tensor& w, IntArrayRef input_size,
                           const ConvGeometry& geometry) {
  Shape shape{grad_y.size(0), w.size(1) * geometry.groups};
  for (int64_t size : input_size) shape.push_back(size);
  return primitive_call(ConvPass::BackwardData, geometry, grad_y, w, shape);
}

Tensor conv_backward_weight(const Tensor& x, const Tensor& grad_y, IntArrayRef kernel_size,
                            const ConvGeometry& geometry) {
  Shape shape{grad_y.size(1), x.size(1) / geometry.groups};
  for (int64_t size : kernel_size) shape.push_back(size);
  return primitive_call(ConvPass::BackwardWeight, geometry, x, grad_y, shape);
}

Shape conv_transpose_output_padding(const Tensor& input, IntArrayRef output_size,
                                    IntArrayRef stride, IntArrayRef padding,
                                    IntArrayRef kernel_size, IntArrayRef dilation) {
  const auto spatial = static_cast<int64_t>(kernel_size.size());
  EMBER_CHECK(stride.size() == kernel_size.size() && padding.size() == kernel_size.size() &&
                  dilation.size() == kernel_size.size(),
              "[conv_transpose] expected stride, padding and dilation with one value per spatial "
              "dim; got kernel_size=",
              kernel_size, ", stride=", stride, ", padding=", padding, ", dilation=", dilation);
  const int64_t non_spatial = input.dim() == spatial + 2 ? 2 : 1;
  const auto given = static_cast<int64_t>(output_size.size());
  EMBER_CHECK_VALUE(given == spatial || given == spatial + non_spatial,
                    "[conv_transpose] output_size must have ", spatial, " or ",
                    spatial + non_spatial, " elements (got ", given, ")");
  const int64_t skip = given - spatial;
  Shape result;
  for (int64_t d = 0; d < spatial; ++d) {
    const auto i = static_cast<size_t>(d);
    const int64_t min_size = (input.size(d + non_spatial) - 1) * stride[i] - 2 * padding[i] +
                             dilation[i] * (kernel_size[i] - 1) + 1;
    const int64_t max_size = min_size + stride[i] - 1;
    const int64_t wanted = output_size[static_cast<size_t>(d + skip)];
    EMBER_CHECK_VALUE(wanted >= min_size && wanted <= max_size,
                      "[conv_transpose] requested an output size of ", output_size,
                      ", but valid sizes range from ", min_size, " to ", max_size,
                      " (for an input of shape ", input.shape(), ") in spatial dim ", d);
    result.push_back(wanted - min_size);
  }
  return result;
}

Tensor convolution(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                   IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation, bool transposed,
                   IntArrayRef output_padding, int64_t groups) {
  EMBER_CHECK(weight.defined() && weight.dim() >= 3 && weight.dim() <= 5,
              "[convolution] expected 3-D, 4-D or 5-D weight; got weight of shape ",
              weight.defined() ? weight.shape() : Shape{});
  const ConvCall call{"convolution", weight.dim() - 2};
  if (transposed) {
    return transpose_impl(call, input, weight, bias_or_empty(bias), stride, padding, output_padding,
                          groups, dilation);
  }
  for (int64_t p : expand(call, "output_padding", output_padding)) {
    EMBER_CHECK(p == 0,
                "[convolution] expected output_padding 0 for a non-transposed "
                "convolution; got output_padding=",
                output_padding);
  }
  return conv_numeric(call, input, weight, bias, stride, padding, dilation, groups);
}

#define EMBER_CONV_FUNCTIONS(k)                                                                   \
  Tensor conv##k##d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, \
                    IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation,                \
                    int64_t groups) {                                                             \
    return conv_numeric({"conv" #k "d", k}, input, weight, bias, stride, padding, dilation,       \
                        groups);                                                                  \
  }                                                                                               \
  Tensor conv##k##d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, \
                    IntArrayRef stride, ConvPaddingString padding, IntArrayRef dilation,          \
                    int64_t groups) {                                                             \
    return conv_string({"conv" #k "d", k}, input, weight, bias, stride, padding.view(), dilation, \
                       groups);                                                                   \
  }                                                                                               \
  Tensor conv_transpose##k##d(const Tensor& input, const Tensor& weight,                          \
                              const std::optional<Tensor>& bias, IntArrayRef stride,              \
                              IntArrayRef padding, IntArrayRef output_padding, int64_t groups,    \
                              IntArrayRef dilation) {                                             \
    return transpose_impl({"conv_transpose" #k "d", k}, input, weight, bias_or_empty(bias),       \
                          stride, padding, output_padding, groups, dilation);                     \
  }

EMBER_CONV_FUNCTIONS(1)
EMBER_CONV_FUNCTIONS(2)
EMBER_CONV_FUNCTIONS(3)

#undef EMBER_CONV_FUNCTIONS

}  // namespace ember
