// The pooling and resampling CUDA kernel bodies (pool_kernels.cuh: Pool max and average,
// AvgPoolBackward; upsample_kernels.cuh: Upsample and its adjoint) run in the CPU grid emulator on
// CPU tensors and compared with the same primitive's eval_cpu: float32
// and float64 (the dtypes the CPU admits), 1-, 2- and 3-d windows with stride, padding, dilation,
// ceil mode, count_include_pad, divisor_override and adaptive windows, NaNs and ties, empty
// batches and the 64-bit offset path. Max pooling and average pooling are the CPU's bit for bit;
// the emulator runs the backward's atomic adds in the CPU's order, so it is too (on the device
// their order is free). Upsample runs every mode, 1- to 3-d, up and down, with and without
// align_corners and scale factors; its forward is the CPU's bit for bit, its adjoint within
// rounding. The primitives take x contiguous (the ops make it so).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/backend/cuda/kernel_emulation_test_support.h"
#include "ember/backend/cuda/kernel_emulator.h"
#include "ember/backend/cuda/pool_kernels.cuh"
#include "ember/backend/cuda/upsample_kernels.cuh"
#include "ember/ops/ops.h"

namespace ember::cuda {
namespace {

// A window axis as nn.functional's pools describe it: kernel, stride, padding and dilation, the
// output size floored or (ceil_mode) ceiled with the last window starting inside the input or its
// left padding; each window clipped to the input, its extent counting the padding where
// count_include_pad.
struct AxisCase {
  int64_t in, kernel, stride, pad, dilation;
  bool ceil_mode;
};

PoolAxis fixed_axis(const AxisCase& c, bool count_include_pad) {
  const int64_t span = c.in + 2 * c.pad - c.dilation * (c.kernel - 1) - 1;
  int64_t out = (span + (c.ceil_mode ? c.stride - 1 : 0)) / c.stride + 1;
  if (c.ceil_mode && (out - 1) * c.stride >= c.in + c.pad) --out;
  PoolAxis axis;
  axis.input_size = c.in;
  axis.dilation = c.dilation;
  axis.first.assign(out, 0);
  axis.count.assign(out, 0);
  axis.extent.assign(out, 0);
  for (int64_t o = 0; o < out; ++o) {
    const int64_t start = o * c.stride - c.pad;
    const int64_t end = std::min(start + (c.kernel - 1) * c.dilation + 1, c.in);
    int64_t first = start;
    while (first < 0) first += c.dilation;
    const int64_t count = end > first ? (end - first + c.dilation - 1) / c.dilation : 0;
    axis.first[o] = count > 0 ? first : std::clamp<int64_t>(first, 0, c.in - 1);
    axis.count[o] = count;
    axis.extent[o] = count_include_pad ? std::min(start + c.kernel, c.in + c.pad) - start : count;
  }
  return axis;
}

PoolAxis adaptive_axis(int64_t in, int64_t out) {
  PoolAxis axis;
  axis.input_size = in;
  axis.first.assign(out, 0);
  axis.count.assign(out, 0);
  axis.extent.assign(out, 0);
  for (int64_t o = 0; o < out; ++o) {
    const int64_t start = o * in / out;
    const int64_t end = ((o + 1) * in + out - 1) / out;
    axis.first[o] = start;
    axis.count[o] = end - start;
    axis.extent[o] = end - start;
  }
  return axis;
}

struct PoolCase {
  std::string name;
  PoolWindows windows;
  bool avg_ok = true;  // average pooling takes no dilation
};

std::vector<PoolCase> pool_cases() {
  std::vector<PoolCase> cases;
  const PoolAxis unit;
  for (bool include_pad : {false, true}) {
    const std::string suffix = include_pad ? " include_pad" : "";
    PoolCase two_d{"2d k3 s2 p1" + suffix, {}};
    two_d.windows.axes = {unit, fixed_axis({9, 3, 2, 1, 1, false}, include_pad),
                          fixed_axis({10, 3, 2, 1, 1, false}, include_pad)};
    cases.push_back(two_d);
    PoolCase ceil{"2d k2 s2 ceil" + suffix, {}};
    ceil.windows.axes = {unit, fixed_axis({7, 2, 2, 0, 1, true}, include_pad),
                         fixed_axis({5, 3, 2, 1, 1, true}, include_pad)};
    cases.push_back(ceil);
    PoolCase three_d{"3d k2 s1 p1" + suffix, {}};
    three_d.windows.axes = {fixed_axis({3, 2, 1, 1, 1, false}, include_pad),
                            fixed_axis({4, 2, 1, 0, 1, false}, include_pad),
                            fixed_axis({5, 3, 3, 1, 1, true}, include_pad)};
    cases.push_back(three_d);
  }
  PoolCase dilated{"1d k3 s1 p2 d2", {}, false};
  dilated.windows.axes = {unit, unit, fixed_axis({11, 3, 1, 2, 2, false}, false)};
  cases.push_back(dilated);
  PoolCase dilated_2d{"2d k2 s2 d3 ceil", {}, false};
  dilated_2d.windows.axes = {unit, fixed_axis({8, 2, 2, 1, 3, true}, false),
                             fixed_axis({9, 2, 1, 0, 3, false}, false)};
  cases.push_back(dilated_2d);
  PoolCase adaptive{"adaptive 2d 7x5 -> 3x4", {}};
  adaptive.windows.axes = {unit, adaptive_axis(7, 3), adaptive_axis(5, 4)};
  cases.push_back(adaptive);
  PoolCase adaptive_3d{"adaptive 3d 3x4x9 -> 2x4x2", {}};
  adaptive_3d.windows.axes = {adaptive_axis(3, 2), adaptive_axis(4, 4), adaptive_axis(9, 2)};
  cases.push_back(adaptive_3d);
  PoolCase divisor{"2d k3 s1 p1 divisor 5", {}};
  divisor.windows.axes = {unit, fixed_axis({6, 3, 1, 1, 1, false}, true),
                          fixed_axis({6, 3, 1, 1, 1, false}, true)};
  divisor.windows.divisor_override = 5;
  cases.push_back(divisor);
  return cases;
}

std::vector<int64_t> plane_shape(int64_t planes, const PoolWindows& windows, bool output) {
  std::vector<int64_t> shape = {planes};
  for (const PoolAxis& axis : windows.axes) {
    shape.push_back(output ? axis.output_size() : axis.input_size);
  }
  return shape;
}

// x with ties (values rounded to halves) and, where `nans`, a few NaNs.
Tensor pool_input(const std::vector<int64_t>& shape, ScalarType dtype, bool nans) {
  Tensor x = (round(randn(shape) * 4) / 2).to(dtype);
  if (nans && x.numel() > 3) {
    Tensor flat = x.reshape({-1});
    flat.select(0, 1).fill_(std::numeric_limits<double>::quiet_NaN());
    flat.select(0, x.numel() / 2).fill_(std::numeric_limits<double>::quiet_NaN());
  }
  return x;
}

void expect_same_bits(const Tensor& actual, const Tensor& expected, const std::string& what) {
  ASSERT_EQ(actual.sizes(), expected.sizes()) << what;
  EXPECT_EQ(std::memcmp(actual.data_ptr(), expected.data_ptr(), actual.nbytes()), 0)
      << what << "\nemulated " << actual << "\ncpu " << expected;
}

PoolLayout layout_of(const PoolWindows& windows, int64_t planes, bool index64) {
  PoolLayout layout = make_pool_layout(windows, planes);
  if (index64) layout.fits_32bit = false;
  return layout;
}

TEST(KernelEmulationPool, PoolMatchesTheCpuBitForBit) {
  manual_seed(18);
  for (const PoolCase& c : pool_cases()) {
    auto windows = std::make_shared<PoolWindows>(c.windows);
    for (ScalarType dtype : {kFloat32, kFloat64}) {
      for (PoolMode mode : {PoolMode::Max, PoolMode::Avg}) {
        if (mode == PoolMode::Avg && !c.avg_ok) continue;
        for (int64_t planes : {int64_t{3}, int64_t{0}, int64_t{1}}) {
          for (bool index64 : {false, true}) {
            const std::string what = c.name + " " + std::string(dtype_name(dtype)) +
                                     (mode == PoolMode::Max ? " max" : " avg") + " planes " +
                                     std::to_string(planes) + (index64 ? " index64" : "");
            const Pool op(mode, windows);
            const std::vector<Tensor> inputs = {
                pool_input(plane_shape(planes, *windows, false), dtype, mode == PoolMode::Max)};
            const std::vector<int64_t> out_shape = plane_shape(planes, *windows, true);
            std::vector<Tensor> expected = {zeros(out_shape, dtype)};
            if (mode == PoolMode::Max) expected.push_back(zeros(out_shape, kInt64));
            std::vector<Tensor> actual;
            for (const Tensor& e : expected) actual.push_back(zeros_like(e));
            op.eval_cpu(inputs, expected);
            run_pool(op, layout_of(*windows, planes, index64), inputs, actual,
                     EmulatedLauncher{op.name()});
            for (size_t k = 0; k < expected.size(); ++k) {
              expect_same_bits(actual[k], expected[k], what + " output " + std::to_string(k));
            }
          }
        }
      }
    }
  }
}

TEST(KernelEmulationPool, AvgPoolBackwardMatchesTheCpu) {
  manual_seed(19);
  for (const PoolCase& c : pool_cases()) {
    if (!c.avg_ok) continue;
    auto windows = std::make_shared<PoolWindows>(c.windows);
    for (ScalarType dtype : {kFloat32, kFloat64}) {
      for (int64_t planes : {int64_t{3}, int64_t{0}, int64_t{1}}) {
        for (bool index64 : {false, true}) {
          const std::string what = c.name + " " + std::string(dtype_name(dtype)) + " planes " +
                                   std::to_string(planes) + (index64 ? " index64" : "");
          const AvgPoolBackward op(windows);
          const std::vector<Tensor> inputs = {randn(plane_shape(planes, *windows, true)).to(dtype)};
          // Non-zero outputs: the kernel must zero the elements no window covers.
          std::vector<Tensor> expected = {full(plane_shape(planes, *windows, false), 7.0, dtype)};
          std::vector<Tensor> actual = {full(plane_shape(planes, *windows, false), 7.0, dtype)};
          op.eval_cpu(inputs, expected);
          run_avg_pool_backward(op, layout_of(*windows, planes, index64), inputs, actual,
                                EmulatedLauncher{op.name()});
          expect_same_bits(actual[0], expected[0], what);
        }
      }
    }
  }
}

TEST(KernelEmulationPool, OtherDtypesHaveNoKernel) {
  auto windows = std::make_shared<PoolWindows>();
  const Pool op(PoolMode::Avg, windows);
  const std::vector<Tensor> inputs = {zeros({2, 1, 1, 1}, kFloat16)};
  const std::vector<Tensor> outputs = {zeros({2, 1, 1, 1}, kFloat16)};
  EXPECT_THROW(
      run_pool(op, make_pool_layout(*windows, 2), inputs, outputs, EmulatedLauncher{op.name()}),
      NotImplementedError);
}

struct UpsampleCase {
  UpsampleMode mode;
  std::vector<int64_t> in, out;
  std::vector<double> scales;
  bool align_corners;
};

std::vector<UpsampleCase> upsample_cases() {
  using M = UpsampleMode;
  std::vector<UpsampleCase> cases = {
      {M::Nearest, {5}, {10}, {0}, false},
      {M::Nearest, {7, 4}, {3, 9}, {0, 0}, false},
      {M::Nearest, {3, 4}, {6, 10}, {2.0, 2.5}, false},
      {M::NearestExact, {5, 6}, {8, 4}, {0, 0}, false},
      {M::Nearest, {2, 3, 4}, {3, 5, 8}, {0, 0, 0}, false},
      {M::Area, {9, 7}, {4, 3}, {0, 0}, false},
      {M::Area, {5}, {7}, {0}, false},
      {M::LinearAntialias, {12, 9}, {5, 4}, {0, 0}, false},
      {M::CubicAntialias, {11, 10}, {4, 13}, {0, 0}, true},
      {M::Cubic, {4, 4}, {4, 4}, {0, 0}, false},
  };
  for (bool align : {false, true}) {
    cases.push_back({M::Linear, {5}, {12}, {0}, align});
    cases.push_back({M::Linear, {7}, {7}, {0}, align});
    cases.push_back({M::Linear, {6, 5}, {3, 11}, {0, 0}, align});
    cases.push_back({M::Linear, {4, 5}, {9, 12}, {2.25, 2.5}, align});
    cases.push_back({M::Linear, {3, 4, 5}, {5, 2, 9}, {0, 0, 0}, align});
    cases.push_back({M::Cubic, {5, 6}, {11, 4}, {0, 0}, align});
    cases.push_back({M::Cubic, {4, 3}, {7, 8}, {1.75, 2.75}, align});
  }
  return cases;
}

std::vector<int64_t> batch_shape(int64_t batch, const std::vector<int64_t>& spatial) {
  std::vector<int64_t> shape = {batch, 3};
  shape.insert(shape.end(), spatial.begin(), spatial.end());
  return shape;
}

TEST(KernelEmulationPool, UpsampleMatchesTheCpu) {
  manual_seed(20);
  for (const UpsampleCase& c : upsample_cases()) {
    for (bool adjoint : {false, true}) {
      const Upsample op(c.mode, c.in, c.out, c.scales, c.align_corners, adjoint);
      for (ScalarType dtype : {kFloat32, kFloat64}) {
        for (int64_t batch : {int64_t{2}, int64_t{0}}) {
          for (bool index64 : {false, true}) {
            const std::string what = std::string(op.name()) + " " + std::string(dtype_name(dtype)) +
                                     " batch " + std::to_string(batch) +
                                     (c.align_corners ? " align" : "") +
                                     (index64 ? " index64" : "");
            const std::vector<int64_t> source = batch_shape(batch, adjoint ? c.out : c.in);
            const std::vector<int64_t> target = batch_shape(batch, adjoint ? c.in : c.out);
            const std::vector<Tensor> inputs = {randn(source).to(dtype)};
            std::vector<Tensor> expected = {full(target, 7.0, dtype)};
            std::vector<Tensor> actual = {full(target, 7.0, dtype)};
            op.eval_cpu(inputs, expected);
            UpsampleLayout layout = make_upsample_layout(op, dtype, batch * 3);
            if (index64) layout.fits_32bit = false;
            run_upsample_kernel(op, layout, inputs, actual, EmulatedLauncher{op.name()});
            if (adjoint) {
              const double tolerance = dtype == kFloat32 ? 1e-6 : 1e-14;
              EXPECT_TRUE(allclose(actual[0], expected[0], tolerance, tolerance))
                  << what << "\nemulated " << actual[0] << "\ncpu " << expected[0];
            } else {
              expect_same_bits(actual[0], expected[0], what);
            }
          }
        }
      }
    }
  }
}

TEST(KernelEmulationPool, UpsampleOfOtherDtypesHasNoKernel) {
  const Upsample op(UpsampleMode::Nearest, {2}, {4}, {0}, false, false);
  EXPECT_THROW(make_upsample_layout(op, kFloat16, 1), NotImplementedError);
}

}  // namespace
}  // namespace ember::cuda
