// Post-accumulate-grad hooks on leaves and the engine's final callbacks (queue_callback): the
// two autograd entry points the DDP reducer is built on.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/autograd/engine.h"
#include "ember/autograd/node.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"

namespace ember::autograd {
namespace {

TEST(PostAccumulateGradHook, SeesTheUpdatedGradOfTheLeaf) {
  Tensor weight = ones({3}).requires_grad_();
  std::vector<float> seen;
  register_post_accumulate_grad_hook(weight, [&](const Tensor& leaf) {
    EXPECT_TRUE(leaf.is_same(weight));
    seen.push_back(leaf.grad().sum().item<float>());
  });
  (weight * 2).sum().backward();
  (weight * 3).sum().backward();
  // The second call sees the accumulated gradient 2 + 3 per element.
  EXPECT_EQ(seen, (std::vector<float>{6.0f, 15.0f}));
}

TEST(PostAccumulateGradHook, RunsOncePerBackwardAfterTheGradIsSummed) {
  Tensor weight = ones({2}).requires_grad_();
  int calls = 0;
  register_post_accumulate_grad_hook(weight, [&](const Tensor& leaf) {
    ++calls;
    EXPECT_FLOAT_EQ(leaf.grad().sum().item<float>(), 10.0f);
  });
  // Two uses of the leaf: the engine sums both gradients before AccumulateGrad runs.
  (weight * 2 + weight * 3).sum().backward();
  EXPECT_EQ(calls, 1);
}

TEST(PostAccumulateGradHook, RemovedThroughRemoveHook) {
  Tensor weight = ones({2}).requires_grad_();
  int calls = 0;
  const int64_t handle =
      register_post_accumulate_grad_hook(weight, [&](const Tensor&) { ++calls; });
  weight.sum().backward();
  weight.remove_hook(static_cast<unsigned>(handle));
  weight.sum().backward();
  EXPECT_EQ(calls, 1);
}

TEST(PostAccumulateGradHook, AHookMayRemoveItself) {
  Tensor weight = ones({2}).requires_grad_();
  int calls = 0;
  int64_t handle = 0;
  handle = register_post_accumulate_grad_hook(weight, [&](const Tensor& leaf) {
    ++calls;
    leaf.remove_hook(static_cast<unsigned>(handle));
  });
  weight.sum().backward();
  weight.sum().backward();
  EXPECT_EQ(calls, 1);
}

TEST(PostAccumulateGradHook, NotRunByAutogradGrad) {
  Tensor weight = ones({2}).requires_grad_();
  int calls = 0;
  register_post_accumulate_grad_hook(weight, [&](const Tensor&) { ++calls; });
  grad({(weight * 2).sum()}, {weight});
  EXPECT_EQ(calls, 0);
}

TEST(PostAccumulateGradHook, RefusesNonLeavesAndTensorsWithoutGrad) {
  Tensor weight = ones({2}).requires_grad_();
  EXPECT_THROW(register_post_accumulate_grad_hook(weight * 2, [](const Tensor&) {}), RuntimeError);
  EXPECT_THROW(register_post_accumulate_grad_hook(ones({2}), [](const Tensor&) {}), RuntimeError);
}

TEST(QueueCallback, RunsOnceAfterTheLastNodeBeforeBackwardReturns) {
  Tensor first = ones({2}).requires_grad_();
  Tensor second = ones({2}).requires_grad_();
  std::vector<std::string> events;
  register_post_accumulate_grad_hook(first, [&](const Tensor&) {
    events.push_back("first");
    queue_callback([&] {
      // Both leaves have their gradients by now.
      EXPECT_TRUE(first.grad().defined() && second.grad().defined());
      events.push_back("callback");
      queue_callback([&] { events.push_back("queued by the callback"); });
    });
  });
  register_post_accumulate_grad_hook(second, [&](const Tensor&) { events.push_back("second"); });
  // `second` is used last in forward, so its accumulator runs first.
  (first * 2 + second * first).sum().backward();
  ASSERT_EQ(events.size(), 4U);
  EXPECT_EQ(events[2], "callback");
  EXPECT_EQ(events[3], "queued by the callback");
  // The next backward starts with no callbacks queued.
  events.clear();
  (second * 2).sum().backward();
  EXPECT_EQ(events, (std::vector<std::string>{"second"}));
}

TEST(QueueCallback, RefusedOutsideBackward) {
  EXPECT_THROW(queue_callback([] {}), RuntimeError);
}

TEST(QueueCallback, AnErrorInACallbackLeavesBackwardAndTheEngineUsable) {
  Tensor weight = ones({2}).requires_grad_();
  const int64_t handle = register_post_accumulate_grad_hook(weight, [](const Tensor&) {
    queue_callback([] { throw RuntimeError("[test] callback failed"); });
  });
  EXPECT_THROW(weight.sum().backward(), RuntimeError);
  weight.remove_hook(static_cast<unsigned>(handle));
  EXPECT_THROW(queue_callback([] {}), RuntimeError);
  weight.sum().backward();
  EXPECT_FLOAT_EQ(weight.grad().sum().item<float>(), 4.0f);
}

}  // namespace
}  // namespace ember::autograd
