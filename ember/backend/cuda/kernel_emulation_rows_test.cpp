// The row-wise and reduction-family CUDA kernel bodies (reduce_kernels.cuh for every ReduceOp and
// CountNonzero, arg_reduce_kernels.cuh, softmax_kernels.cuh, scan_kernels.cuh,
// layer_norm_kernels.cuh) run in the CPU grid emulator on CPU tensors and compared with the CPU
// backend's eval_cpu of the same primitive: every dtype the kernel covers, every output dtype it
// stores, reduced dims inner and outer, contiguous, transposed, empty, size-1 and odd sizes, both
// walks (a block per output, a thread per output) and the 64-bit index path (Note [CUDA rows and
// reductions]).
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "ember/backend/cuda/arg_reduce_kernels.cuh"
#include "ember/backend/cuda/elementwise_kernels.cuh"
#include "ember/backend/cuda/kernel_emulation_test_support.h"
#include "ember/backend/cuda/kernel_emulator.h"
#include "ember/backend/cuda/layer_norm_kernels.cuh"
#include "ember/backend/cuda/loss_kernels.cuh"
#include "ember/backend/cuda/reduce_kernels.cuh"
#include "ember/backend/cuda/scan_kernels.cuh"
#include "ember/backend/cuda/softmax_kernels.cuh"
#include "ember/ops/nn_activation.h"
#include "ember/ops/nn_loss.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"
#include "ember/ops/primitives_nn.h"
#include "ember/ops/primitives_nn_loss.h"
#include "ember/ops/primitives_nn_norm.h"
#include "ember/ops/primitives_scan.h"

namespace ember::cuda {
namespace {

// Values with ties (floats rounded to halves, small integers) and zeros; bool half true.
Tensor values(IntArrayRef shape, ScalarType dtype) {
  if (dtype == kBool) return randint(0, 2, shape, kInt64).to(kBool);
  if (is_floating_point(dtype)) return (round(randn(shape) * 4) / 2).to(dtype);
  return randint(-6, 7, shape, dtype);
}

// " 3 4 5" for {3, 4, 5}; appended piece by piece (GCC 12 warns about `" " + std::string`).
std::string sizes_text(const std::vector<int64_t>& sizes) {
  std::string text;
  for (int64_t s : sizes) {
    text += ' ';
    text += std::to_string(s);
  }
  return text;
}

Tensor run_cpu(const Primitive& primitive, const Tensor& x, const Tensor& out) {
  const std::vector<Tensor> in{x};
  const std::vector<Tensor> outs{out};
  primitive.eval_cpu(in, outs);
  return out;
}

// ---------------------------------------------------------------- Reduce, CountNonzero

Tensor case_input(const ReduceCase& c, ScalarType dtype) {
  if (!c.transposed) return values(c.shape, dtype);
  std::vector<int64_t> swapped = c.shape;
  std::swap(swapped[swapped.size() - 1], swapped[swapped.size() - 2]);
  return transpose(values(swapped, dtype), -1, -2);
}

std::vector<int64_t> keepdim_shape(const ReduceCase& c) {
  std::vector<int64_t> shape = c.shape;
  for (int64_t d : c.dims) shape[d] = 1;
  return shape;
}

std::string describe(const ReduceCase& c, ScalarType dtype, bool force_64bit) {
  std::string what = std::string(dtype_name(dtype)) + " shape";
  what += sizes_text(c.shape);
  what += " dims";
  what += sizes_text(c.dims);
  if (c.transposed) what += " transposed";
  if (force_64bit) what += " index64";
  return what;
}

template <template <typename> class Fold, typename T, typename Out>
void check_fold(ReduceOp op, const Tensor& x, const ReduceCase& c, bool force_64bit) {
  const Reduce primitive(op);
  const std::string what = std::string(primitive.name()) + " -> " +
                           std::string(dtype_name(scalar_type_of<Out>())) + " " +
                           describe(c, x.dtype(), force_64bit);
  const Tensor out = empty(keepdim_shape(c), scalar_type_of<Out>());
  ReduceLayout layout = make_reduce_layout(primitive.name(), x, out);
  if (force_64bit) layout.fits_32bit = false;
  run_reduce<Fold<T>, T, Out>(layout, EmulatedLauncher{primitive.name()});
  const bool reassociated =
      op == ReduceOp::Sum || op == ReduceOp::Prod || op == ReduceOp::SumSquares;
  expect_matches(out, run_cpu(primitive, x, empty(keepdim_shape(c), scalar_type_of<Out>())), what,
                 reassociated);
}

// Every output dtype reduce.cu stores for T: T itself and the accumulate type (and float32/64
// for bool).
template <template <typename> class Fold, typename T>
void check_sum_like(ReduceOp op, const Tensor& x, const ReduceCase& c, bool force_64bit) {
  check_fold<Fold, T, WideAcc<T>>(op, x, c, force_64bit);
  if constexpr (!std::is_same_v<WideAcc<T>, T>) check_fold<Fold, T, T>(op, x, c, force_64bit);
  if constexpr (std::is_same_v<T, bool>) {
    check_fold<Fold, T, float>(op, x, c, force_64bit);
    check_fold<Fold, T, double>(op, x, c, force_64bit);
  }
}

template <typename T>
void check_reduce_ops(ScalarType dtype) {
  for (const ReduceCase& c : kReduceCases) {
    for (bool force_64bit : {false, true}) {
      const Tensor x = case_input(c, dtype);
      check_sum_like<SumReduce, T>(ReduceOp::Sum, x, c, force_64bit);
      check_sum_like<SumSquaresReduce, T>(ReduceOp::SumSquares, x, c, force_64bit);
      check_fold<AllReduce, T, bool>(ReduceOp::All, x, c, force_64bit);
      check_fold<AnyReduce, T, bool>(ReduceOp::Any, x, c, force_64bit);
      // Products of values near 1 stay finite in every order the folds take.
      const Tensor near_one = kIsKernelFloat<T> ? (1 + randn(x.sizes()) / 64).to(dtype) : x;
      check_sum_like<ProdReduce, T>(ReduceOp::Prod, near_one, c, force_64bit);
      if (x.numel() == 0) continue;  // amax/amin of nothing is an error on the CPU
      check_fold<MaxReduce, T, T>(ReduceOp::Amax, x, c, force_64bit);
      check_fold<MinReduce, T, T>(ReduceOp::Amin, x, c, force_64bit);
    }
  }
}

TEST(KernelEmulationRowsReduce, EveryOpDtypeAndOutputDtypeMatchesTheCpu) {
  manual_seed(14);
  for (ScalarType dtype : kKernelDtypes) {
    EXPECT_TRUE(visit_kernel_dtype(dtype, [&](auto* tag) {
      check_reduce_ops<std::remove_pointer_t<decltype(tag)>>(dtype);
      return true;
    }));
  }
  check_reduce_ops<bool>(kBool);
}

TEST(KernelEmulationRowsReduce, NanPropagatesThroughEveryFloatFold) {
  Tensor x = randn({3, 300});
  x.data_ptr<float>()[300 + 17] = std::numeric_limits<float>::quiet_NaN();
  const ReduceCase c{{3, 300}, {1}, false};
  check_fold<SumReduce, float, float>(ReduceOp::Sum, x, c, false);
  check_fold<ProdReduce, float, float>(ReduceOp::Prod, x, c, false);
  check_fold<MinReduce, float, float>(ReduceOp::Amin, x, c, false);
  check_fold<AllReduce, float, bool>(ReduceOp::All, x, c, false);  // NaN counts as true
}

template <typename T>
void check_count_nonzero(ScalarType dtype) {
  for (const ReduceCase& c : kReduceCases) {
    Tensor x = case_input(c, dtype);
    if constexpr (kIsKernelFloat<T>) {
      if (x.numel() > 1) x.data_ptr<T>()[1] = T(std::nanf(""));
    }
    const CountNonzero primitive;
    const Tensor out = empty({}, kInt64);
    run_reduce<NonzeroCountReduce<T>, T, int64_t>(make_reduce_layout("nonzero", x, out),
                                                  EmulatedLauncher{"nonzero"});
    expect_matches(out, run_cpu(primitive, x, empty({}, kInt64)),
                   "count_nonzero " + describe(c, dtype, false), false);
  }
}

TEST(KernelEmulationRowsReduce, CountNonzeroMatchesTheCpu) {
  manual_seed(14);
  for (ScalarType dtype : kKernelDtypes) {
    visit_kernel_dtype(dtype, [&](auto* tag) {
      check_count_nonzero<std::remove_pointer_t<decltype(tag)>>(dtype);
      return true;
    });
  }
  check_count_nonzero<bool>(kBool);
}

// ---------------------------------------------------------------- ArgReduce

struct ArgCase {
  std::vector<int64_t> shape;
  int64_t dim;
  bool transposed;
};
const std::vector<ArgCase> kArgCases = {
    {{5, 1000}, 1, false}, {{1000, 3}, 0, false},  {{3, 1100}, 0, false}, {{1100, 3}, 1, false},
    {{7, 9}, 0, true},     {{7, 9}, 1, true},      {{4, 1, 5}, 1, false}, {{0, 4}, 1, false},
    {{1, 1}, 0, false},    {{2, 37, 3}, 1, false}, {{1200, 7}, 1, true},
};

template <typename T, bool kMax>
void check_arg(const Tensor& x, int64_t dim, bool force_64bit, const std::string& what) {
  const ArgReduce primitive(kMax, dim);
  std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end());
  shape[dim] = 1;
  const Tensor values_out = empty(shape, x.dtype());
  const Tensor indices_out = empty(shape, kInt64);
  ReduceLayout layout = make_reduce_layout(primitive.name(), x, values_out);
  if (force_64bit) layout.fits_32bit = false;
  run_arg_reduce<T, kMax>(layout, indices_out.data_ptr<int64_t>(),
                          EmulatedLauncher{primitive.name()});
  const Tensor expected_values = empty(shape, x.dtype());
  const Tensor expected_indices = empty(shape, kInt64);
  const std::vector<Tensor> in{x};
  const std::vector<Tensor> outs{expected_values, expected_indices};
  primitive.eval_cpu(in, outs);
  const std::string label = std::string(primitive.name()) + " " + what;
  expect_matches(values_out, expected_values, label, false);
  EXPECT_TRUE(equal(indices_out, expected_indices)) << label;
}

template <typename T>
void check_arg_cases(ScalarType dtype) {
  for (const ArgCase& c : kArgCases) {
    for (bool force_64bit : {false, true}) {
      Tensor x = values(c.shape, dtype);
      if (c.transposed) x = transpose(values({c.shape[1], c.shape[0]}, dtype), 0, 1);
      std::string what =
          std::string(dtype_name(dtype)) + std::string(" dim ") + std::to_string(c.dim);
      what += sizes_text(c.shape);
      if (c.transposed) what += " transposed";
      if (force_64bit) what += " index64";
      check_arg<T, true>(x, c.dim, force_64bit, what);
      check_arg<T, false>(x, c.dim, force_64bit, what);
    }
  }
}

TEST(KernelEmulationRowsArgReduce, FirstExtremumMatchesTheCpu) {
  manual_seed(14);
  for (ScalarType dtype : kKernelDtypes) {
    visit_kernel_dtype(dtype, [&](auto* tag) {
      check_arg_cases<std::remove_pointer_t<decltype(tag)>>(dtype);
      return true;
    });
  }
}

TEST(KernelEmulationRowsArgReduce, TheFirstNanWins) {
  // Rows of 1000 (a block each) and columns of 1100 (a thread each), NaNs at two places.
  Tensor rows = randn({4, 1000});
  Tensor columns = randn({1100, 1100});
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (int64_t r : {1, 3}) {
    rows.data_ptr<float>()[r * 1000 + 700] = nan;
    rows.data_ptr<float>()[r * 1000 + 20 * r] = nan;
  }
  columns.data_ptr<float>()[900 * 1100 + 5] = nan;
  columns.data_ptr<float>()[1000 * 1100 + 5] = nan;
  check_arg<float, true>(rows, 1, false, "rows with NaN");
  check_arg<float, false>(rows, 1, false, "rows with NaN");
  check_arg<float, true>(columns, 0, false, "columns with NaN");
  check_arg<float, false>(columns, 0, false, "columns with NaN");
}

// ---------------------------------------------------------------- Softmax

struct SoftmaxCase {
  std::vector<int64_t> shape;
  int64_t dim;
};
// Rows (inner == 1) of a block each, odd and longer than a block; columns of a thread each.
const std::vector<SoftmaxCase> kSoftmaxCases = {
    {{5, 1000}, 1}, {{3, 37}, 1}, {{4, 7, 33}, 2},  {{4, 7, 33}, 1}, {{4, 7, 33}, 0}, {{0, 5}, 1},
    {{5, 0}, 1},    {{1, 1}, 1},  {{2, 300, 3}, 1}, {{9}, 0},        {{}, 0},
};

template <typename T>
void check_softmax(const Tensor& x, int64_t dim, const std::string& what) {
  for (bool log : {false, true}) {
    const Softmax primitive(dim, log);
    const Tensor out = empty(x.sizes(), x.dtype());
    int64_t outer = 1;
    int64_t inner = 1;
    for (int64_t d = 0; d < x.dim(); ++d) {
      if (d < dim) outer *= x.sizes()[d];
      if (d > dim) inner *= x.sizes()[d];
    }
    const int64_t n = x.dim() == 0 ? 1 : x.sizes()[dim];
    run_softmax<T>(x.data_ptr<T>(), out.data_ptr<T>(), outer, n, inner, log,
                   EmulatedLauncher{primitive.name()});
    expect_matches(out, run_cpu(primitive, x, empty(x.sizes(), x.dtype())),
                   std::string(primitive.name()) + " " + what, true);
  }
}

TEST(KernelEmulationRowsSoftmax, MatchesTheCpuAlongEveryDim) {
  manual_seed(14);
  for (ScalarType dtype : {kFloat32, kFloat64, kFloat16, kBFloat16}) {
    visit_kernel_dtype(dtype, [&](auto* tag) {
      using T = std::remove_pointer_t<decltype(tag)>;
      if constexpr (kIsKernelFloat<T>) {
        for (const SoftmaxCase& c : kSoftmaxCases) {
          std::string what =
              std::string(dtype_name(dtype)) + std::string(" dim ") + std::to_string(c.dim);
          what += sizes_text(c.shape);
          check_softmax<T>((randn(c.shape) * 3).to(dtype), c.dim, what);
        }
      }
      return true;
    });
  }
}

TEST(KernelEmulationRowsSoftmax, InfinitiesAndNanAsTheCpu) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Rows: some -inf, all -inf, a +inf, a NaN; the same as columns.
  Tensor rows = randn({4, 300});
  float* data = rows.data_ptr<float>();
  for (int i = 0; i < 300; i += 3) data[i] = -inf;
  for (int i = 300; i < 600; ++i) data[i] = -inf;
  data[600 + 250] = inf;
  data[900 + 40] = nan;
  check_softmax<float>(rows, 1, "rows with infinities and NaN");
  check_softmax<float>(transpose(rows, 0, 1).contiguous(), 0, "columns with infinities and NaN");
}

// ---------------------------------------------------------------- Scan

struct ScanCase {
  std::vector<int64_t> shape;
  int64_t dim;
  bool transposed;  // the input's last two dims swapped
};
// Rows shorter and longer than a block (several chunks), scanned along inner and outer dims,
// transposed, empty and 0-d; the last two have enough strided rows for a thread each.
const std::vector<ScanCase> kScanCases = {
    {{3, 1000}, 1, false}, {{3, 37}, 1, false}, {{600, 4}, 0, false}, {{4, 5, 6}, 1, false},
    {{7, 9}, 0, true},     {{7, 9}, 1, true},   {{0, 5}, 1, false},   {{5, 0}, 1, false},
    {{1, 1}, 0, false},    {{513}, 0, false},   {{}, 0, false},       {{40, 1100}, 0, false},
    {{1100, 9}, 1, true},
};

template <typename ScanBody, typename T>
void check_scan(ScanOp op, const Tensor& x, int64_t dim, const std::string& what) {
  const Scan primitive(op, dim);
  const bool with_indices = op == ScanOp::Max || op == ScanOp::Min;
  const Tensor values_out = empty(x.sizes(), x.dtype());
  const Tensor indices_out = empty(x.sizes(), kInt64);
  run_scan<ScanBody, T>(
      make_scan_layout(primitive.name(), x, values_out, with_indices ? &indices_out : nullptr, dim),
      EmulatedLauncher{primitive.name()});
  std::vector<Tensor> outs{empty(x.sizes(), x.dtype())};
  if (with_indices) outs.push_back(empty(x.sizes(), kInt64));
  const std::vector<Tensor> in{x};
  primitive.eval_cpu(in, outs);
  const std::string label = std::string(primitive.name()) + " " + what;
  expect_matches(values_out, outs[0], label, !with_indices);
  if (with_indices) {
    EXPECT_TRUE(equal(indices_out, outs[1])) << label;
  }
}

template <typename T>
void check_scans(ScalarType dtype) {
  for (const ScanCase& c : kScanCases) {
    Tensor x = values(c.shape, dtype);
    if (c.transposed) x = transpose(values({c.shape[1], c.shape[0]}, dtype), 0, 1);
    std::string what =
        std::string(dtype_name(dtype)) + std::string(" dim ") + std::to_string(c.dim);
    what += sizes_text(c.shape);
    if (c.transposed) what += " transposed";
    check_scan<CumSum<T>, T>(ScanOp::Sum, x, c.dim, what);
    check_scan<CumExtremum<T, true>, T>(ScanOp::Max, x, c.dim, what);
    check_scan<CumExtremum<T, false>, T>(ScanOp::Min, x, c.dim, what);
    if constexpr (kIsKernelFloat<T>) {
      // Products of values near 1 stay finite over a thousand elements.
      check_scan<CumProd<T>, T>(ScanOp::Prod, (1 + randn(x.sizes()) / 64).to(dtype), c.dim, what);
      check_scan<LogCumSumExp<T>, T>(ScanOp::LogSumExp, x, c.dim, what);
    } else {
      check_scan<CumProd<T>, T>(ScanOp::Prod, x, c.dim, what);  // wraps, in any order
    }
  }
}

TEST(KernelEmulationRowsScan, EveryScanAndDtypeMatchesTheCpu) {
  manual_seed(14);
  for (ScalarType dtype : kKernelDtypes) {
    visit_kernel_dtype(dtype, [&](auto* tag) {
      check_scans<std::remove_pointer_t<decltype(tag)>>(dtype);
      return true;
    });
  }
}

TEST(KernelEmulationRowsScan, NanTakesOverAndInfinitiesStay) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor x = randn({3, 700});
  float* data = x.data_ptr<float>();
  data[100] = nan;
  data[600] = nan;
  data[700 + 300] = inf;
  data[700 + 500] = -inf;
  for (int i = 1400; i < 1700; ++i) data[i] = -inf;
  check_scan<CumSum<float>, float>(ScanOp::Sum, x, 1, "with NaN and infinities");
  check_scan<CumExtremum<float, true>, float>(ScanOp::Max, x, 1, "with NaN and infinities");
  check_scan<CumExtremum<float, false>, float>(ScanOp::Min, x, 1, "with NaN and infinities");
  check_scan<LogCumSumExp<float>, float>(ScanOp::LogSumExp, x, 1, "with NaN and infinities");
}

// ---------------------------------------------------------------- LayerNorm

const std::vector<std::pair<int64_t, int64_t>> kLayerNormShapes = {{5, 1000}, {3, 37},  {0, 8},
                                                                   {4, 1},    {2, 300}, {1100, 3}};

template <typename T>
void check_layer_norm(int64_t rows, int64_t n, bool has_weight, bool has_bias,
                      const std::string& what) {
  const ScalarType dtype = scalar_type_of<T>();
  const Tensor x = (randn({rows, n}) * 3 + 1).to(dtype);
  const Tensor weight = randn({n}).to(dtype);
  const Tensor bias = randn({n}).to(dtype);
  std::vector<Tensor> in{x};
  if (has_weight) in.push_back(weight);
  if (has_bias) in.push_back(bias);
  const LayerNorm forward(n, 1e-5, has_weight, has_bias);
  const std::vector<Tensor> out{empty({rows, n}, dtype), empty({rows}, dtype),
                                empty({rows}, dtype)};
  run_layer_norm(LayerNormRows<T>{x.data_ptr<T>(), has_weight ? weight.data_ptr<T>() : nullptr,
                                  has_bias ? bias.data_ptr<T>() : nullptr, out[0].data_ptr<T>(),
                                  out[1].data_ptr<T>(), out[2].data_ptr<T>(), rows, n, 1e-5},
                 EmulatedLauncher{"layer_norm"});
  const std::vector<Tensor> expected{empty({rows, n}, dtype), empty({rows}, dtype),
                                     empty({rows}, dtype)};
  forward.eval_cpu(in, expected);
  for (int k = 0; k < 3; ++k) {
    expect_matches(out[k], expected[k],
                   std::string("layer_norm output ") + std::to_string(k) + " " + what, true);
  }

  // Rows of one or two elements normalize to constants: their exact input gradient is 0 and the
  // computed one rounding noise times rstd, other noise on the CPU (whose kernels contract FMAs).
  if (n <= 2) return;
  const Tensor dy = randn({rows, n}).to(dtype);
  std::vector<Tensor> backward_in{dy, x, expected[1], expected[2]};
  if (has_weight) backward_in.push_back(weight);
  for (bool param_grads : {false, true}) {
    const LayerNormBackward backward(n, has_weight, param_grads && has_weight, param_grads);
    const std::vector<Tensor> grads{empty({rows, n}, dtype), zeros({n}, dtype), zeros({n}, dtype)};
    run_layer_norm_backward(
        LayerNormBackwardRows<T>{
            dy.data_ptr<T>(), x.data_ptr<T>(), expected[1].data_ptr<T>(), expected[2].data_ptr<T>(),
            has_weight ? weight.data_ptr<T>() : nullptr, grads[0].data_ptr<T>(), rows, n},
        LayerNormParamGrads<T>{dy.data_ptr<T>(), x.data_ptr<T>(), expected[1].data_ptr<T>(),
                               expected[2].data_ptr<T>(),
                               backward.weight_grad() ? grads[1].data_ptr<T>() : nullptr,
                               backward.bias_grad() ? grads[2].data_ptr<T>() : nullptr, rows, n},
        EmulatedLauncher{"layer_norm_backward"});
    const std::vector<Tensor> expected_grads{empty({rows, n}, dtype), zeros({n}, dtype),
                                             zeros({n}, dtype)};
    backward.eval_cpu(backward_in, expected_grads);
    for (int k = 0; k < 3; ++k) {
      expect_matches(grads[k], expected_grads[k],
                     std::string("layer_norm_backward output ") + std::to_string(k) +
                         (param_grads ? " with parameter grads " : " ") + what,
                     true);
    }
  }
}

TEST(KernelEmulationRowsLayerNorm, ForwardAndBackwardMatchTheCpu) {
  manual_seed(14);
  for (auto [rows, n] : kLayerNormShapes) {
    for (bool has_weight : {false, true}) {
      for (bool has_bias : {false, true}) {
        const std::string what = std::to_string(rows) + std::string("x") + std::to_string(n) +
                                 (has_weight ? " weight" : "") + (has_bias ? " bias" : "");
        check_layer_norm<float>(rows, n, has_weight, has_bias, "float32 " + what);
        check_layer_norm<double>(rows, n, has_weight, has_bias, "float64 " + what);
      }
    }
  }
}

// ---------------------------------------------------------------- classification losses

struct LossCase {
  int64_t batch, classes, positions;  // the canonical (N, C, S)
};
// More positions than the forward block's threads, positions S > 1 (classes strided), empty.
const std::vector<LossCase> kLossCases = {
    {4, 5, 1}, {3, 7, 6}, {0, 5, 1}, {300, 10, 1}, {2, 3, 300}};
constexpr int64_t kIgnore = -100;

// Targets in [0, C) with every fifth ignored.
Tensor loss_targets(const LossCase& c) {
  Tensor t = randint(0, c.classes, {c.batch, c.positions}, kInt64);
  int64_t* data = t.data_ptr<int64_t>();
  for (int64_t i = 0; i < t.numel(); i += 5) data[i] = kIgnore;
  return t;
}

ClassLossShape shape_of(const LossCase& c, const ClassLossOptions& options) {
  return ClassLossShape{c.classes,
                        c.positions,
                        c.batch * c.positions,
                        options.ignore_index,
                        options.reduction != Reduction::None,
                        options.reduction == Reduction::Mean};
}

std::vector<int64_t> loss_shape(const LossCase& c, const ClassLossOptions& options) {
  if (options.reduction == Reduction::None) return {c.batch, c.positions};
  return {};
}

template <typename T>
void check_nll(const LossCase& c, const ClassLossOptions& options, const std::string& what) {
  const ScalarType dtype = scalar_type_of<T>();
  const Tensor input = log_softmax(randn({c.batch, c.classes, c.positions}), 1).to(dtype);
  const Tensor target = loss_targets(c);
  const Tensor weight = (rand({c.classes}) + 0.5).to(dtype);
  const ClassLossShape shape = shape_of(c, options);
  const std::vector<Tensor> out{empty(loss_shape(c, options), dtype), empty({}, dtype)};
  run_loss_forward(
      NllLossForward<T>{input.data_ptr<T>(), target.data_ptr<int64_t>(), weight.data_ptr<T>(),
                        out[0].data_ptr<T>(), out[1].data_ptr<T>(), shape},
      EmulatedLauncher{"nll_loss"});
  const std::vector<Tensor> in{input, target, weight};
  const std::vector<Tensor> expected{empty(loss_shape(c, options), dtype), empty({}, dtype)};
  NllLoss(options).eval_cpu(in, expected);
  expect_matches(out[0], expected[0], "nll_loss " + what, true);
  expect_matches(out[1], expected[1], "nll_loss total_weight " + what, true);

  const Tensor grad = randn(loss_shape(c, options)).to(dtype);
  const Tensor grad_input = full({c.batch, c.classes, c.positions}, 7.0, dtype);
  run_loss_positions(NllLossBackwardPositions<T>{grad.data_ptr<T>(), target.data_ptr<int64_t>(),
                                                 weight.data_ptr<T>(), expected[1].data_ptr<T>(),
                                                 grad_input.data_ptr<T>(), shape},
                     shape.rows, EmulatedLauncher{"nll_loss_backward"});
  const std::vector<Tensor> backward_in{grad, target, weight, expected[1]};
  const std::vector<Tensor> expected_grad{empty({c.batch, c.classes, c.positions}, dtype)};
  NllLossBackward(options).eval_cpu(backward_in, expected_grad);
  expect_matches(grad_input, expected_grad[0], "nll_loss_backward " + what, false);
}

template <typename T>
void check_cross_entropy(const LossCase& c, const ClassLossOptions& options, double smoothing,
                         const std::string& what) {
  const ScalarType dtype = scalar_type_of<T>();
  const Tensor logits = (randn({c.batch, c.classes, c.positions}) * 3).to(dtype);
  const Tensor target = loss_targets(c);
  const Tensor weight = (rand({c.classes}) + 0.5).to(dtype);
  const ClassLossShape shape = shape_of(c, options);
  const std::vector<Tensor> out{empty(loss_shape(c, options), dtype),
                                empty({c.batch, c.positions}, dtype), empty({}, dtype)};
  run_loss_forward(
      CrossEntropyForward<T>{logits.data_ptr<T>(), target.data_ptr<int64_t>(), weight.data_ptr<T>(),
                             out[0].data_ptr<T>(), out[1].data_ptr<T>(), out[2].data_ptr<T>(),
                             shape, static_cast<T>(smoothing)},
      EmulatedLauncher{"cross_entropy_loss"});
  const std::vector<Tensor> in{logits, target, weight};
  const std::vector<Tensor> expected{empty(loss_shape(c, options), dtype),
                                     empty({c.batch, c.positions}, dtype), empty({}, dtype)};
  CrossEntropy(options, smoothing).eval_cpu(in, expected);
  for (int k = 0; k < 3; ++k) {
    expect_matches(out[k], expected[k],
                   std::string("cross_entropy output ") + std::to_string(k) + " " + what, true);
  }

  const Tensor grad = randn(loss_shape(c, options)).to(dtype);
  const Tensor grad_logits = empty({c.batch, c.classes, c.positions}, dtype);
  run_loss_positions(
      CrossEntropyBackwardPositions<T>{grad.data_ptr<T>(), logits.data_ptr<T>(),
                                       target.data_ptr<int64_t>(), weight.data_ptr<T>(),
                                       expected[1].data_ptr<T>(), expected[2].data_ptr<T>(),
                                       grad_logits.data_ptr<T>(), shape, static_cast<T>(smoothing)},
      shape.rows, EmulatedLauncher{"cross_entropy_loss_backward"});
  const std::vector<Tensor> backward_in{grad, logits, target, weight, expected[1], expected[2]};
  const std::vector<Tensor> expected_grad{empty({c.batch, c.classes, c.positions}, dtype)};
  CrossEntropyBackward(options, smoothing).eval_cpu(backward_in, expected_grad);
  expect_matches(grad_logits, expected_grad[0], "cross_entropy_backward " + what, true);
}

TEST(KernelEmulationRowsLoss, NllAndCrossEntropyMatchTheCpu) {
  manual_seed(14);
  for (const LossCase& c : kLossCases) {
    for (int64_t reduction : {Reduction::None, Reduction::Mean, Reduction::Sum}) {
      const ClassLossOptions options{reduction, kIgnore};
      std::string what = "(N, C, S)" + sizes_text({c.batch, c.classes, c.positions});
      what += " reduction ";
      what += std::to_string(reduction);
      check_nll<float>(c, options, "float32 " + what);
      check_nll<double>(c, options, "float64 " + what);
      for (double smoothing : {0.0, 0.1}) {
        const std::string smoothed = what + std::string(" smoothing ") + std::to_string(smoothing);
        check_cross_entropy<float>(c, options, smoothing, "float32 " + smoothed);
        check_cross_entropy<double>(c, options, smoothing, "float64 " + smoothed);
      }
    }
  }
}

TEST(KernelEmulationRowsLoss, ATargetOutOfRangeIsAnIndexError) {
  const LossCase c{3, 4, 1};
  const ClassLossOptions options{Reduction::Sum, kIgnore};
  const Tensor input = randn({3, 4, 1});
  const Tensor target = zeros({3, 1}, kInt64);
  target.data_ptr<int64_t>()[1] = 4;
  const Tensor weight = ones({4});
  const Tensor loss = empty({});
  const Tensor total = empty({});
  EXPECT_THROW(
      run_loss_forward(NllLossForward<float>{input.data_ptr<float>(), target.data_ptr<int64_t>(),
                                             weight.data_ptr<float>(), loss.data_ptr<float>(),
                                             total.data_ptr<float>(), shape_of(c, options)},
                       EmulatedLauncher{"nll_loss"}),
      IndexError);
}

TEST(KernelEmulationRowsLoss, BinaryCrossEntropyMatchesTheCpu) {
  manual_seed(14);
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    for (int64_t n : {int64_t{0}, int64_t{7}, int64_t{1000}}) {
      const Tensor input = rand({n}, dtype);
      const Tensor target = rand({n}, dtype);
      const Tensor out = empty({n}, dtype);
      visit_kernel_dtype(dtype, [&](auto* tag) {
        using T = std::remove_pointer_t<decltype(tag)>;
        if constexpr (std::is_floating_point_v<T>) {
          if (n >= 2) {  // the clamped logs of 0 and 1
            input.data_ptr<T>()[0] = T(0);
            input.data_ptr<T>()[1] = T(1);
          }
          run_loss_positions(
              BinaryCrossEntropyElements<T>{input.data_ptr<T>(), target.data_ptr<T>(),
                                            out.data_ptr<T>(), n},
              n, EmulatedLauncher{"binary_cross_entropy"});
        }
        return true;
      });
      const std::vector<Tensor> in{input, target};
      const std::vector<Tensor> expected{empty({n}, dtype)};
      BinaryCrossEntropy().eval_cpu(in, expected);
      expect_matches(out, expected[0],
                     std::string("binary_cross_entropy ") + std::string(dtype_name(dtype)) +
                         std::string(" ") + std::to_string(n),
                     true);
    }
  }
}

}  // namespace
}  // namespace ember::cuda
