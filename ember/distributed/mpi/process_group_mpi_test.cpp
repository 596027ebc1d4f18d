// The MPI engine's tests, one program that ctest runs under `mpirun -np 2` and `-np 3`: every
// rank runs every test in the same order, and each collective's result is compared with the
// same reduction computed locally from every rank's (deterministic) input. With --die-after N
// the program is instead the rank-dies scenario of check_rank_dies.py: rank 1 exits mid-run.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "ember/distributed/collective_test_support.h"
#include "ember/distributed/errors.h"
#include "ember/distributed/mpi/process_group_mpi.h"
#include "ember/ops/ops.h"

namespace ember::distributed {
namespace {

using namespace std::chrono_literals;
using collective_test::expected_reduction;
using collective_test::make;
using collective_test::read;
using collective_test::test_value;

// MPI needs no store; the group's checks (debug mode) would use it.
std::shared_ptr<Store> local_store() { return std::make_shared<HashStore>(); }

std::shared_ptr<ProcessGroup> world_group() {
  static std::shared_ptr<ProcessGroup> group = [] {
    const MpiWorld world = mpi_world();
    ProcessGroupOptions options;
    options.timeout = 30s;
    return make_mpi_process_group(local_store(), world.rank, world.size, options, {});
  }();
  return group;
}

Tensor rank_tensor(int rank, int64_t n, ScalarType dtype, int64_t offset = 0) {
  return make(collective_test::test_values(rank, n, offset), dtype);
}

class Mpi : public ::testing::Test {
 protected:
  void SetUp() override {
    group_ = world_group();
    rank_ = group_->rank();
    size_ = group_->size();
  }
  std::shared_ptr<ProcessGroup> group_;
  int rank_ = 0;
  int size_ = 1;
};

TEST_F(Mpi, TheGroupIsTheWorld) {
  EXPECT_EQ(group_->backend_name(), "mpi");
  EXPECT_EQ(group_->device_type(), kCPU);
  const MpiWorld world = mpi_world();
  EXPECT_EQ(rank_, world.rank);
  EXPECT_EQ(size_, world.size);
}

TEST_F(Mpi, AllReduceEveryOpAndDtype) {
  const std::vector<ScalarType> dtypes = {kFloat32, kFloat64, kInt32,   kInt64,
                                          kUInt8,   kInt8,    kFloat16, kBFloat16};
  const std::vector<ReduceOp> ops = {ReduceOp::Sum, ReduceOp::Product, ReduceOp::Min,
                                     ReduceOp::Max};
  for (ScalarType dtype : dtypes) {
    for (ReduceOp op : ops) {
      Tensor t = rank_tensor(rank_, 7, dtype);
      group_->all_reduce(t, op)->wait();
      EXPECT_EQ(read(t), expected_reduction(op, size_, 7, dtype))
          << to_string(op) << " of " << dtype;
    }
  }
}

TEST_F(Mpi, AllReduceOfBoolIsLogical) {
  // Rank r holds true at i when (i + r) is even; SUM and MAX are "any", PRODUCT and MIN "all".
  std::vector<double> mine(6);
  std::vector<double> any(6);
  std::vector<double> all(6);
  for (size_t i = 0; i < 6; ++i) {
    mine[i] = (i + static_cast<size_t>(rank_)) % 2 == 0;
    any[i] = size_ > 1 || i % 2 == 0;
    all[i] = size_ == 1 && i % 2 == 0;
  }
  for (ReduceOp op : {ReduceOp::Sum, ReduceOp::Max}) {
    Tensor t = make(mine, kBool);
    group_->all_reduce(t, op)->wait();
    EXPECT_EQ(read(t), any) << to_string(op);
  }
  for (ReduceOp op : {ReduceOp::Product, ReduceOp::Min}) {
    Tensor t = make(mine, kBool);
    group_->all_reduce(t, op)->wait();
    EXPECT_EQ(read(t), all) << to_string(op);
  }
}

TEST_F(Mpi, AllReduceAverage) {
  for (ScalarType dtype : {kFloat32, kFloat64}) {
    Tensor t = rank_tensor(rank_, 5, dtype);
    group_->all_reduce(t, ReduceOp::Avg)->wait();
    const std::vector<double> expected = expected_reduction(ReduceOp::Avg, size_, 5, dtype);
    const std::vector<double> got = read(t);
    for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], expected[i], 1e-6);
  }
}

TEST_F(Mpi, BroadcastFromEveryRoot) {
  for (int root = 0; root < size_; ++root) {
    Tensor t = rank_tensor(rank_, 9, kFloat32);
    group_->broadcast(t, root)->wait();
    EXPECT_EQ(read(t), read(rank_tensor(root, 9, kFloat32))) << "root " << root;
  }
}

TEST_F(Mpi, ReduceLandsOnTheRootOnly) {
  for (int root = 0; root < size_; ++root) {
    Tensor t = rank_tensor(rank_, 4, kInt64);
    group_->reduce(t, root, ReduceOp::Max)->wait();
    if (rank_ == root) {
      EXPECT_EQ(read(t), expected_reduction(ReduceOp::Max, size_, 4, kInt64));
    } else {
      EXPECT_EQ(read(t), read(rank_tensor(rank_, 4, kInt64)));
    }
  }
}

TEST_F(Mpi, AllGatherAndAllGatherIntoTensor) {
  std::vector<Tensor> outputs;
  for (int r = 0; r < size_; ++r) outputs.push_back(zeros({2, 3}, TensorOptions(kFloat64)));
  group_->all_gather(outputs, rank_tensor(rank_, 6, kFloat64).reshape({2, 3}))->wait();
  for (int r = 0; r < size_; ++r) EXPECT_EQ(read(outputs[r]), read(rank_tensor(r, 6, kFloat64)));

  Tensor output = zeros({size_ * 4}, TensorOptions(kBFloat16));
  group_->all_gather_into_tensor(output, rank_tensor(rank_, 4, kBFloat16))->wait();
  std::vector<double> expected;
  for (int r = 0; r < size_; ++r) {
    for (double v : read(rank_tensor(r, 4, kBFloat16))) expected.push_back(v);
  }
  EXPECT_EQ(read(output), expected);
}

TEST_F(Mpi, GatherAndScatter) {
  const int root = size_ - 1;
  std::vector<Tensor> outputs;
  if (rank_ == root) {
    for (int r = 0; r < size_; ++r) outputs.push_back(zeros({3}, TensorOptions(kInt32)));
  }
  group_->gather(outputs, rank_tensor(rank_, 3, kInt32), root)->wait();
  for (int r = 0; r < static_cast<int>(outputs.size()); ++r) {
    EXPECT_EQ(read(outputs[r]), read(rank_tensor(r, 3, kInt32)));
  }

  std::vector<Tensor> inputs;
  if (rank_ == root) {
    for (int r = 0; r < size_; ++r) inputs.push_back(rank_tensor(r + 10, 5, kFloat32));
  }
  Tensor output = zeros({5}, TensorOptions(kFloat32));
  group_->scatter(output, inputs, root)->wait();
  EXPECT_EQ(read(output), read(rank_tensor(rank_ + 10, 5, kFloat32)));
}

TEST_F(Mpi, ReduceScatterBothForms) {
  // Rank r's block for destination d is test_value(r, d * 4 + i).
  Tensor input = rank_tensor(rank_, size_ * 4, kFloat32);
  Tensor output = zeros({4}, TensorOptions(kFloat32));
  group_->reduce_scatter_tensor(output, input, ReduceOp::Sum)->wait();
  EXPECT_EQ(read(output), expected_reduction(ReduceOp::Sum, size_, 4, kFloat32, rank_ * 4));

  std::vector<Tensor> inputs;
  for (int d = 0; d < size_; ++d) inputs.push_back(rank_tensor(rank_, 4, kInt64, d * 4));
  Tensor list_output = zeros({4}, TensorOptions(kInt64));
  group_->reduce_scatter(list_output, inputs, ReduceOp::Min)->wait();
  EXPECT_EQ(read(list_output), expected_reduction(ReduceOp::Min, size_, 4, kInt64, rank_ * 4));
}

TEST_F(Mpi, AllToAllSingleEqualAndUnequalSplits) {
  // Equal splits: rank r sends rows [2d, 2d + 2) of its input to rank d.
  Tensor input = rank_tensor(rank_, size_ * 2 * 3, kFloat64).reshape({size_ * 2, 3});
  Tensor output = zeros({size_ * 2, 3}, TensorOptions(kFloat64));
  group_->all_to_all_single(output, input)->wait();
  std::vector<double> expected;
  for (int r = 0; r < size_; ++r) {
    const std::vector<double> theirs = read(rank_tensor(r, size_ * 6, kFloat64));
    expected.insert(expected.end(), theirs.begin() + rank_ * 6, theirs.begin() + rank_ * 6 + 6);
  }
  EXPECT_EQ(read(output), expected);

  // Unequal: rank r sends d + 1 rows to rank d, so it receives rank_ + 1 rows from each.
  std::vector<int64_t> input_splits;
  std::vector<int64_t> output_splits;
  int64_t rows = 0;
  for (int d = 0; d < size_; ++d) {
    input_splits.push_back(d + 1);
    output_splits.push_back(rank_ + 1);
    rows += d + 1;
  }
  Tensor uneven_input = rank_tensor(rank_, rows, kInt64).reshape({rows, 1});
  Tensor uneven_output = zeros({(rank_ + 1) * size_, 1}, TensorOptions(kInt64));
  group_->all_to_all_single(uneven_output, uneven_input, output_splits, input_splits)->wait();
  std::vector<double> uneven_expected;
  const int64_t start = rank_ * (rank_ + 1) / 2;  // rows sent to ranks below mine
  for (int r = 0; r < size_; ++r) {
    for (int64_t i = 0; i <= rank_; ++i) uneven_expected.push_back(test_value(r, start + i));
  }
  EXPECT_EQ(read(uneven_output), uneven_expected);
}

TEST_F(Mpi, AllToAllOfLists) {
  std::vector<Tensor> inputs;
  std::vector<Tensor> outputs;
  for (int d = 0; d < size_; ++d) {
    inputs.push_back(rank_tensor(rank_ * 100 + d, 3, kFloat32));
    outputs.push_back(zeros({3}, TensorOptions(kFloat32)));
  }
  group_->all_to_all(outputs, inputs)->wait();
  for (int r = 0; r < size_; ++r) {
    EXPECT_EQ(read(outputs[r]), read(rank_tensor(r * 100 + rank_, 3, kFloat32)));
  }
}

TEST_F(Mpi, SendRecvInARingWithAsyncWorks) {
  // Every rank posts its send and its receive before waiting on either (isend/irecv).
  const int next = (rank_ + 1) % size_;
  const int previous = (rank_ + size_ - 1) % size_;
  Tensor out = rank_tensor(rank_, 1 << 20, kFloat32);  // 4 MB: past the eager limit
  Tensor in = zeros({1 << 20}, TensorOptions(kFloat32));
  WorkPtr sent = group_->send(out, next, 7);
  WorkPtr received = group_->recv(in, previous, 7);
  received->wait(20s);
  sent->wait(20s);
  EXPECT_TRUE(sent->is_success());
  EXPECT_EQ(received->source_rank(), previous);
  EXPECT_EQ(read(in), read(rank_tensor(previous, 1 << 20, kFloat32)));
}

TEST_F(Mpi, RecvFromAnySourceTellsTheSource) {
  if (rank_ == 0) {
    for (int r = 1; r < size_; ++r) {
      Tensor in = zeros({2}, TensorOptions(kInt64));
      WorkPtr work = group_->recv(in, -1, 3);
      work->wait(20s);
      const int source = work->source_rank();
      ASSERT_GE(source, 1);
      EXPECT_EQ(read(in), read(rank_tensor(source, 2, kInt64)));
    }
  } else {
    group_->send(rank_tensor(rank_, 2, kInt64), 0, 3)->wait(20s);
  }
}

TEST_F(Mpi, AsyncCollectivesCompleteInOrder) {
  std::vector<Tensor> tensors;
  std::vector<WorkPtr> works;
  for (int k = 0; k < 8; ++k) {
    tensors.push_back(rank_tensor(rank_, 1000, kFloat32, k));
    works.push_back(group_->all_reduce(tensors.back(), ReduceOp::Sum));
  }
  works.push_back(group_->barrier());
  works.back()->wait(20s);
  for (int k = 0; k < 8; ++k) {
    EXPECT_TRUE(works[static_cast<size_t>(k)]->is_completed());
    EXPECT_EQ(read(tensors[static_cast<size_t>(k)]),
              expected_reduction(ReduceOp::Sum, size_, 1000, kFloat32, k));
  }
}

TEST_F(Mpi, SubgroupOfTheFirstTwoRanks) {
  if (rank_ >= 2) return;  // only the members create a group over MPI_Comm_create_group
  ProcessGroupOptions options;
  options.timeout = 30s;
  options.group_name = "pair";
  auto pair = make_mpi_process_group(local_store(), rank_, 2, options, {0, 1});
  Tensor t = rank_tensor(rank_, 3, kFloat32);
  pair->all_reduce(t, ReduceOp::Sum)->wait(20s);
  EXPECT_EQ(read(t), expected_reduction(ReduceOp::Sum, 2, 3, kFloat32));
}

TEST_F(Mpi, AWrongRankIsAValueErrorNamingBoth) {
  ProcessGroupOptions options;
  try {
    make_mpi_process_group(local_store(), (rank_ + 1) % (size_ + 1), size_ + 1, options, {});
    ADD_FAILURE() << "no error";
  } catch (const ValueError& error) {
    EXPECT_NE(std::string(error.what()).find("MPI_COMM_WORLD has rank " + std::to_string(rank_)),
              std::string::npos)
        << error.what();
  }
}

TEST_F(Mpi, TheTimeoutFailsTheWorkWithoutHanging) {
  // A receive nobody sends to: the engine cancels it after the group's timeout.
  ProcessGroupOptions options;
  options.timeout = 300ms;
  options.group_name = "short";
  auto group = make_mpi_process_group(local_store(), rank_, size_, options, {});
  Tensor in = zeros({2}, TensorOptions(kFloat32));
  WorkPtr work = group->recv(in, (rank_ + 1) % size_, 99);
  try {
    work->wait(10s);
    ADD_FAILURE() << "no error";
  } catch (const DistBackendError& error) {
    const std::string what = error.what();
    EXPECT_NE(what.find("[recv] rank " + std::to_string(rank_) + " of group 'short'"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("300 ms"), std::string::npos) << what;
  }
  // The engine still works afterwards.
  Tensor t = rank_tensor(rank_, 2, kFloat32);
  group_->all_reduce(t, ReduceOp::Sum)->wait(20s);
  EXPECT_EQ(read(t), expected_reduction(ReduceOp::Sum, size_, 2, kFloat32));
}

// The scenario check_rank_dies.py drives: all-reduces in a loop; after `steps` of them rank 1
// exits (status 1) or is killed (SIGKILL). Its own output does not say "rank 1": the check must
// find that in mpirun's.
int run_rank_dies(int steps, bool killed) {
  auto group = world_group();
  for (int step = 0;; ++step) {
    if (group->rank() == 1 && step == steps) {
      if (killed) raise(SIGKILL);
      _exit(1);
    }
    Tensor t = rank_tensor(group->rank(), 1000, kFloat32);
    group->all_reduce(t, ReduceOp::Sum)->wait();
  }
}

}  // namespace
}  // namespace ember::distributed

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i) {
    const bool exits = std::strcmp(argv[i], "--exit-after") == 0;
    if (exits || std::strcmp(argv[i], "--kill-after") == 0) {
      return ember::distributed::run_rank_dies(std::atoi(argv[i + 1]), !exits);
    }
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
