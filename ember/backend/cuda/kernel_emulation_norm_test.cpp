// The normalisation CUDA kernel bodies (norm_kernels.cuh: BatchNorm, BatchNormBackward, GroupNorm,
// GroupNormBackward) run in the CPU grid emulator on CPU tensors and compared with the same
// primitive's eval_cpu: float32 and float64 (the dtypes the CPU admits), training and eval, with
// and without weight and bias, every subset of the asked-for gradients, on odd sizes, a single
// element per channel, channels longer than a block, empty batches and the 64-bit offset path.
// The primitives take x contiguous (the ops make it so), so a channels-last input reaches the
// kernels as its contiguous copy: the cases below include x permuted from channels-last and made
// contiguous, as the op would. Sums run in another order than the CPU's, hence the tolerances
// (Note [CUDA normalisation, pooling and resampling]).
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/backend/cuda/kernel_emulation_test_support.h"
#include "ember/backend/cuda/kernel_emulator.h"
#include "ember/backend/cuda/norm_kernels.cuh"
#include "ember/ops/ops.h"

namespace ember::cuda {
namespace {

const std::vector<ScalarType> kDtypes = {kFloat32, kFloat64};

// x (N, C, *spatial) in one of three ways: fresh, from a channels-last tensor, or sliced; all
// contiguous in the end, as the primitives require.
Tensor input(std::vector<int64_t> shape, ScalarType dtype, int variant) {
  if (variant == 1 && shape.size() >= 3) {
    std::vector<int64_t> last = {shape[0]};
    for (size_t d = 2; d < shape.size(); ++d) last.push_back(shape[d]);
    last.push_back(shape[1]);
    std::vector<int64_t> order = {0, static_cast<int64_t>(shape.size()) - 1};
    for (size_t d = 1; d + 1 < shape.size(); ++d) order.push_back(static_cast<int64_t>(d));
    return contiguous(permute((randn(last) * 2 + 0.5).to(dtype), order));
  }
  if (variant == 2) {
    std::vector<int64_t> wide = shape;
    wide.back() = 2 * wide.back() + 1;
    return contiguous(slice(randn(wide).to(dtype) * 3 - 1, -1, 1, 1 + 2 * shape.back(), 2));
  }
  return (randn(shape) * 1.5 + 0.25).to(dtype);
}

std::vector<Tensor> zeros_like_all(const std::vector<Tensor>& outputs) {
  std::vector<Tensor> fresh;
  for (const Tensor& out : outputs) fresh.push_back(zeros_like(out));
  return fresh;
}

// `scale`: the size of the terms an output is the difference of, where that exceeds 1 (a grad_x
// whose statistics have almost no variance is rstd * dy minus nearly as much).
void expect_close(const std::vector<Tensor>& actual, const std::vector<Tensor>& expected,
                  const std::string& what, double scale = 1) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t k = 0; k < actual.size(); ++k) {
    const double tolerance = actual[k].dtype() == kFloat32 ? 2e-5 : 1e-12;
    EXPECT_TRUE(allclose(actual[k], expected[k], tolerance, tolerance * scale,
                         /*equal_nan=*/true))
        << what << " output " << k << "\nemulated " << actual[k] << "\ncpu " << expected[k];
  }
}

std::string describe(std::string_view op, ScalarType dtype, const std::vector<int64_t>& shape,
                     int variant, bool index64) {
  std::string text = std::string(op) + " " + std::string(dtype_name(dtype)) + " (";
  for (int64_t s : shape) text += std::to_string(s) + ",";
  return text + ") variant " + std::to_string(variant) + (index64 ? " index64" : "");
}

NormLayout layout_of(const Tensor& x, bool index64) {
  NormLayout layout = make_norm_layout(x);
  if (index64) layout.fits_32bit = false;
  return layout;
}

const std::vector<std::vector<int64_t>> kBatchShapes = {
    {4, 3, 5}, {2, 5, 7, 3}, {3, 2}, {1, 2, 1}, {0, 3, 4}, {2, 3, 300}, {2, 1, 2, 3, 2}};

TEST(KernelEmulationNorm, BatchNormMatchesTheCpu) {
  manual_seed(14);
  for (ScalarType dtype : kDtypes) {
    for (const auto& shape : kBatchShapes) {
      for (int variant = 0; variant < 3; ++variant) {
        for (int flags = 0; flags < 8; ++flags) {
          const bool training = flags & 1, has_weight = flags & 2, has_bias = flags & 4;
          const bool index64 = variant == 2;
          const int64_t channels = shape[1];
          std::vector<Tensor> inputs = {input(shape, dtype, variant)};
          if (has_weight) inputs.push_back(randn({channels}).to(dtype));
          if (has_bias) inputs.push_back(randn({channels}).to(dtype));
          if (!training) {
            inputs.push_back(randn({channels}).to(dtype));
            inputs.push_back((rand({channels}) + 0.5).to(dtype));
          }
          std::vector<Tensor> expected = {zeros(shape, dtype), zeros({channels}, dtype),
                                          zeros({channels}, dtype)};
          if (training) expected.push_back(zeros({channels}, dtype));
          std::vector<Tensor> actual = zeros_like_all(expected);
          const BatchNorm op(1e-5, training, has_weight, has_bias);
          op.eval_cpu(inputs, expected);
          run_batch_norm(op, layout_of(inputs[0], index64), inputs, actual,
                         EmulatedLauncher{"batch_norm"});
          expect_close(actual, expected,
                       describe("batch_norm", dtype, shape, variant, index64) + " flags " +
                           std::to_string(flags));
        }
      }
    }
  }
}

TEST(KernelEmulationNorm, BatchNormBackwardMatchesTheCpu) {
  manual_seed(15);
  for (ScalarType dtype : kDtypes) {
    for (const auto& shape : kBatchShapes) {
      for (int variant = 0; variant < 3; ++variant) {
        for (int flags = 0; flags < 32; ++flags) {
          const bool training = flags & 1, has_weight = flags & 2, input_grad = flags & 4,
                     weight_grad = flags & 8, bias_grad = flags & 16;
          const bool index64 = variant == 1;
          const int64_t channels = shape[1];
          std::vector<Tensor> inputs = {input(shape, dtype, 0), input(shape, dtype, variant),
                                        randn({channels}).to(dtype),
                                        (rand({channels}) + 0.5).to(dtype)};
          if (has_weight) inputs.push_back(randn({channels}).to(dtype));
          std::vector<Tensor> expected = {zeros(shape, dtype), zeros({channels}, dtype),
                                          zeros({channels}, dtype)};
          std::vector<Tensor> actual = zeros_like_all(expected);
          const BatchNormBackward op(training, has_weight, input_grad, weight_grad, bias_grad);
          op.eval_cpu(inputs, expected);
          run_batch_norm_backward(op, layout_of(inputs[1], index64), inputs, actual,
                                  EmulatedLauncher{"batch_norm_backward"});
          expect_close(actual, expected,
                       describe("batch_norm_backward", dtype, shape, variant, index64) + " flags " +
                           std::to_string(flags));
        }
      }
    }
  }
}

struct GroupCase {
  std::vector<int64_t> shape;
  int64_t groups;
};
const std::vector<GroupCase> kGroupCases = {
    {{2, 6, 5}, 3}, {{3, 4, 3, 3}, 2}, {{2, 6}, 6},         {{1, 3, 7}, 1},
    {{0, 4, 3}, 2}, {{2, 4, 0}, 2},    {{2, 2, 17, 19}, 1}, {{3, 6, 2, 1, 3}, 3}};

TEST(KernelEmulationNorm, GroupNormMatchesTheCpu) {
  manual_seed(16);
  for (ScalarType dtype : kDtypes) {
    for (const auto& [shape, groups] : kGroupCases) {
      for (int variant = 0; variant < 3; ++variant) {
        for (int flags = 0; flags < 4; ++flags) {
          const bool has_weight = flags & 1, has_bias = flags & 2;
          const bool index64 = variant == 2;
          const int64_t channels = shape[1];
          std::vector<Tensor> inputs = {input(shape, dtype, variant)};
          if (has_weight) inputs.push_back(randn({channels}).to(dtype));
          if (has_bias) inputs.push_back(randn({channels}).to(dtype));
          std::vector<Tensor> expected = {zeros(shape, dtype), zeros({shape[0] * groups}, dtype),
                                          zeros({shape[0] * groups}, dtype)};
          std::vector<Tensor> actual = zeros_like_all(expected);
          const GroupNorm op(groups, 1e-5, has_weight, has_bias);
          op.eval_cpu(inputs, expected);
          run_group_norm(op, layout_of(inputs[0], index64), inputs, actual,
                         EmulatedLauncher{"group_norm"});
          expect_close(actual, expected,
                       describe("group_norm", dtype, shape, variant, index64) + " flags " +
                           std::to_string(flags));
        }
      }
    }
  }
}

TEST(KernelEmulationNorm, GroupNormBackwardMatchesTheCpu) {
  manual_seed(17);
  for (ScalarType dtype : kDtypes) {
    for (const auto& [shape, groups] : kGroupCases) {
      for (int variant = 0; variant < 3; ++variant) {
        for (int flags = 0; flags < 8; ++flags) {
          const bool has_weight = flags & 1, weight_grad = flags & 2, bias_grad = flags & 4;
          const bool index64 = variant == 1;
          const int64_t channels = shape[1];
          // The forward's statistics, as autograd hands them over.
          const Tensor x = input(shape, dtype, variant);
          std::vector<Tensor> stats = {zeros(shape, dtype), zeros({shape[0] * groups}, dtype),
                                       zeros({shape[0] * groups}, dtype)};
          const std::vector<Tensor> forward_inputs = {x};
          GroupNorm(groups, 1e-5, false, false).eval_cpu(forward_inputs, stats);
          std::vector<Tensor> inputs = {input(shape, dtype, 0), x, stats[1], stats[2]};
          if (has_weight) inputs.push_back(randn({channels}).to(dtype));
          std::vector<Tensor> expected = {zeros(shape, dtype), zeros({channels}, dtype),
                                          zeros({channels}, dtype)};
          std::vector<Tensor> actual = zeros_like_all(expected);
          const GroupNormBackward op(groups, has_weight, weight_grad, bias_grad);
          op.eval_cpu(inputs, expected);
          run_group_norm_backward(op, layout_of(x, index64), inputs, actual,
                                  EmulatedLauncher{"group_norm_backward"});
          expect_close(actual, expected,
                       describe("group_norm_backward", dtype, shape, variant, index64) + " flags " +
                           std::to_string(flags),
                       stats[2].numel() == 0 ? 1.0 : std::max(1.0, amax(stats[2]).item<double>()));
        }
      }
    }
  }
}

TEST(KernelEmulationNorm, OtherDtypesHaveNoKernel) {
  const Tensor x = randn({2, 3, 4}).to(kFloat16);
  std::vector<Tensor> inputs = {x};
  std::vector<Tensor> outputs = {zeros_like(x), zeros({3}, kFloat16), zeros({3}, kFloat16),
                                 zeros({3}, kFloat16)};
  const BatchNorm op(1e-5, true, false, false);
  EXPECT_THROW(
      run_batch_norm(op, make_norm_layout(x), inputs, outputs, EmulatedLauncher{"batch_norm"}),
      NotImplementedError);
}

}  // namespace
}  // namespace ember::cuda
