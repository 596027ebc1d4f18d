// nn.functional's convolutions (ember/ops/nn_conv.h) into ember._C._nn and at the top level
// (torch.conv2d, torch.convolution, ...). stride, padding, dilation and output_padding take an int
// or a sequence, as PyTorch's do; conv padding also 'same' or 'valid'.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <string>
#include <vector>

#include "convert.h"
#include "ember/ops/nn_conv.h"
#include "nn.h"

namespace ember::python {
namespace {

using OptionalTensor = std::optional<Tensor>;

// An int or a sequence of ints as the list of sizes the op expands.
std::vector<int64_t> sizes_of(const nb::handle& value) {
  if (nb::isinstance<nb::int_>(value)) return {nb::cast<int64_t>(value)};
  return nb::cast<std::vector<int64_t>>(value);
}

constexpr const char* kConvDoc[] = {
    "", "1-D convolution: input (N, C_in, L), weight (C_out, C_in / groups, kL).",
    "2-D convolution: input (N, C_in, H, W), weight (C_out, C_in / groups, kH, kW).",
    "3-D convolution: input (N, C_in, D, H, W), weight (C_out, C_in / groups, kD, kH, kW)."};

constexpr const char* kTransposeDoc[] = {
    "", "1-D transposed convolution: input (N, C_in, L), weight (C_in, C_out / groups, kL).",
    "2-D transposed convolution: input (N, C_in, H, W), weight (C_in, C_out / groups, kH, kW).",
    "3-D transposed convolution: input (N, C_in, D, H, W), weight (C_in, C_out / groups, kD, kH, "
    "kW)."};

template <int k>
void def_conv(nb::module_& owner) {
  using Conv = Tensor (*)(const Tensor&, const Tensor&, const OptionalTensor&, IntArrayRef,
                          IntArrayRef, IntArrayRef, int64_t);
  using ConvString = Tensor (*)(const Tensor&, const Tensor&, const OptionalTensor&, IntArrayRef,
                                ConvPaddingString, IntArrayRef, int64_t);
  static constexpr Conv conv = k == 1   ? static_cast<Conv>(&ember::conv1d)
                               : k == 2 ? static_cast<Conv>(&ember::conv2d)
                                        : static_cast<Conv>(&ember::conv3d);
  static constexpr ConvString conv_string = k == 1   ? static_cast<ConvString>(&ember::conv1d)
                                            : k == 2 ? static_cast<ConvString>(&ember::conv2d)
                                                     : static_cast<ConvString>(&ember::conv3d);
  const std::string name = "conv" + std::to_string(k) + "d";
  const std::string sig = "def " + name +
                          "(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) "
                          "-> Tensor";
  owner.def(
      name.c_str(),
      [](const Tensor& input, const Tensor& weight, const OptionalTensor& bias,
         const nb::object& stride, const nb::object& padding, const nb::object& dilation,
         int64_t groups) {
        if (nb::isinstance<nb::str>(padding)) {
          return conv_string(input, weight, bias, sizes_of(stride),
                             std::string_view(nb::cast<std::string>(padding)), sizes_of(dilation),
                             groups);
        }
        return conv(input, weight, bias, sizes_of(stride), sizes_of(padding), sizes_of(dilation),
                    groups);
      },
      nb::arg("input"), nb::arg("weight"), nb::arg("bias") = nb::none(),
      nb::arg("stride") = nb::int_(1), nb::arg("padding") = nb::int_(0),
      nb::arg("dilation") = nb::int_(1), nb::arg("groups") = 1, nb::sig(sig.c_str()), kConvDoc[k]);
}

template <int k>
void def_conv_transpose(nb::module_& owner) {
  using Transpose = Tensor (*)(const Tensor&, const Tensor&, const OptionalTensor&, IntArrayRef,
                               IntArrayRef, IntArrayRef, int64_t, IntArrayRef);
  static constexpr Transpose transpose = k == 1   ? &ember::conv_transpose1d
                                         : k == 2 ? &ember::conv_transpose2d
                                                  : &ember::conv_transpose3d;
  const std::string name = "conv_transpose" + std::to_string(k) + "d";
  const std::string sig = "def " + name +
                          "(input, weight, bias=None, stride=1, padding=0, output_padding=0, "
                          "groups=1, dilation=1) -> Tensor";
  owner.def(
      name.c_str(),
      [](const Tensor& input, const Tensor& weight, const OptionalTensor& bias,
         const nb::object& stride, const nb::object& padding, const nb::object& output_padding,
         int64_t groups, const nb::object& dilation) {
        return transpose(input, weight, bias, sizes_of(stride), sizes_of(padding),
                         sizes_of(output_padding), groups, sizes_of(dilation));
      },
      nb::arg("input"), nb::arg("weight"), nb::arg("bias") = nb::none(),
      nb::arg("stride") = nb::int_(1), nb::arg("padding") = nb::int_(0),
      nb::arg("output_padding") = nb::int_(0), nb::arg("groups") = 1,
      nb::arg("dilation") = nb::int_(1), nb::sig(sig.c_str()), kTransposeDoc[k]);
}

}  // namespace

void init_nn_conv(nb::module_& nn, nb::module_& module) {
  for (nb::module_* owner : {&nn, &module}) {
    def_conv<1>(*owner);
    def_conv<2>(*owner);
    def_conv<3>(*owner);
    def_conv_transpose<1>(*owner);
    def_conv_transpose<2>(*owner);
    def_conv_transpose<3>(*owner);
  }
  using Sizes = std::vector<int64_t>;
  nn.def(
      "_conv_transpose_output_padding",
      [](const Tensor& input, const Sizes& output_size, const Sizes& stride, const Sizes& padding,
         const Sizes& kernel_size, const Sizes& dilation) {
        const Shape result = ember::conv_transpose_output_padding(input, output_size, stride,
                                                                  padding, kernel_size, dilation);
        return Sizes(result.begin(), result.end());
      },
      nb::arg("input"), nb::arg("output_size"), nb::arg("stride"), nb::arg("padding"),
      nb::arg("kernel_size"), nb::arg("dilation"),
      nb::sig("def _conv_transpose_output_padding(input, output_size, stride, padding, "
              "kernel_size, dilation) -> list[int]"),
      "The output_padding that makes a transposed convolution produce output_size.");
  module.def(
      "convolution",
      [](const Tensor& input, const Tensor& weight, const OptionalTensor& bias,
         const std::vector<int64_t>& stride, const std::vector<int64_t>& padding,
         const std::vector<int64_t>& dilation, bool transposed,
         const std::vector<int64_t>& output_padding, int64_t groups) {
        return ember::convolution(input, weight, bias, stride, padding, dilation, transposed,
                                  output_padding, groups);
      },
      nb::arg("input"), nb::arg("weight"), nb::arg("bias").none(), nb::arg("stride"),
      nb::arg("padding"), nb::arg("dilation"), nb::arg("transposed"), nb::arg("output_padding"),
      nb::arg("groups"),
      nb::sig("def convolution(input, weight, bias, stride, padding, dilation, transposed, "
              "output_padding, groups) -> Tensor"),
      "The convolution (or transposed convolution) behind conv1d..conv_transpose3d.");
}

}  // namespace ember::python
