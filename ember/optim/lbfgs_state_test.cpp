// LBFGS's state dict holds its whole history under Python's keys, so that an optimizer restored
// from it continues bit for bit; without the history it does not (the negative control).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/optim/lbfgs.h"
#include "tests/test_support.h"

namespace ember::optim {
namespace {

// Rosenbrock's function over float32 parameters (float32: loading must not cast the float64
// scalars of the state to the parameter's dtype).
Tensor loss_of(const Tensor& p) {
  const Tensor x = p[0], y = p[1];
  return (1 - x).pow(2) + 100 * (y - x * x).pow(2);
}

void run(LBFGS& optimizer, const Tensor& p, int steps) {
  for (int i = 0; i < steps; ++i) {
    optimizer.step([&] {
      optimizer.zero_grad();
      Tensor loss = loss_of(p);
      loss.backward();
      return loss;
    });
  }
}

const LBFGSOptions kOptions = LBFGSOptions(1).max_iter(3).history_size(4);

TEST(LBFGSState, StateDictHasPythonsKeysAndTheHistory) {
  Tensor p = ember::testing::tensor_of({-1.5, 2.0}, {2}).requires_grad_();
  LBFGS optimizer(std::vector<Tensor>{p}, kOptions);
  run(optimizer, p, 2);
  const OptimizerStateDict saved = optimizer.state_dict();
  for (const char* key :
       {"func_evals", "n_iter", "t", "prev_loss", "H_diag", "d", "prev_flat_grad"}) {
    EXPECT_EQ(saved.state.at(0).count(key), 1u) << key;
  }
  const auto n_iter = saved.state.at(0).at("n_iter").item<int64_t>();
  EXPECT_GE(n_iter, 3);
  const auto& lists = saved.state_lists.at(0);
  const size_t history = lists.at("old_dirs").size();
  EXPECT_GE(history, 2u);
  EXPECT_LE(history, 4u);  // history_size bounds it
  EXPECT_EQ(lists.at("old_stps").size(), history);
  EXPECT_EQ(lists.at("ro").size(), history);
  EXPECT_EQ(lists.at("ro")[0].dim(), 0);
  EXPECT_EQ(lists.at("ro")[0].dtype(), kFloat64);
}

TEST(LBFGSState, ARestoredOptimizerContinuesBitForBit) {
  Tensor p = ember::testing::tensor_of({-1.5, 2.0}, {2}).requires_grad_();
  LBFGS optimizer(std::vector<Tensor>{p}, kOptions);
  run(optimizer, p, 2);
  const OptimizerStateDict saved = optimizer.state_dict();
  Tensor resumed = p.detach().clone().requires_grad_();
  Tensor forgetful = p.detach().clone().requires_grad_();
  LBFGS restored(std::vector<Tensor>{resumed}, kOptions);
  restored.load_state_dict(saved);
  OptimizerStateDict without_history = saved;
  without_history.state_lists.clear();
  LBFGS restored_without(std::vector<Tensor>{forgetful}, kOptions);
  restored_without.load_state_dict(without_history);

  run(optimizer, p, 2);
  run(restored, resumed, 2);
  run(restored_without, forgetful, 2);
  EXPECT_TRUE(resumed.equal(p));
  EXPECT_FALSE(forgetful.equal(p));
}

TEST(LBFGSState, HistoryListsOfDifferentLengthsAreValueError) {
  Tensor p = ember::testing::tensor_of({-1.5, 2.0}, {2}).requires_grad_();
  LBFGS optimizer(std::vector<Tensor>{p}, kOptions);
  run(optimizer, p, 1);
  OptimizerStateDict saved = optimizer.state_dict();
  saved.state_lists.at(0).at("ro").pop_back();
  EXPECT_THROW(
      {
        try {
          optimizer.load_state_dict(saved);
        } catch (const ValueError& error) {
          EXPECT_NE(std::string(error.what()).find("old_dirs, old_stps and ro of one length"),
                    std::string::npos);
          throw;
        }
      },
      ValueError);
}

}  // namespace
}  // namespace ember::optim
