// The fused optimizer ops on CUDA parameters (backend/cuda/optim.cu through
// ops/cuda_optim_kernels.h) against the same ops on CPU copies: every algorithm registers its
// kernel (no device needed), and on a device each step matches the CPU's (the kernel runs the CPU's
// per-element code, built without contracted multiply-adds) for float32, float64 and bfloat16
// parameters, transposed and empty ones included. The kernel body itself is tested without a device
// in backend/cuda/kernel_emulation_optim_test.cpp.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/cuda_optim_kernels.h"
#include "ember/ops/ops.h"
#include "ember/ops/optim_adadelta.h"
#include "ember/ops/optim_adagrad.h"
#include "ember/ops/optim_adam.h"
#include "ember/ops/optim_adamax.h"
#include "ember/ops/optim_asgd.h"
#include "ember/ops/optim_nadam.h"
#include "ember/ops/optim_radam.h"
#include "ember/ops/optim_rmsprop.h"
#include "ember/ops/optim_rprop.h"
#include "ember/ops/optim_sgd.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember {
namespace {

constexpr const char* kNoDevice = "needs a CUDA device";

TEST(CudaOptim, EveryAlgorithmHasAKernel) {
  for (int algorithm = 0; algorithm < kOptimAlgorithms; ++algorithm) {
    EXPECT_NE(cuda_optim_kernel(static_cast<OptimAlgorithm>(algorithm)), nullptr) << algorithm;
  }
}

using List = std::vector<Tensor>;
// A fused step over (params, grads, states[0..3], steps).
using Step = std::function<void(const List&, const List&, const std::vector<List>&, const List&)>;

Tensor values(int index, ScalarType dtype, bool positive) {
  Tensor t = index == 0 ? randn({37}) : index == 1 ? randn({6, 5}).t() : randn({0});
  if (positive) t = t.abs() + 0.01;
  return t.to(dtype);
}

// Runs `step` on CPU tensors and on their device copies; the results agree.
void expect_device_matches_cpu(const std::string& what, int state_count,
                               const std::vector<bool>& positive, const Step& step) {
  for (const ScalarType dtype : {kFloat32, kFloat64, kBFloat16}) {
    List params, grads, steps, device_params, device_grads, device_steps;
    std::vector<List> states(4), device_states(4);
    for (int index = 0; index < 3; ++index) {
      params.push_back(values(index, dtype, false));
      grads.push_back(values(index, dtype, false));
      steps.push_back(full({}, 2.0));
      device_params.push_back(params.back().to(Device("cuda")));
      device_grads.push_back(grads.back().to(Device("cuda")));
      device_steps.push_back(steps.back().clone());  // step counters stay on the CPU
      for (int s = 0; s < state_count; ++s) {
        states[s].push_back(values(index, dtype, positive[s]));
        device_states[s].push_back(states[s].back().to(Device("cuda")));
      }
    }
    step(params, grads, states, steps);
    step(device_params, device_grads, device_states, device_steps);
    const double tolerance = dtype == kFloat64 ? 1e-12 : dtype == kFloat32 ? 1e-6 : 1e-2;
    for (int index = 0; index < 3; ++index) {
      const std::string at =
          what + " " + std::string(dtype_name(dtype)) + " " + std::to_string(index);
      ASSERT_TRUE(device_params[index].device().is_cuda()) << at;
      EXPECT_TRUE(allclose(device_params[index].cpu(), params[index], tolerance, tolerance)) << at;
      for (int s = 0; s < state_count; ++s) {
        EXPECT_TRUE(allclose(device_states[s][index].cpu(), states[s][index], tolerance, tolerance))
            << at << " state " << s;
      }
      EXPECT_EQ(device_steps[index].item<double>(), steps[index].item<double>()) << at;
    }
  }
}

TEST(CudaOptim, StepsMatchTheCpu) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  expect_device_matches_cpu("sgd", 1, {false}, [](auto& p, auto& g, auto& s, auto&) {
    _fused_sgd_(p, g, s[0], 0.1, 0.9, 0, 0.01, true, false, false);
  });
  expect_device_matches_cpu(
      "adam amsgrad", 3, {false, true, true}, [](auto& p, auto& g, auto& s, auto& t) {
        _fused_adam_(p, g, s[0], s[1], s[2], t, 1e-2, 0.9, 0.999, 0.01, 1e-8, true, true, true);
      });
  expect_device_matches_cpu("adagrad", 1, {true}, [](auto& p, auto& g, auto& s, auto& t) {
    _fused_adagrad_(p, g, s[0], t, 0.1, 0.01, 0.01, 1e-10, false);
  });
  expect_device_matches_cpu("adadelta", 2, {true, true}, [](auto& p, auto& g, auto& s, auto& t) {
    _fused_adadelta_(p, g, s[0], s[1], t, 1.0, 0.9, 1e-6, 0.01, false);
  });
  expect_device_matches_cpu("adamax", 2, {false, true}, [](auto& p, auto& g, auto& s, auto& t) {
    _fused_adamax_(p, g, s[0], s[1], t, 2e-3, 0.9, 0.999, 0.01, 1e-8, true);
  });
  expect_device_matches_cpu("asgd", 1, {false}, [](auto& p, auto& g, auto& s, auto& t) {
    List mus, etas;
    for (size_t i = 0; i < p.size(); ++i) {
      mus.push_back(full({}, 0.5));
      etas.push_back(full({}, 0.01));
    }
    _fused_asgd_(p, g, s[0], mus, etas, t, 1e-4, 0.01, 1, 0.75, 0.01, false);
  });
  expect_device_matches_cpu("nadam", 2, {false, true}, [](auto& p, auto& g, auto& s, auto& t) {
    List products;
    for (size_t i = 0; i < p.size(); ++i) products.push_back(full({}, 0.8));
    _fused_nadam_(p, g, s[0], s[1], products, t, 2e-3, 0.9, 0.999, 0.01, 4e-3, 1e-8, true, false);
  });
  expect_device_matches_cpu("radam", 2, {false, true}, [](auto& p, auto& g, auto& s, auto& t) {
    for (const Tensor& step : t) step.detach().fill_(9.0);  // past rho_t > 5: the adaptive step
    _fused_radam_(p, g, s[0], s[1], t, 1e-3, 0.9, 0.999, 0.01, 1e-8, false, true);
  });
  expect_device_matches_cpu(
      "rmsprop centered momentum", 3, {true, false, false}, [](auto& p, auto& g, auto& s, auto& t) {
        for (const Tensor& avg : s[0]) avg.detach().add_(4.0);
        _fused_rmsprop_(p, g, s[0], s[1], s[2], t, 1e-2, 0.99, 1e-8, 0.01, 0.9, true, false);
      });
  expect_device_matches_cpu("rprop", 2, {false, true}, [](auto& p, auto& g, auto& s, auto& t) {
    _fused_rprop_(p, g, s[0], s[1], t, 1e-6, 50, 0.5, 1.2, false);
  });
}

TEST(CudaOptim, ParamsOnTwoDevicesRaise) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  const List params = {zeros({3}), zeros({3}).to(Device("cuda"))};
  const List grads = {zeros({3}), zeros({3}).to(Device("cuda"))};
  EXPECT_THROW(_fused_sgd_(params, grads, {}, 0.1, 0, 0, 0, false, false, false), ValueError);
}

}  // namespace
}  // namespace ember
