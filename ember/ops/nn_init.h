// nn.init: libtorch's torch::nn::init with PyTorch's distributions. Every function fills its
// tensor in place without recording a graph (PyTorch's torch.no_grad()), returns it, and draws
// exactly what PyTorch's does from the generator (the default one unless `generator` is given):
// each random fill takes the next Philox offset, so the same seed and the same calls give the same
// values in C++ and Python. Nonlinearities and fan modes are libtorch's tags (ember::kReLU,
// ember::kFanIn) or PyTorch's strings ("relu", "fan_in").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <tuple>
#include <variant>

#include "ember/tensor/generator.h"
#include "ember/tensor/scalar.h"
#include "ember/tensor/tensor.h"

namespace ember {
namespace enumtype {

// libtorch's enum tags: each a type of its own, so that one tag can belong to several option
// variants. `name` is PyTorch's string for it.
#define EMBER_ENUM_TAG(Tag, string)                  \
  struct Tag {                                       \
    static constexpr std::string_view name = string; \
  };
EMBER_ENUM_TAG(kLinear, "linear")
EMBER_ENUM_TAG(kConv1D, "conv1d")
EMBER_ENUM_TAG(kConv2D, "conv2d")
EMBER_ENUM_TAG(kConv3D, "conv3d")
EMBER_ENUM_TAG(kConvTranspose1D, "conv_transpose1d")
EMBER_ENUM_TAG(kConvTranspose2D, "conv_transpose2d")
EMBER_ENUM_TAG(kConvTranspose3D, "conv_transpose3d")
EMBER_ENUM_TAG(kSigmoid, "sigmoid")
EMBER_ENUM_TAG(kTanh, "tanh")
EMBER_ENUM_TAG(kReLU, "relu")
EMBER_ENUM_TAG(kLeakyReLU, "leaky_relu")
EMBER_ENUM_TAG(kSELU, "selu")
EMBER_ENUM_TAG(kFanIn, "fan_in")
EMBER_ENUM_TAG(kFanOut, "fan_out")
#undef EMBER_ENUM_TAG

}  // namespace enumtype

inline constexpr enumtype::kLinear kLinear{};
inline constexpr enumtype::kConv1D kConv1D{};
inline constexpr enumtype::kConv2D kConv2D{};
inline constexpr enumtype::kConv3D kConv3D{};
inline constexpr enumtype::kConvTranspose1D kConvTranspose1D{};
inline constexpr enumtype::kConvTranspose2D kConvTranspose2D{};
inline constexpr enumtype::kConvTranspose3D kConvTranspose3D{};
inline constexpr enumtype::kSigmoid kSigmoid{};
inline constexpr enumtype::kTanh kTanh{};
inline constexpr enumtype::kReLU kReLU{};
inline constexpr enumtype::kLeakyReLU kLeakyReLU{};
inline constexpr enumtype::kSELU kSELU{};
inline constexpr enumtype::kFanIn kFanIn{};
inline constexpr enumtype::kFanOut kFanOut{};

}  // namespace ember

namespace ember::nn::init {

using NonlinearityType =
    std::variant<enumtype::kLinear, enumtype::kConv1D, enumtype::kConv2D, enumtype::kConv3D,
                 enumtype::kConvTranspose1D, enumtype::kConvTranspose2D, enumtype::kConvTranspose3D,
                 enumtype::kSigmoid, enumtype::kTanh, enumtype::kReLU, enumtype::kLeakyReLU,
                 enumtype::kSELU>;
using FanModeType = std::variant<enumtype::kFanIn, enumtype::kFanOut>;

// PyTorch's name of a tag ("relu", "fan_in").
std::string_view name_of(const NonlinearityType& nonlinearity);
std::string_view name_of(const FanModeType& mode);

// The recommended gain for a nonlinearity (PyTorch's table); `param` is leaky_relu's negative
// slope and is ignored by the others. Python's param=None is 0.01.
double calculate_gain(const NonlinearityType& nonlinearity, double param = 0.01);
double calculate_gain(std::string_view nonlinearity, double param = 0.01);

// (fan_in, fan_out): size(1) and size(0), each times the product of the dims after the first two.
std::tuple<int64_t, int64_t> _calculate_fan_in_and_fan_out(const Tensor& tensor);

Tensor uniform_(Tensor tensor, double low = 0, double high = 1,
                std::optional<Generator> generator = std::nullopt);
Tensor normal_(Tensor tensor, double mean = 0, double std = 1,
               std::optional<Generator> generator = std::nullopt);
// N(mean, std^2) truncated to [a, b], by inverting the normal CDF of uniform samples.
Tensor trunc_normal_(Tensor tensor, double mean = 0, double std = 1, double a = -2, double b = 2,
                     std::optional<Generator> generator = std::nullopt);
Tensor constant_(Tensor tensor, const Scalar& value);
Tensor ones_(Tensor tensor);
Tensor zeros_(Tensor tensor);
// The identity matrix (2-D tensors only).
Tensor eye_(Tensor matrix);
// The Dirac delta of a convolution weight (3-, 4- or 5-D): each of `groups` groups of output
// channels passes its input channels through unchanged.
Tensor dirac_(Tensor tensor, int64_t groups = 1);
Tensor xavier_uniform_(Tensor tensor, double gain = 1.0,
                       std::optional<Generator> generator = std::nullopt);
Tensor xavier_normal_(Tensor tensor, double gain = 1.0,
                      std::optional<Generator> generator = std::nullopt);
Tensor kaiming_uniform_(Tensor tensor, double a = 0, FanModeType mode = kFanIn,
                        NonlinearityType nonlinearity = kLeakyReLU,
                        std::optional<Generator> generator = std::nullopt);
Tensor kaiming_uniform_(Tensor tensor, double a, std::string_view mode,
                        std::string_view nonlinearity = "leaky_relu",
                        std::optional<Generator> generator = std::nullopt);
Tensor kaiming_normal_(Tensor tensor, double a = 0, FanModeType mode = kFanIn,
                       NonlinearityType nonlinearity = kLeakyReLU,
                       std::optional<Generator> generator = std::nullopt);
Tensor kaiming_normal_(Tensor tensor, double a, std::string_view mode,
                       std::string_view nonlinearity = "leaky_relu",
                       std::optional<Generator> generator = std::nullopt);
// A (semi-)orthogonal matrix from the QR decomposition of a normal sample, times gain; a tensor of
// more dims is treated as size(0) x (the rest).
Tensor orthogonal_(Tensor tensor, double gain = 1.0,
                   std::optional<Generator> generator = std::nullopt);
// N(0, std^2) with ceil(sparsity * rows) zeros in each column (2-D tensors only).
Tensor sparse_(Tensor tensor, double sparsity, double std = 0.01,
               std::optional<Generator> generator = std::nullopt);

}  // namespace ember::nn::init
