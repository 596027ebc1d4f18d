// The DDP reducer with ranks as threads of this process, on Gloo groups over one HashStore.
#include "ember/distributed/reducer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/distributed/backends.h"
#include "ember/distributed/store.h"
#include "ember/ops/ops.h"

namespace ember::distributed {
namespace {

using namespace std::chrono_literals;

// Runs body(group) on `size` threads, one Gloo group each; rethrows the first rank's failure.
void run_ranks(int size, const std::function<void(const std::shared_ptr<ProcessGroup>&)>& body) {
  auto store = std::make_shared<HashStore>(10s);
  std::vector<std::exception_ptr> errors(static_cast<size_t>(size));
  std::vector<std::thread> threads;
  for (int rank = 0; rank < size; ++rank) {
    threads.emplace_back([&, rank] {
      try {
        ProcessGroupOptions options;
        options.timeout = 10s;
        body(make_process_group("gloo", store, rank, size, options));
      } catch (...) {
        errors[static_cast<size_t>(rank)] = std::current_exception();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

class ReducerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_gloo_available()) GTEST_SKIP() << "built without Gloo";
  }
};

// Parameters with the same values on every rank: 0.1, 0.2, ... over the given shapes.
std::vector<Tensor> make_params(const std::vector<Shape>& shapes) {
  std::vector<Tensor> params;
  double start = 0.1;
  for (const Shape& shape : shapes) {
    const int64_t numel = numel_of(shape);
    params.push_back(
        arange(start, start + 0.1 * static_cast<double>(numel) - 0.05, 0.1).view(shape).clone());
    params.back().requires_grad_();
    start += 0.1 * static_cast<double>(numel);
  }
  return params;
}

// A loss whose gradient w.r.t. each parameter p is 2 * p * scale.
Tensor squared_loss(const std::vector<Tensor>& params, double scale) {
  Tensor loss = (params[0] * params[0]).sum() * scale;
  for (size_t i = 1; i < params.size(); ++i) loss = loss + (params[i] * params[i]).sum() * scale;
  return loss;
}

void expect_close(const Tensor& actual, const Tensor& expected) {
  ASSERT_TRUE(actual.defined());
  EXPECT_TRUE(actual.allclose(expected, 1e-5, 1e-6))
      << "actual " << actual << "\nexpected " << expected;
}

TEST(BucketAssignment, ReverseOrderFirstBucketSmallerSplitByDtype) {
  // Five float32 parameters of 400 bytes: the first bucket closes at 500 bytes, the others at
  // 1000.
  std::vector<Tensor> params;
  for (int i = 0; i < 5; ++i) params.push_back(zeros({100}));
  EXPECT_EQ(compute_bucket_assignment_by_size(params, 1000, 500),
            (std::vector<std::vector<size_t>>{{4, 3}, {2, 1, 0}}));
  // A float64 parameter goes to a bucket of its own dtype; a parameter over the cap is alone.
  params = {zeros({100}), zeros({10}, kFloat64), zeros({1000}), zeros({100})};
  EXPECT_EQ(compute_bucket_assignment_by_size(params, 1000, 1000),
            (std::vector<std::vector<size_t>>{{3, 2}, {1}, {0}}));
  // PyTorch's defaults: small models fit in one bucket.
  params = {zeros({10, 10}), zeros({10}), zeros({3, 10}), zeros({3})};
  EXPECT_EQ(compute_bucket_assignment_by_size(params),
            (std::vector<std::vector<size_t>>{{3, 2, 1, 0}}));
}

TEST_F(ReducerTest, GradientsAreTheAverageOverRanks) {
  for (int size : {2, 3}) {
    run_ranks(size, [&](const std::shared_ptr<ProcessGroup>& group) {
      std::vector<Tensor> params = make_params({{4}, {3, 2}, {5}});
      Reducer reducer(params, compute_bucket_assignment_by_size(params, 16, 16), group);
      const double mean_scale = (size + 1) / 2.0;  // mean of 1..size
      for (int iteration = 0; iteration < 2; ++iteration) {
        reducer.prepare_for_backward();
        squared_loss(params, group->rank() + 1).backward();
        for (const Tensor& param : params) {
          expect_close(param.grad(), param.detach() * (2.0 * mean_scale));
          param.mutable_grad().zero_();
        }
      }
    });
  }
}

TEST_F(ReducerTest, BucketsAreReducedWhileBackwardRuns) {
  run_ranks(2, [](const std::shared_ptr<ProcessGroup>& group) {
    // A chain: the last parameter's gradient is ready first; one parameter per bucket.
    std::vector<Tensor> params = make_params({{8}, {8}, {8}, {8}});
    Reducer reducer(params, compute_bucket_assignment_by_size(params, 1, 1), group);
    ASSERT_EQ(reducer.bucket_indices().size(), 4U);
    reducer.prepare_for_backward();
    Tensor hidden = ones({8});
    for (const Tensor& param : params) hidden = (hidden * param).tanh();
    hidden.sum().backward();
    // Bucket 0 went out when only its own parameter had a gradient.
    EXPECT_EQ(reducer.grads_ready_at_launch(), (std::vector<size_t>{1, 2, 3, 4}));
  });
}

TEST_F(ReducerTest, NoSyncAccumulatesLocallyThenReducesTheSum) {
  run_ranks(2, [](const std::shared_ptr<ProcessGroup>& group) {
    std::vector<Tensor> params = make_params({{3}, {2, 2}});
    Reducer reducer(params, compute_bucket_assignment_by_size(params), group);
    const double scale = group->rank() + 1;
    reducer.set_require_grad_sync(false);
    squared_loss(params, scale).backward();
    squared_loss(params, scale).backward();
    // Local sums only so far.
    expect_close(params[0].grad(), params[0].detach() * (4.0 * scale));
    reducer.set_require_grad_sync(true);
    reducer.prepare_for_backward();
    squared_loss(params, scale).backward();
    // Three local gradients each, averaged: 3 * 2p * mean(1, 2).
    for (const Tensor& param : params) expect_close(param.grad(), param.detach() * 9.0);
  });
}

TEST_F(ReducerTest, FindUnusedParameters) {
  run_ranks(2, [](const std::shared_ptr<ProcessGroup>& group) {
    std::vector<Tensor> params = make_params({{3}, {3}, {3}});
    for (bool as_view : {false, true}) {
      for (const Tensor& param : params) param.set_grad(Tensor());
      Reducer reducer(params, compute_bucket_assignment_by_size(params), group, true, as_view);
      // params[2] is unused everywhere, params[1] on rank 0 only.
      Tensor loss = (params[0] * 2).sum();
      if (group->rank() == 1) loss = loss + (params[1] * 4).sum();
      reducer.prepare_for_backward({loss});
      loss.backward();
      expect_close(params[0].grad(), full({3}, 2.0));
      expect_close(params[1].grad(), full({3}, 2.0));
      EXPECT_FALSE(params[2].grad().defined());
    }
  });
}

TEST_F(ReducerTest, GradientAsBucketViewSharesTheBucketsMemory) {
  run_ranks(2, [](const std::shared_ptr<ProcessGroup>& group) {
    std::vector<Tensor> params = make_params({{3}, {2, 2}});
    Reducer reducer(params, compute_bucket_assignment_by_size(params), group, false, true);
    for (int iteration = 0; iteration < 2; ++iteration) {
      reducer.prepare_for_backward();
      squared_loss(params, group->rank() + 1).backward();
      for (const Tensor& param : params) {
        expect_close(param.grad(), param.detach() * 3.0);
        EXPECT_EQ(param.grad().storage().get(), reducer.bucket_buffer(0).storage().get());
        // zero_grad(set_to_none=False) keeps the view.
        param.mutable_grad().zero_();
      }
    }
  });
}

TEST_F(ReducerTest, AParameterWithoutGradientIsAnErrorWithoutFindUnused) {
  run_ranks(2, [](const std::shared_ptr<ProcessGroup>& group) {
    std::vector<Tensor> params = make_params({{3}, {3}});
    Reducer reducer(params, compute_bucket_assignment_by_size(params, 1, 1), group);
    reducer.prepare_for_backward();
    try {
      (params[1] * 2).sum().backward();
      ADD_FAILURE() << "backward did not raise";
    } catch (const RuntimeError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find("parameters 0 on rank"), std::string::npos) << message;
      EXPECT_NE(message.find("find_unused_parameters=True"), std::string::npos) << message;
    }
    try {
      reducer.prepare_for_backward();
      ADD_FAILURE() << "prepare_for_backward did not raise";
    } catch (const RuntimeError& error) {
      EXPECT_NE(std::string(error.what())
                    .find("Expected to have finished reduction in the prior "
                          "iteration"),
                std::string::npos);
    }
  });
}

TEST_F(ReducerTest, RejectsBadBucketsAndParameters) {
  run_ranks(1, [](const std::shared_ptr<ProcessGroup>& group) {
    std::vector<Tensor> params = make_params({{3}, {3}});
    EXPECT_THROW(Reducer(params, {{0}}, group), ValueError);
    EXPECT_THROW(Reducer(params, {{0, 1}, {1}}, group), ValueError);
    std::vector<Tensor> mixed = {params[0], zeros({2}, kFloat64).requires_grad_()};
    EXPECT_THROW(Reducer(mixed, {{0, 1}}, group), ValueError);
    EXPECT_THROW(Reducer({zeros({2})}, {{0}}, group), ValueError);
  });
}

}  // namespace
}  // namespace ember::distributed
