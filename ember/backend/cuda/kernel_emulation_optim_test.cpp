// The fused optimizer steps' CUDA kernel body (optim_kernels.cuh) runs in the CPU grid emulator on
// CPU tensors and is compared bit for bit with the fused op's CPU loop (ops/optim_<algo>.cpp):
// every algorithm and its variants (amsgrad, maximize, weight decay, nesterov, centered, ...), for
// float32, float64, float16 and bfloat16 parameters and a group mixing them, on parameters of odd
// sizes, transposed and sliced ones, an empty one, and one spanning several chunks (Note [CUDA
// optimizer steps]).
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ember/backend/cuda/kernel_emulation_test_support.h"
#include "ember/backend/cuda/kernel_emulator.h"
#include "ember/backend/cuda/optim_kernels.cuh"
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

namespace ember::cuda {
namespace {

using optim_detail::NoCoefficients;

// Parameters, their gradients and their state lists. States flagged positive hold magnitudes
// (second moments, step sizes).
struct Group {
  std::vector<Tensor> params, grads;
  std::vector<std::vector<Tensor>> states;
};

// A tensor of `shape` in one of several layouts by `index`: contiguous, transposed or sliced.
Tensor operand(size_t index, ScalarType dtype, bool positive) {
  const auto fresh = [&](IntArrayRef shape) {
    Tensor values = randn(shape) * 1.5;
    if (positive) values = values.abs() + 0.01;
    return values.to(dtype);
  };
  switch (index) {
    case 0:
      return fresh({37});
    case 1:
      return fresh({5, 3}).t();  // transposed
    case 2:
      return fresh({2, 515}).slice(1, 1, 514);  // sliced
    case 3:
      return fresh({0});
    case 4:
      return fresh({1});
    default:
      return fresh({9001});  // several chunks of the kernel
  }
}
constexpr size_t kParams = 6;

Group make_group(const std::vector<ScalarType>& dtypes, const std::vector<bool>& positive) {
  Group group;
  group.states.resize(positive.size());
  for (size_t index = 0; index < kParams; ++index) {
    const ScalarType dtype = dtypes[index % dtypes.size()];
    group.params.push_back(operand(index, dtype, false));
    group.grads.push_back(operand(index, dtype, false));
    for (size_t s = 0; s < positive.size(); ++s) {
      group.states[s].push_back(operand(index, dtype, positive[s]));
    }
  }
  return group;
}

Group clone_group(const Group& group) {
  Group copy;
  for (const Tensor& t : group.params) copy.params.push_back(t.clone());
  for (const Tensor& t : group.grads) copy.grads.push_back(t.clone());
  for (const auto& list : group.states) {
    copy.states.emplace_back();
    for (const Tensor& t : list) copy.states.back().push_back(t.clone());
  }
  return copy;
}

void expect_same_bits(const Tensor& actual, const Tensor& expected, const std::string& what) {
  ASSERT_EQ(actual.dtype(), expected.dtype()) << what;
  ASSERT_EQ(actual.sizes(), expected.sizes()) << what;
  const Tensor a = actual.contiguous(), e = expected.contiguous();
  EXPECT_EQ(std::memcmp(a.data_ptr(), e.data_ptr(), a.nbytes()), 0) << what;
}

void expect_same_group(const Group& actual, const Group& expected, const std::string& what) {
  for (size_t index = 0; index < actual.params.size(); ++index) {
    const std::string at = what + " param " + std::to_string(index);
    expect_same_bits(actual.params[index], expected.params[index], at);
    for (size_t s = 0; s < actual.states.size(); ++s) {
      expect_same_bits(actual.states[s][index], expected.states[s][index],
                       at + " state " + std::to_string(s));
    }
  }
}

// Runs the kernel body over `group` in the emulator, as the CUDA path of for_each_chunk runs it.
template <typename Update>
void emulate_step(Group& group, const Update& update,
                  const std::vector<typename Update::Coefficients>& coefficients) {
  std::vector<std::vector<Tensor>> states = group.states;
  states.resize(4);
  optim_detail::ParamArrays arrays(group.params, group.grads,
                                   {states[0], states[1], states[2], states[3]});
  run_multi_tensor(arrays, update, coefficients.data(), EmulatedLauncher{"multi_tensor_apply"});
  arrays.write_back();
}

std::vector<Tensor> steps_at(double value) {
  std::vector<Tensor> steps;
  for (size_t index = 0; index < kParams; ++index) steps.push_back(full({}, value));
  return steps;
}

template <typename Coefficients>
std::vector<Coefficients> repeat(const Coefficients& c) {
  return std::vector<Coefficients>(kParams, c);
}

const std::vector<std::vector<ScalarType>> kDtypeSets = {
    {kFloat32}, {kFloat64}, {kFloat16}, {kBFloat16}, {kFloat32, kFloat64, kBFloat16}};

std::string name_of(const std::vector<ScalarType>& dtypes) {
  std::string name;
  for (ScalarType dtype : dtypes) name += std::string(dtype_name(dtype)) + " ";
  return name;
}

TEST(KernelEmulationOptim, Sgd) {
  struct Case {
    double momentum, dampening, weight_decay;
    bool nesterov, maximize, first;
  };
  for (const auto& dtypes : kDtypeSets) {
    for (const Case& c :
         {Case{0, 0, 0, false, false, false}, Case{0, 0, 0.1, false, true, false},
          Case{0.9, 0, 0, true, false, false}, Case{0.9, 0.3, 0.01, false, true, true},
          Case{0.8, 0, 0.01, true, true, false}}) {
      Group group =
          make_group(dtypes, c.momentum != 0 ? std::vector<bool>{false} : std::vector<bool>{});
      Group expected = clone_group(group);
      const std::vector<Tensor> none;
      _fused_sgd_(expected.params, expected.grads, c.momentum != 0 ? expected.states[0] : none,
                  0.05, c.momentum, c.dampening, c.weight_decay, c.nesterov, c.maximize, c.first);
      emulate_step(group,
                   optim_detail::SgdUpdate{0.05, c.momentum, c.dampening, c.weight_decay,
                                           c.nesterov, c.maximize, c.first},
                   repeat(NoCoefficients{}));
      expect_same_group(group, expected, "sgd " + name_of(dtypes) + std::to_string(c.momentum));
    }
  }
}

TEST(KernelEmulationOptim, Adam) {
  for (const auto& dtypes : kDtypeSets) {
    for (const bool amsgrad : {false, true}) {
      for (const bool maximize : {false, true}) {
        for (const bool decoupled : {false, true}) {
          Group group = make_group(dtypes, amsgrad ? std::vector<bool>{false, true, true}
                                                   : std::vector<bool>{false, true});
          Group expected = clone_group(group);
          const std::vector<Tensor> none;
          _fused_adam_(expected.params, expected.grads, expected.states[0], expected.states[1],
                       amsgrad ? expected.states[2] : none, steps_at(3), 1e-2, 0.9, 0.999, 0.05,
                       1e-8, amsgrad, maximize, decoupled);
          const optim_detail::AdamUpdate update{1e-2, 0.9,     0.999,    0.05,
                                                1e-8, amsgrad, maximize, decoupled};
          emulate_step(group, update, repeat(update.coefficients_at(4)));
          expect_same_group(group, expected,
                            "adam " + name_of(dtypes) + std::to_string(amsgrad) +
                                std::to_string(maximize) + std::to_string(decoupled));
        }
      }
    }
  }
}

TEST(KernelEmulationOptim, AdagradAdadeltaAdamax) {
  for (const auto& dtypes : kDtypeSets) {
    for (const bool maximize : {false, true}) {
      for (const double weight_decay : {0.0, 0.1}) {
        const std::string what =
            name_of(dtypes) + std::to_string(maximize) + std::to_string(weight_decay);
        {
          Group group = make_group(dtypes, {true});
          Group expected = clone_group(group);
          _fused_adagrad_(expected.params, expected.grads, expected.states[0], steps_at(2), 0.1,
                          0.01, weight_decay, 1e-10, maximize);
          emulate_step(group, optim_detail::AdagradUpdate{weight_decay, 1e-10, maximize},
                       repeat(optim_detail::AdagradUpdate::Coefficients{0.1 / (1 + 2 * 0.01)}));
          expect_same_group(group, expected, "adagrad " + what);
        }
        {
          Group group = make_group(dtypes, {true, true});
          Group expected = clone_group(group);
          _fused_adadelta_(expected.params, expected.grads, expected.states[0], expected.states[1],
                           steps_at(0), 1.0, 0.9, 1e-6, weight_decay, maximize);
          emulate_step(group, optim_detail::AdadeltaUpdate{1.0, 0.9, 1e-6, weight_decay, maximize},
                       repeat(NoCoefficients{}));
          expect_same_group(group, expected, "adadelta " + what);
        }
        {
          Group group = make_group(dtypes, {false, true});
          Group expected = clone_group(group);
          _fused_adamax_(expected.params, expected.grads, expected.states[0], expected.states[1],
                         steps_at(4), 2e-3, 0.9, 0.999, weight_decay, 1e-8, maximize);
          emulate_step(
              group, optim_detail::AdamaxUpdate{0.9, 0.999, weight_decay, 1e-8, maximize},
              repeat(optim_detail::AdamaxUpdate::Coefficients{2e-3 / (1.0 - std::pow(0.9, 5.0))}));
          expect_same_group(group, expected, "adamax " + what);
        }
      }
    }
  }
}

TEST(KernelEmulationOptim, ASGD) {
  for (const auto& dtypes : kDtypeSets) {
    for (const double mu : {1.0, 0.25}) {
      for (const bool maximize : {false, true}) {
        Group group = make_group(dtypes, {false});
        Group expected = clone_group(group);
        std::vector<Tensor> mus, etas;
        for (size_t index = 0; index < kParams; ++index) {
          mus.push_back(full({}, mu));
          etas.push_back(full({}, 0.01));
        }
        const double eta = etas[0].item<double>(), read_mu = mus[0].item<double>();
        _fused_asgd_(expected.params, expected.grads, expected.states[0], mus, etas, steps_at(5),
                     1e-4, 0.01, 1e6, 0.75, 0.01, maximize);
        emulate_step(group, optim_detail::ASGDUpdate{1e-4, 0.01, maximize},
                     repeat(optim_detail::ASGDUpdate::Coefficients{eta, read_mu}));
        expect_same_group(group, expected, "asgd " + name_of(dtypes) + std::to_string(mu));
      }
    }
  }
}

TEST(KernelEmulationOptim, NAdamRAdam) {
  for (const auto& dtypes : kDtypeSets) {
    for (const bool decoupled : {false, true}) {
      for (const bool maximize : {false, true}) {
        const std::string what =
            name_of(dtypes) + std::to_string(decoupled) + std::to_string(maximize);
        {
          Group group = make_group(dtypes, {false, true});
          Group expected = clone_group(group);
          std::vector<Tensor> products;
          for (size_t index = 0; index < kParams; ++index) {
            products.push_back(full({}, 0.8, TensorOptions(kFloat64)));
          }
          const double lr = 2e-3, beta1 = 0.9, beta2 = 0.999, decay = 4e-3, step = 3;
          _fused_nadam_(expected.params, expected.grads, expected.states[0], expected.states[1],
                        products, steps_at(step - 1), lr, beta1, beta2, 0.01, decay, 1e-8,
                        decoupled, maximize);
          const auto momentum = [&](double t) {
            return beta1 * (1.0 - 0.5 * std::pow(0.96, t * decay));
          };
          const double mu = momentum(step), mu_next = momentum(step + 1);
          const double product = 0.8 * mu;
          emulate_step(group,
                       optim_detail::NAdamUpdate{lr, beta1, beta2, 0.01, 1e-8, decoupled, maximize},
                       repeat(optim_detail::NAdamUpdate::Coefficients{
                           1.0 - std::pow(beta2, step), -lr * (1.0 - mu) / (1.0 - product),
                           -lr * mu_next / (1.0 - product * mu_next)}));
          expect_same_group(group, expected, "nadam " + what);
        }
        for (const double step : {2.0, 10.0}) {  // before and after rho_t passes 5
          Group group = make_group(dtypes, {false, true});
          Group expected = clone_group(group);
          _fused_radam_(expected.params, expected.grads, expected.states[0], expected.states[1],
                        steps_at(step - 1), 1e-3, 0.9, 0.999, 0.01, 1e-8, decoupled, maximize);
          const optim_detail::RAdamUpdate update{1e-3, 0.9, 0.999, 0.01, 1e-8, decoupled, maximize};
          emulate_step(group, update, repeat(update.coefficients_at(step)));
          expect_same_group(group, expected, "radam " + what + std::to_string(step));
        }
      }
    }
  }
}

TEST(KernelEmulationOptim, RMSpropRprop) {
  for (const auto& dtypes : kDtypeSets) {
    for (const bool maximize : {false, true}) {
      for (const bool centered : {false, true}) {
        for (const double momentum : {0.0, 0.9}) {
          // square_avg must exceed grad_avg^2 when centered: a large second moment.
          Group group = make_group(dtypes, {true});
          for (Tensor& avg : group.states[0]) avg.detach().add_(4.0);
          if (centered) group.states.push_back(make_group(dtypes, {false}).states[0]);
          if (momentum != 0) group.states.push_back(make_group(dtypes, {false}).states[0]);
          Group expected = clone_group(group);
          const std::vector<Tensor> none;
          size_t next = 1;
          const std::vector<Tensor>& grad_avgs = centered ? expected.states[next++] : none;
          const std::vector<Tensor>& buffers = momentum != 0 ? expected.states[next] : none;
          _fused_rmsprop_(expected.params, expected.grads, expected.states[0], grad_avgs, buffers,
                          steps_at(0), 1e-2, 0.99, 1e-8, 0.01, momentum, centered, maximize);
          // The kernel's arrays keep the op's slots: an empty grad_avgs list leaves slot 3 null.
          Group slotted = group;
          slotted.states = {group.states[0], centered ? group.states[1] : std::vector<Tensor>{},
                            momentum != 0 ? group.states.back() : std::vector<Tensor>{}};
          emulate_step(
              slotted,
              optim_detail::RMSpropUpdate{1e-2, 0.99, 1e-8, 0.01, momentum, centered, maximize},
              repeat(NoCoefficients{}));
          expect_same_group(
              group, expected,
              "rmsprop " + name_of(dtypes) + std::to_string(centered) + std::to_string(momentum));
        }
      }
      Group group = make_group(dtypes, {false, true});
      // Some zero products and some sign changes.
      group.states[0][0].detach().zero_();
      Group expected = clone_group(group);
      _fused_rprop_(expected.params, expected.grads, expected.states[0], expected.states[1],
                    steps_at(0), 1e-6, 50, 0.5, 1.2, maximize);
      emulate_step(group, optim_detail::RpropUpdate{1e-6, 50, 0.5, 1.2, maximize},
                   repeat(NoCoefficients{}));
      expect_same_group(group, expected, "rprop " + name_of(dtypes) + std::to_string(maximize));
    }
  }
}

TEST(KernelEmulationOptim, EmptyGroup) {
  Group group;
  emulate_step(group, optim_detail::SgdUpdate{0.1, 0, 0, 0, false, false, false}, {});
  SUCCEED();
}

}  // namespace
}  // namespace ember::cuda
