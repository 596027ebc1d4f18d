// linear and bilinear (nn_linear.h). Both fold the leading dims of the input into one batch dim
// so that the product is a single GEMM (for linear with a bias, addmm: the bias is the GEMM's
// accumulator, no separate add), then unfold the result.
#include "ember/ops/nn_linear.h"

#include "ember/base/error.h"
#include "ember/ops/autocast.h"
#include "ember/ops/ops.h"

namespace ember {
namespace {

const Tensor* bias_of(const std::optional<Tensor>& bias) {
  return bias && bias->defined() ? &*bias : nullptr;
}

// The product of all sizes but the last: the number of rows once the leading dims are folded.
int64_t leading_rows(const Tensor& input) {
  int64_t rows = 1;
  for (int64_t d = 0; d + 1 < input.dim(); ++d) rows *= input.size(d);
  return rows;
}

// input's shape with its last size replaced by `features`.
Shape with_last(const Tensor& input, int64_t features) {
  Shape shape = input.shape();
  shape.back() = features;
  return shape;
}

void check_same_dtype(std::string_view op, const Tensor& input, std::string_view other_name,
                      const Tensor& other) {
  EMBER_CHECK(input.dtype() == other.dtype(), "[", op, "] expected input and ", other_name,
              " to have the same dtype; got ", input.dtype(), " and ", other.dtype());
}

void check_linear(const Tensor& input, const Tensor& weight, const Tensor* bias) {
  EMBER_CHECK(input.defined() && weight.defined(), "[linear] expects defined input and weight");
  EMBER_CHECK(input.dim() >= 1, "[linear] input must have at least 1 dimension; got shape ",
              input.shape());
  EMBER_CHECK(weight.dim() == 1 || weight.dim() == 2,
              "[linear] weight must be (out_features, in_features) or (in_features); got shape ",
              weight.shape());
  EMBER_CHECK(input.size(-1) == weight.size(-1), "[linear] input of shape ", input.shape(), " has ",
              input.size(-1), " features but weight of shape ", weight.shape(),
              " expects in_features = ", weight.size(-1));
  check_same_dtype("linear", input, "weight", weight);
  if (bias == nullptr) return;
  check_same_dtype("linear", input, "bias", *bias);
  const Shape result = weight.dim() == 2 ? with_last(input, weight.size(0))
                                         : Shape(input.shape().begin(), input.shape().end() - 1);
  // The bias broadcasts to the result: each of its trailing sizes is 1 or the result's.
  const int64_t offset = static_cast<int64_t>(result.size()) - bias->dim();
  bool broadcasts = offset >= 0;
  for (int64_t d = 0; broadcasts && d < bias->dim(); ++d) {
    broadcasts = bias->size(d) == 1 || bias->size(d) == result[offset + d];
  }
  EMBER_CHECK(broadcasts, "[linear] bias of shape ", bias->shape(),
              " cannot be broadcast to the result shape ", result, " (input ", input.shape(),
              ", weight ", weight.shape(), ")");
}

}  // namespace

Tensor linear(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias) {
  if (autocast::active()) {
    return autocast::lower_precision({input, weight, bias.value_or(Tensor())}, [&](const auto& in) {
      return linear(in[0], in[1], in[2].defined() ? std::optional<Tensor>(in[2]) : std::nullopt);
    });
  }
  const Tensor* b = bias_of(bias);
  check_linear(input, weight, b);
  if (weight.dim() == 1 || input.dim() == 1) {
    Tensor result = matmul(input, weight.t());
    return b ? result + *b : result;
  }
  const int64_t out_features = weight.size(0);
  const Tensor rows =
      input.dim() == 2 ? input : input.reshape({leading_rows(input), input.size(-1)});
  Tensor result = b && b->dim() <= 1 ? addmm(*b, rows, weight.t()) : mm(rows, weight.t());
  if (input.dim() != 2) result = result.reshape(with_last(input, out_features));
  return b && b->dim() > 1 ? result + *b : result;
}

Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight,
                const std::optional<Tensor>& bias) {
  const Tensor* b = bias_of(bias);
  EMBER_CHECK(input1.defined() && input2.defined() && weight.defined(),
              "[bilinear] expects defined input1, input2 and weight");
  EMBER_CHECK(input1.dim() >= 1 && input1.dim() == input2.dim(),
              "[bilinear] input1 and input2 must have the same number of dimensions (at least "
              "1); got shapes ",
              input1.shape(), " and ", input2.shape());
  for (int64_t d = 0; d + 1 < input1.dim(); ++d) {
    EMBER_CHECK(input1.size(d) == input2.size(d),
                "[bilinear] input batch dimensions do not match: got shapes ", input1.shape(),
                " and ", input2.shape());
  }
  EMBER_CHECK(weight.dim() == 3,
              "[bilinear] weight must be (out_features, in1_features, in2_features); got shape ",
              weight.shape());
  EMBER_CHECK(input1.size(-1) == weight.size(1) && input2.size(-1) == weight.size(2),
              "[bilinear] input1 of shape ", input1.shape(), " and input2 of shape ",
              input2.shape(),
              " must have weight.size(1) and weight.size(2) features; weight has "
              "shape ",
              weight.shape());
  check_same_dtype("bilinear", input1, "input2", input2);
  check_same_dtype("bilinear", input1, "weight", weight);
  if (b) {
    check_same_dtype("bilinear", input1, "bias", *b);
    EMBER_CHECK(b->dim() == 1 && b->size(0) == weight.size(0), "[bilinear] bias of shape ",
                b->shape(), " does not match out_features ", weight.size(0), " of weight ",
                weight.shape());
  }
  const int64_t out = weight.size(0), in1 = weight.size(1), in2 = weight.size(2);
  const int64_t rows = leading_rows(input1);
  // (rows, in1) @ (in1, out * in2): input1 contracted with every output's matrix in one GEMM,
  // then each row's (out, in2) block times its input2 row.
  const Tensor projected =
      mm(input1.reshape({rows, in1}), weight.permute({1, 0, 2}).reshape({in1, out * in2}))
          .reshape({rows, out, in2});
  Tensor result = matmul(projected, input2.reshape({rows, in2, 1})).reshape(with_last(input1, out));
  return b ? result + *b : result;
}

}  // namespace ember
