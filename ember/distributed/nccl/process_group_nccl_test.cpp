// The NCCL engine on one rank (the collectives' code paths on a real communicator); skipped
// without a CUDA device. Several ranks need several GPUs (NCCL refuses two ranks on one device).
#include <gtest/gtest.h>

#include <chrono>

#include "ember/distributed/errors.h"
#include "ember/distributed/nccl/process_group_nccl.h"
#include "ember/ops/ops.h"
#include "ember/tensor/device.h"

namespace ember::distributed {
namespace {

using namespace std::chrono_literals;

class Nccl : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!cuda::is_available()) GTEST_SKIP() << "no CUDA device";
    ProcessGroupOptions options;
    options.timeout = 60s;
    group_ = make_nccl_process_group(std::make_shared<HashStore>(), 0, 1, options);
  }
  static Tensor on_device(const Tensor& t) { return t.to(Device(kCUDA, 0)); }
  std::shared_ptr<ProcessGroup> group_;
};

TEST_F(Nccl, CollectivesOnOneRankMatchTheLocalResult) {
  EXPECT_EQ(group_->backend_name(), "nccl");
  EXPECT_EQ(group_->device_type(), kCUDA);
  const Tensor host = arange(12, TensorOptions(kFloat32)).reshape({3, 4});
  for (ReduceOp op :
       {ReduceOp::Sum, ReduceOp::Avg, ReduceOp::Product, ReduceOp::Min, ReduceOp::Max}) {
    for (ScalarType dtype : {kFloat32, kFloat16, kBFloat16, kInt64}) {
      if (op == ReduceOp::Avg && dtype == kInt64) continue;
      Tensor t = on_device(host.to(dtype));
      group_->all_reduce(t, op)->wait(30s);
      EXPECT_TRUE(equal(t.cpu(), host.to(dtype))) << to_string(op) << " " << dtype;
    }
  }
  Tensor b = on_device(host);
  group_->broadcast(b, 0)->wait(30s);
  EXPECT_TRUE(equal(b.cpu(), host));
  Tensor r = on_device(host);
  group_->reduce(r, 0, ReduceOp::Sum)->wait(30s);
  EXPECT_TRUE(equal(r.cpu(), host));

  std::vector<Tensor> gathered = {on_device(zeros({3, 4}))};
  group_->all_gather(gathered, on_device(host))->wait(30s);
  EXPECT_TRUE(equal(gathered[0].cpu(), host));
  Tensor into = on_device(zeros({3, 4}));
  group_->all_gather_into_tensor(into, on_device(host))->wait(30s);
  EXPECT_TRUE(equal(into.cpu(), host));
  Tensor scattered = on_device(zeros({3, 4}));
  group_->reduce_scatter_tensor(scattered, on_device(host), ReduceOp::Sum)->wait(30s);
  EXPECT_TRUE(equal(scattered.cpu(), host));

  std::vector<Tensor> gather_out = {on_device(zeros({3, 4}))};
  group_->gather(gather_out, on_device(host), 0)->wait(30s);
  EXPECT_TRUE(equal(gather_out[0].cpu(), host));
  Tensor scatter_out = on_device(zeros({3, 4}));
  group_->scatter(scatter_out, {on_device(host)}, 0)->wait(30s);
  EXPECT_TRUE(equal(scatter_out.cpu(), host));
  Tensor a2a = on_device(zeros({3, 4}));
  group_->all_to_all_single(a2a, on_device(host))->wait(30s);
  EXPECT_TRUE(equal(a2a.cpu(), host));
  group_->barrier()->wait(30s);
}

TEST_F(Nccl, AsyncWorksFinishInOrder) {
  std::vector<Tensor> tensors;
  std::vector<WorkPtr> works;
  for (int k = 0; k < 16; ++k) {
    tensors.push_back(on_device(full({1 << 16}, k)));
    works.push_back(group_->all_reduce(tensors.back(), ReduceOp::Max));
  }
  works.back()->wait(30s);
  for (int k = 0; k < 16; ++k) {
    EXPECT_TRUE(works[static_cast<size_t>(k)]->is_completed());
    EXPECT_TRUE(equal(tensors[static_cast<size_t>(k)].cpu(), full({1 << 16}, k)));
  }
}

TEST_F(Nccl, RecvFromAnySourceIsAValueError) {
  Tensor t = on_device(zeros({2}));
  EXPECT_THROW(group_->recv(t, -1), ValueError);
}

}  // namespace
}  // namespace ember::distributed
