// The C++ DistributedDataParallel on Gloo groups with ranks as threads of this process.
#include "ember/distributed/ddp.h"

#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

#include "ember/autograd/grad_mode.h"
#include "ember/distributed/backends.h"
#include "ember/distributed/store.h"
#include "ember/nn/modules/linear.h"
#include "ember/ops/ops.h"

namespace ember::nn::parallel {
namespace {

using namespace std::chrono_literals;
using distributed::ProcessGroup;

void run_ranks(int size, const std::function<void(const std::shared_ptr<ProcessGroup>&)>& body) {
  auto store = std::make_shared<distributed::HashStore>(10s);
  std::vector<std::exception_ptr> errors(static_cast<size_t>(size));
  std::vector<std::thread> threads;
  for (int rank = 0; rank < size; ++rank) {
    threads.emplace_back([&, rank] {
      try {
        distributed::ProcessGroupOptions options;
        options.timeout = 10s;
        body(distributed::make_process_group("gloo", store, rank, size, options));
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

// Two linear layers; the buffer shows broadcast_buffers at work.
struct NetImpl : Module {
  explicit NetImpl(double init) {
    fc1 = register_module("fc1", Linear(4, 3));
    fc2 = register_module("fc2", Linear(3, 2));
    autograd::NoGradGuard no_grad;
    for (Tensor& param : parameters()) param.fill_(init);
    fc1->weight.add_(arange(12.0, TensorOptions(kFloat32)).view({3, 4}) * 0.01);
    steps = register_buffer("steps", full({1}, init));
  }
  Tensor forward(const Tensor& input) { return fc2(fc1(input).tanh()); }
  Linear fc1 = nullptr;
  Linear fc2 = nullptr;
  Tensor steps;
};
EMBER_MODULE(Net);

Tensor batch() { return arange(32.0, TensorOptions(kFloat32)).view({8, 4}).sin(); }

TEST(DistributedDataParallel, TrainsLikeOneProcessOnTheWholeBatch) {
  if (!distributed::is_gloo_available()) GTEST_SKIP() << "built without Gloo";
  run_ranks(2, [](const std::shared_ptr<ProcessGroup>& group) {
    const int rank = group->rank();
    // Different initial values per rank: construction makes them rank 0's.
    Net local(0.1 * (rank + 1));
    DistributedDataParallel ddp(local, DistributedDataParallelOptions().process_group(group));
    // A small model fits in the first bucket (1 MB).
    EXPECT_EQ(ddp->reducer().bucket_indices().size(), 1U);
    EXPECT_FLOAT_EQ(local->steps.item<float>(), 0.1f);
    EXPECT_EQ(ddp->named_parameters().keys().front(), "module.fc1.weight");
    Net reference(0.1);
    const Tensor inputs = batch();
    for (int step = 0; step < 3; ++step) {
      ddp->zero_grad();
      reference->zero_grad();
      // Each rank's half of the batch; the mean over halves is the mean over the batch.
      Tensor output = ddp(inputs.narrow(0, rank * 4, 4));
      (output * output).mean().backward();
      Tensor full_output = reference(inputs);
      (full_output * full_output).mean().backward();
      std::vector<Tensor> params = ddp->module()->parameters();
      std::vector<Tensor> expected = reference->parameters();
      autograd::NoGradGuard no_grad;
      for (size_t i = 0; i < params.size(); ++i) {
        EXPECT_TRUE(params[i].grad().allclose(expected[i].grad(), 1e-5, 1e-6))
            << i << ": " << params[i].grad() << " vs " << expected[i].grad();
        params[i].sub_(params[i].grad() * 0.5);
        expected[i].sub_(expected[i].grad() * 0.5);
      }
    }
  });
}

TEST(DistributedDataParallel, NoSyncGuardAccumulatesLocally) {
  if (!distributed::is_gloo_available()) GTEST_SKIP() << "built without Gloo";
  run_ranks(2, [](const std::shared_ptr<ProcessGroup>& group) {
    Net local(0.1);
    DistributedDataParallel ddp(local, DistributedDataParallelOptions().process_group(group));
    const Tensor input = batch().narrow(0, group->rank() * 4, 4);
    {
      NoSyncGuard guard = ddp->no_sync();
      EXPECT_FALSE(ddp->reducer().require_grad_sync());
      ddp(input).sum().backward();
    }
    EXPECT_TRUE(ddp->reducer().require_grad_sync());
    const Tensor local_grad = local->fc2->bias.grad().clone();
    // One local gradient per rank so far: rank 0's and rank 1's differ on fc1.
    ddp(input).sum().backward();
    // After the synced step: the average of both ranks' two gradients, identical everywhere.
    Tensor gathered = local->fc1->weight.grad().clone();
    group->broadcast(gathered, 0)->wait();
    EXPECT_TRUE(gathered.equal(local->fc1->weight.grad()));
    EXPECT_TRUE(local->fc2->bias.grad().allclose(local_grad * 2, 1e-5, 1e-6));
  });
}

TEST(DistributedDataParallel, BroadcastFromRank0CoalescesMixedDtypesViewsAndEmptyTensors) {
  run_ranks(3, [](const std::shared_ptr<ProcessGroup>& group) {
    const double r = group->rank();
    Tensor weights = full({2, 3}, r, kFloat32);
    Tensor transposed = full({3, 2}, r + 10, kFloat64).t();  // not contiguous
    Tensor counter = full({}, static_cast<int64_t>(r) + 5, kInt64);
    Tensor empty = zeros({0, 4}, kFloat32);
    Tensor bias = full({4}, r - 1, kFloat32);
    broadcast_from_rank0(*group, {weights, transposed, counter, empty, bias});
    EXPECT_TRUE(weights.equal(zeros({2, 3}, kFloat32)));
    EXPECT_TRUE(transposed.equal(full({2, 3}, 10.0, kFloat64)));
    EXPECT_EQ(counter.item<int64_t>(), 5);
    EXPECT_EQ(empty.numel(), 0);
    EXPECT_TRUE(bias.equal(full({4}, -1.0, kFloat32)));
  });
}

TEST(DistributedDataParallel, WithoutAGroupItUsesTheDefaultGroupWhichNeedsInit) {
  // No init_process_group in this process: PyTorch's "Default process group has not been
  // initialized" error.
  EXPECT_THROW(DistributedDataParallel(Net(0.1), DistributedDataParallelOptions()), RuntimeError);
}

}  // namespace
}  // namespace ember::nn::parallel
