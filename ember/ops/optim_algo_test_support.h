// Test support for the fused optimizer steps (ember/ops/optim_*_test.cpp): runs an algorithm's
// fused multi-tensor step and its per-parameter composite side by side from the same start with
// the same gradients, and expects the same parameters and states after every step. Included by
// *_test.cpp files only.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "ember/ops/ops.h"
#include "ember/tensor/tensor.h"

namespace ember::optim_testing {

// A state tensor's initial value for a parameter (zeros_like, full_like(lr), ...); `scalar`
// states (NAdam's mu_product, ASGD's eta) are float32 tensors of one element.
struct StateInit {
  std::function<Tensor(const Tensor& param)> make;
  bool scalar = false;
};

using FusedStep = std::function<void(
    const std::vector<Tensor>& params, const std::vector<Tensor>& grads,
    const std::vector<std::vector<Tensor>>& states, const std::vector<Tensor>& steps)>;
using CompositeStep = std::function<void(const Tensor& param, const Tensor& grad,
                                         const std::vector<Tensor>& states, const Tensor& step)>;

// A copy of `source` laid out column-major when it is a matrix (a non-contiguous tensor).
inline Tensor transposed_copy(const Tensor& source) {
  Tensor target = empty({source.size(1), source.size(0)}, source.dtype()).t();
  target.copy_(source);
  return target;
}

inline void expect_same(const Tensor& fused, const Tensor& composite, ScalarType dtype,
                        const std::string& what) {
  const double tolerance = dtype == kDouble ? 1e-12 : 2e-5;
  EXPECT_TRUE(allclose(fused.to(kDouble), composite.to(kDouble), tolerance, tolerance))
      << what << "\nfused:     " << fused << "\ncomposite: " << composite;
}

// Three parameters of `dtype` (contiguous, a non-contiguous matrix with non-contiguous states and
// an empty one) and, with `large`, a fourth big enough that the fused step splits the group over
// threads (slow on a busy machine, so callers ask for it in one option combination, and it runs at
// most 4 steps), updated `steps` times by both steps with the same random gradients.
inline void expect_fused_matches_composite(ScalarType dtype, const std::vector<StateInit>& inits,
                                           const FusedStep& fused, const CompositeStep& composite,
                                           const std::string& label, bool large = false,
                                           int steps = 25) {
  manual_seed(7);
  std::vector<Tensor> starts = {randn({5}, dtype), randn({3, 4}, dtype), randn({0, 2}, dtype)};
  if (large) {
    starts.push_back(randn({140000}, dtype));
    steps = std::min(steps, 4);  // every op forks: a few steps suffice for the threaded path
  }
  std::vector<Tensor> fused_params, composite_params, fused_steps, composite_steps;
  std::vector<std::vector<Tensor>> fused_states(inits.size()), composite_states(starts.size());
  for (size_t p = 0; p < starts.size(); ++p) {
    const bool strided = starts[p].dim() == 2 && starts[p].numel() > 0;
    auto layout = [&](const Tensor& t) { return strided ? transposed_copy(t) : t.clone(); };
    fused_params.push_back(layout(starts[p]));
    composite_params.push_back(layout(starts[p]));
    for (size_t s = 0; s < inits.size(); ++s) {
      const Tensor initial = inits[s].make(starts[p]);
      fused_states[s].push_back(inits[s].scalar ? initial.clone() : layout(initial));
      composite_states[p].push_back(inits[s].scalar ? initial.clone() : layout(initial));
    }
    fused_steps.push_back(zeros({}, kFloat));
    composite_steps.push_back(zeros({}, kFloat));
  }
  for (int step = 0; step < steps; ++step) {
    std::vector<Tensor> grads;
    for (const Tensor& start : starts) grads.push_back(randn(start.shape(), dtype));
    fused(fused_params, grads, fused_states, fused_steps);
    for (size_t p = 0; p < starts.size(); ++p) {
      composite(composite_params[p], grads[p], composite_states[p], composite_steps[p]);
    }
    for (size_t p = 0; p < starts.size(); ++p) {
      const std::string where =
          label + " step " + std::to_string(step + 1) + " param " + std::to_string(p);
      expect_same(fused_params[p], composite_params[p], dtype, where);
      for (size_t s = 0; s < inits.size(); ++s) {
        expect_same(fused_states[s][p], composite_states[p][s], dtype,
                    where + " state " + std::to_string(s));
      }
      EXPECT_EQ(fused_steps[p].item<double>(), step + 1) << where;
      EXPECT_EQ(composite_steps[p].item<double>(), step + 1) << where;
    }
    if (::testing::Test::HasFailure()) return;
  }
}

// Runs `check` for float32 and float64 with a label naming the dtype.
inline void for_each_dtype(const std::function<void(ScalarType, const std::string&)>& check) {
  check(kFloat, "float32");
  check(kDouble, "float64");
}

}  // namespace ember::optim_testing
