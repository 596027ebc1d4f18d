// Step hooks: order (global pre, own pre, update, own post, global post), a pre hook replacing
// the closure, removal through the handle (also after the optimizer is gone), and optimizers
// written as libtorch's (overriding step) next to ones overriding step_impl.
#include "ember/optim/step_hooks.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/optim/sgd.h"

namespace ember::optim {
namespace {

Tensor parameter() { return ones({2}).requires_grad_(); }

TEST(StepHooks, RunInPyTorchsOrderAroundTheUpdate) {
  Tensor p = parameter();
  SGD sgd(std::vector<Tensor>{p}, SGDOptions(0.5));
  std::vector<std::string> calls;
  auto record = [&](const std::string& name) {
    return [&calls, name, &p](Optimizer&, const std::function<Tensor()>&) {
      calls.push_back(name + (p.sum().item<float>() == 2.0f ? " before" : " after"));
    };
  };
  StepHookHandle global_pre =
      register_optimizer_step_pre_hook([&](Optimizer& optimizer, std::function<Tensor()>&) {
        EXPECT_EQ(&optimizer, &sgd);
        calls.push_back("global pre");
      });
  StepHookHandle global_post = register_optimizer_step_post_hook(record("global post"));
  StepHookHandle own_pre = sgd.register_step_pre_hook(
      [&](Optimizer&, std::function<Tensor()>&) { calls.push_back("own pre"); });
  StepHookHandle own_post = sgd.register_step_post_hook(record("own post"));
  p.sum().backward();
  sgd.step();
  EXPECT_EQ(calls, (std::vector<std::string>{"global pre", "own pre", "own post after",
                                             "global post after"}));
  global_pre.remove();
  global_post.remove();
  own_post.remove();
  own_post.remove();  // twice: nothing
  calls.clear();
  sgd.step();
  EXPECT_EQ(calls, (std::vector<std::string>{"own pre"}));
}

TEST(StepHooks, APreHookMayReplaceTheClosure) {
  Tensor p = parameter();
  SGD sgd(std::vector<Tensor>{p}, SGDOptions(0.1));
  int replaced_calls = 0;
  sgd.register_step_pre_hook([&](Optimizer&, std::function<Tensor()>& closure) {
    closure = [&] {
      ++replaced_calls;
      return full({}, 7.0);
    };
  });
  const Tensor loss = sgd.step([] { return full({}, 1.0); });
  EXPECT_EQ(replaced_calls, 1);
  EXPECT_EQ(loss.item<float>(), 7.0f);
}

TEST(StepHooks, HandlesOutliveTheirOptimizer) {
  StepHookHandle handle;
  {
    SGD sgd(std::vector<Tensor>{parameter()}, SGDOptions(0.1));
    handle = sgd.register_step_post_hook([](Optimizer&, const std::function<Tensor()>&) {});
  }
  handle.remove();
}

// A libtorch-style optimizer that overrides step itself, and one that overrides step_impl.
class OwnStep : public Optimizer {
 public:
  using Optimizer::Optimizer;
  Tensor step(LossClosure /*closure*/ = nullptr) override { return full({}, 1.0); }
};

class OwnStepImpl : public Optimizer {
 public:
  using Optimizer::Optimizer;

 protected:
  Tensor step_impl(LossClosure) override { return full({}, 2.0); }
};

class NoStep : public Optimizer {
 public:
  using Optimizer::Optimizer;
};

TEST(StepHooks, CustomOptimizers) {
  int hook_calls = 0;
  const auto count = [&](Optimizer&, std::function<Tensor()>&) { ++hook_calls; };
  OwnStep own_step(std::vector<Tensor>{parameter()}, std::make_unique<SGDOptions>(0.1));
  own_step.register_step_pre_hook(count);
  EXPECT_EQ(own_step.step().item<float>(), 1.0f);
  EXPECT_EQ(hook_calls, 0);
  OwnStepImpl own_impl(std::vector<Tensor>{parameter()}, std::make_unique<SGDOptions>(0.1));
  own_impl.register_step_pre_hook(count);
  EXPECT_EQ(own_impl.step().item<float>(), 2.0f);
  EXPECT_EQ(hook_calls, 1);
  NoStep no_step(std::vector<Tensor>{parameter()}, std::make_unique<SGDOptions>(0.1));
  EXPECT_THROW(no_step.step(), NotImplementedError);
}

}  // namespace
}  // namespace ember::optim
