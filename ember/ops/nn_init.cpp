// nn.init (nn_init.h). The fills write through a detached alias of the tensor: the alias shares
// its storage (so the version counter still moves) but has no history, which is what PyTorch's
// torch.no_grad() around each fill achieves, without this layer calling into autograd.
#include "ember/ops/nn_init.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "ember/base/error.h"
#include "ember/base/warning.h"
#include "ember/ops/linalg.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"
#include "ember/ops/shape.h"

namespace ember::nn::init {
namespace {

// What PyTorch writes under torch.no_grad(): the same storage, no history.
Tensor no_grad_alias(const Tensor& tensor, std::string_view op) {
  EMBER_CHECK(tensor.defined(), "[", op, "] expects a defined tensor");
  return tensor.detach();
}

void check_dims(const Tensor& tensor, bool ok, std::string_view expected, std::string_view op) {
  EMBER_CHECK_VALUE(ok, "[", op, "] Only tensors with ", expected,
                    " dimensions are supported; got a tensor of shape ", tensor.shape());
}

std::tuple<int64_t, int64_t> fans(const Tensor& tensor, std::string_view op) {
  EMBER_CHECK_VALUE(tensor.dim() >= 2, "[", op,
                    "] Fan in and fan out can not be computed for tensor with fewer than 2 "
                    "dimensions; got a tensor of shape ",
                    tensor.shape());
  int64_t receptive_field = 1;
  for (int64_t d = 2; d < tensor.dim(); ++d) receptive_field *= tensor.size(d);
  return {tensor.size(1) * receptive_field, tensor.size(0) * receptive_field};
}

int64_t correct_fan(const Tensor& tensor, std::string_view mode, std::string_view op) {
  std::string lowered(mode);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EMBER_CHECK_VALUE(lowered == "fan_in" || lowered == "fan_out", "[", op, "] Mode ", mode,
                    " not supported, please use one of ['fan_in', 'fan_out']");
  const auto [fan_in, fan_out] = fans(tensor, op);
  return lowered == "fan_in" ? fan_in : fan_out;
}

// PyTorch warns and does nothing for kaiming_* on a tensor with no elements.
bool warn_if_empty(const Tensor& tensor, std::string_view op) {
  EMBER_CHECK(tensor.defined(), "[", op, "] expects a defined tensor");
  if (tensor.numel() != 0) return false;
  warn("[", op, "] Initializing zero-element tensors is a no-op");
  return true;
}

// The standard deviation kaiming_* aims for: gain / sqrt(fan).
double kaiming_std(const Tensor& tensor, double a, std::string_view mode,
                   std::string_view nonlinearity, std::string_view op) {
  const int64_t fan = correct_fan(tensor, mode, op);
  return calculate_gain(nonlinearity, a) / std::sqrt(static_cast<double>(fan));
}

double xavier_std(const Tensor& tensor, double gain, std::string_view op) {
  const auto [fan_in, fan_out] = fans(tensor, op);
  return gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out));
}

double normal_cdf(double x) { return (1.0 + std::erf(x / std::sqrt(2.0))) / 2.0; }

}  // namespace

std::string_view name_of(const NonlinearityType& nonlinearity) {
  return std::visit([](auto tag) { return decltype(tag)::name; }, nonlinearity);
}

std::string_view name_of(const FanModeType& mode) {
  return std::visit([](auto tag) { return decltype(tag)::name; }, mode);
}

double calculate_gain(const NonlinearityType& nonlinearity, double param) {
  return calculate_gain(name_of(nonlinearity), param);
}

double calculate_gain(std::string_view nonlinearity, double param) {
  for (std::string_view unit_gain : {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                                     "conv_transpose2d", "conv_transpose3d", "sigmoid"}) {
    if (nonlinearity == unit_gain) return 1.0;
  }
  if (nonlinearity == "tanh") return 5.0 / 3.0;
  if (nonlinearity == "relu") return std::sqrt(2.0);
  if (nonlinearity == "leaky_relu") return std::sqrt(2.0 / (1.0 + param * param));
  // PyTorch's choice for SELU: 3/4 keeps its self-normalising activations stable.
  if (nonlinearity == "selu") return 3.0 / 4.0;
  EMBER_CHECK_VALUE(false, "[calculate_gain] Unsupported nonlinearity ", nonlinearity);
  return 0.0;
}

std::tuple<int64_t, int64_t> _calculate_fan_in_and_fan_out(const Tensor& tensor) {
  EMBER_CHECK(tensor.defined(), "[_calculate_fan_in_and_fan_out] expects a defined tensor");
  return fans(tensor, "_calculate_fan_in_and_fan_out");
}

Tensor uniform_(Tensor tensor, double low, double high, std::optional<Generator> generator) {
  no_grad_alias(tensor, "uniform_").uniform_(low, high, generator);
  return tensor;
}

Tensor normal_(Tensor tensor, double mean, double std, std::optional<Generator> generator) {
  no_grad_alias(tensor, "normal_").normal_(mean, std, generator);
  return tensor;
}

Tensor trunc_normal_(Tensor tensor, double mean, double std, double a, double b,
                     std::optional<Generator> generator) {
  Tensor alias = no_grad_alias(tensor, "trunc_normal_");
  if (mean < a - 2 * std || mean > b + 2 * std) {
    warn(
        "[trunc_normal_] mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The "
        "distribution of values may be incorrect.");
  }
  // Uniform on [2l-1, 2u-1], then the inverse CDF of the standard normal (sqrt(2) erfinv),
  // scaled and shifted; the clamp catches values rounding just past the bounds.
  const double lower = normal_cdf((a - mean) / std);
  const double upper = normal_cdf((b - mean) / std);
  alias.uniform_(2 * lower - 1, 2 * upper - 1, generator);
  alias.erfinv_();
  alias.mul_(std * std::sqrt(2.0));
  alias.add_(mean);
  clamp_(alias, Scalar(a), Scalar(b));
  return tensor;
}

Tensor constant_(Tensor tensor, const Scalar& value) {
  no_grad_alias(tensor, "constant_").fill_(value);
  return tensor;
}

Tensor ones_(Tensor tensor) {
  no_grad_alias(tensor, "ones_").fill_(1);
  return tensor;
}

Tensor zeros_(Tensor tensor) {
  no_grad_alias(tensor, "zeros_").zero_();
  return tensor;
}

Tensor eye_(Tensor matrix) {
  Tensor alias = no_grad_alias(matrix, "eye_");
  check_dims(matrix, matrix.dim() == 2, "2", "eye_");
  alias.copy_(eye(matrix.size(0), matrix.size(1), TensorOptions(matrix.dtype())));
  return matrix;
}

Tensor dirac_(Tensor tensor, int64_t groups) {
  Tensor alias = no_grad_alias(tensor, "dirac_");
  const int64_t dims = tensor.dim();
  check_dims(tensor, dims >= 3 && dims <= 5, "3, 4, or 5", "dirac_");
  EMBER_CHECK_VALUE(groups > 0 && tensor.size(0) % groups == 0,
                    "[dirac_] dim 0 must be divisible by groups; got groups=", groups,
                    " for a tensor of shape ", tensor.shape());
  const int64_t out_channels_per_group = tensor.size(0) / groups;
  const int64_t identities = std::min(out_channels_per_group, tensor.size(1));
  alias.zero_();
  for (int64_t g = 0; g < groups; ++g) {
    for (int64_t d = 0; d < identities; ++d) {
      Tensor center = alias.select(0, g * out_channels_per_group + d).select(0, d);
      while (center.dim() > 0) center = center.select(0, center.size(0) / 2);
      center.fill_(1);
    }
  }
  return tensor;
}

Tensor xavier_uniform_(Tensor tensor, double gain, std::optional<Generator> generator) {
  Tensor alias = no_grad_alias(tensor, "xavier_uniform_");
  const double bound = std::sqrt(3.0) * xavier_std(tensor, gain, "xavier_uniform_");
  alias.uniform_(-bound, bound, generator);
  return tensor;
}

Tensor xavier_normal_(Tensor tensor, double gain, std::optional<Generator> generator) {
  Tensor alias = no_grad_alias(tensor, "xavier_normal_");
  alias.normal_(0, xavier_std(tensor, gain, "xavier_normal_"), generator);
  return tensor;
}

Tensor kaiming_uniform_(Tensor tensor, double a, FanModeType mode, NonlinearityType nonlinearity,
                        std::optional<Generator> generator) {
  return kaiming_uniform_(std::move(tensor), a, name_of(mode), name_of(nonlinearity),
                          std::move(generator));
}

Tensor kaiming_uniform_(Tensor tensor, double a, std::string_view mode,
                        std::string_view nonlinearity, std::optional<Generator> generator) {
  if (warn_if_empty(tensor, "kaiming_uniform_")) return tensor;
  const double std = kaiming_std(tensor, a, mode, nonlinearity, "kaiming_uniform_");
  const double bound = std::sqrt(3.0) * std;
  tensor.detach().uniform_(-bound, bound, generator);
  return tensor;
}

Tensor kaiming_normal_(Tensor tensor, double a, FanModeType mode, NonlinearityType nonlinearity,
                       std::optional<Generator> generator) {
  return kaiming_normal_(std::move(tensor), a, name_of(mode), name_of(nonlinearity),
                         std::move(generator));
}

Tensor kaiming_normal_(Tensor tensor, double a, std::string_view mode,
                       std::string_view nonlinearity, std::optional<Generator> generator) {
  if (warn_if_empty(tensor, "kaiming_normal_")) return tensor;
  const double std = kaiming_std(tensor, a, mode, nonlinearity, "kaiming_normal_");
  tensor.detach().normal_(0, std, generator);
  return tensor;
}

Tensor orthogonal_(Tensor tensor, double gain, std::optional<Generator> generator) {
  Tensor alias = no_grad_alias(tensor, "orthogonal_");
  check_dims(tensor, tensor.dim() >= 2, "2 or more", "orthogonal_");
  if (tensor.numel() == 0) return tensor;
  const int64_t rows = tensor.size(0);
  const int64_t columns = tensor.numel() / rows;
  Tensor flattened = alias.new_empty({rows, columns}).normal_(0, 1, generator);
  // QR of the tall orientation; signs from R's diagonal make Q uniform over orthogonal matrices
  // (Mezzadri, arXiv math-ph/0609050).
  if (rows < columns) flattened = flattened.t();
  auto [q, r] = linalg::qr(flattened);
  q.mul_(diagonal(r).sign());
  if (rows < columns) q = q.t();
  alias.copy_(q.reshape(tensor.sizes()));
  alias.mul_(gain);
  return tensor;
}

Tensor sparse_(Tensor tensor, double sparsity, double std, std::optional<Generator> generator) {
  Tensor alias = no_grad_alias(tensor, "sparse_");
  check_dims(tensor, tensor.dim() == 2, "2", "sparse_");
  const int64_t rows = tensor.size(0), columns = tensor.size(1);
  // As PyTorch's slice row_indices[:num_zeros], at most every row.
  const int64_t zeros_per_column = std::clamp(
      static_cast<int64_t>(std::ceil(sparsity * static_cast<double>(rows))), int64_t{0}, rows);
  alias.normal_(0, std, generator);
  for (int64_t column = 0; column < columns; ++column) {
    const Tensor zero_rows = randperm(rows, generator).narrow(0, 0, zeros_per_column);
    alias.select(1, column).index_fill_(0, zero_rows, 0);
  }
  return tensor;
}

}  // namespace ember::nn::init
