// The Gloo process group with ranks as threads of this process over one HashStore (loopback
// TCP between them): every collective against a local computation, the shared checks, the debug
// mode and failures (a silent peer, a peer that closes its connections).
#include <gloo/rendezvous/file_store.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>

#include "ember/base/error_testing.h"
#include "ember/distributed/backends.h"
#include "ember/distributed/collective_test_support.h"
#include "ember/distributed/errors.h"
#include "ember/distributed/gloo/process_group_gloo.h"
#include "ember/distributed/store.h"
#include "ember/ops/ops.h"

namespace ember::distributed {
namespace {

using namespace std::chrono_literals;
using collective_test::expected_reduction;
using collective_test::make;
using collective_test::read;
using collective_test::test_values;
using test_support::contains;
using test_support::error_of;

// Runs body(group, sync) on `size` threads, rank r on thread r, each with its own Gloo group
// over one store; sync() is a barrier between the threads (not a collective). Every group lives
// until all bodies returned, so no rank closes its connections while another still talks.
void run_ranks(int size,
               const std::function<void(ProcessGroup&, const std::function<void()>&)>& body,
               Duration timeout = 20s) {
  auto store = std::make_shared<HashStore>(20s);
  std::barrier sync_point(size);
  const std::function<void()> sync = [&] { sync_point.arrive_and_wait(); };
  std::vector<std::exception_ptr> errors(static_cast<size_t>(size));
  std::vector<std::thread> threads;
  for (int r = 0; r < size; ++r) {
    threads.emplace_back([&, r] {
      std::shared_ptr<ProcessGroup> group;
      try {
        ProcessGroupOptions options;
        options.timeout = timeout;
        group = make_gloo_process_group(store, r, size, options);
        body(*group, sync);
      } catch (...) {
        errors[static_cast<size_t>(r)] = std::current_exception();
      }
      sync_point.arrive_and_wait();
    });
  }
  for (auto& thread : threads) thread.join();
  for (int r = 0; r < size; ++r) {
    if (errors[static_cast<size_t>(r)]) {
      try {
        std::rethrow_exception(errors[static_cast<size_t>(r)]);
      } catch (const std::exception& error) {
        ADD_FAILURE() << "rank " << r << ": " << error.what();
      }
    }
  }
}

TEST(ProcessGroupGloo, IsAvailableAndNamesItself) {
  EXPECT_TRUE(is_gloo_available());
  run_ranks(2, [](ProcessGroup& group, const auto&) {
    EXPECT_EQ(group.backend_name(), "gloo");
    EXPECT_EQ(group.device_type(), DeviceType::CPU);
    EXPECT_EQ(group.size(), 2);
  });
}

TEST(ProcessGroupGloo, AllReduceEveryOpAndDtypeOnTwoAndThreeRanks) {
  for (int size : {2, 3}) {
    run_ranks(size, [size](ProcessGroup& group, const auto&) {
      for (ScalarType dtype :
           {kFloat32, kFloat64, kFloat16, kBFloat16, kInt8, kUInt8, kInt32, kInt64}) {
        for (ReduceOp op : {ReduceOp::Sum, ReduceOp::Product, ReduceOp::Min, ReduceOp::Max}) {
          Tensor t = make(test_values(group.rank(), 7), dtype).view({7});
          group.all_reduce(t, op)->wait();
          EXPECT_EQ(read(t), expected_reduction(op, size, 7))
              << "size " << size << " " << dtype << " " << to_string(op);
        }
      }
    });
  }
}

TEST(ProcessGroupGloo, AvgDividesAfterTheSumAndRefusesIntegers) {
  run_ranks(3, [](ProcessGroup& group, const auto&) {
    Tensor t = make(test_values(group.rank(), 5), kFloat32);
    group.all_reduce(t, ReduceOp::Avg)->wait();
    EXPECT_EQ(read(t), expected_reduction(ReduceOp::Avg, 3, 5));
    Tensor ints = make(test_values(group.rank(), 5), kInt64);
    EXPECT_TRUE(contains(error_of<TypeError>([&] { group.all_reduce(ints, ReduceOp::Avg); }),
                         "[all_reduce] ReduceOp.AVG needs a floating-point tensor, got int64[5]"));
  });
}

TEST(ProcessGroupGloo, BoolSumIsOrAndProductIsAnd) {
  run_ranks(2, [](ProcessGroup& group, const auto&) {
    const bool mine = group.rank() == 0;
    Tensor any = tensor(std::vector<bool>{mine, false, true});
    Tensor all = any.clone();
    group.all_reduce(any, ReduceOp::Sum)->wait();
    group.all_reduce(all, ReduceOp::Product)->wait();
    EXPECT_EQ(read(any), (std::vector<double>{1, 0, 1}));
    EXPECT_EQ(read(all), (std::vector<double>{0, 0, 1}));
  });
}

TEST(ProcessGroupGloo, BroadcastAndReduceToARoot) {
  run_ranks(3, [](ProcessGroup& group, const auto&) {
    Tensor t = make(test_values(group.rank(), 6), kFloat64).view({2, 3});
    group.broadcast(t, 1)->wait();
    EXPECT_EQ(read(t), test_values(1, 6));

    Tensor r = make(test_values(group.rank(), 4), kInt32);
    group.reduce(r, 2, ReduceOp::Max)->wait();
    EXPECT_EQ(read(r), group.rank() == 2 ? expected_reduction(ReduceOp::Max, 3, 4)
                                         : test_values(group.rank(), 4));
    Tensor avg = make(test_values(group.rank(), 4), kFloat32);
    group.reduce(avg, 0, ReduceOp::Avg)->wait();
    EXPECT_EQ(read(avg), group.rank() == 0 ? expected_reduction(ReduceOp::Avg, 3, 4)
                                           : test_values(group.rank(), 4));
  });
}

TEST(ProcessGroupGloo, AllGatherBothForms) {
  run_ranks(3, [](ProcessGroup& group, const auto&) {
    Tensor input = make(test_values(group.rank(), 4), kBFloat16).view({2, 2});
    std::vector<Tensor> outputs;
    for (int r = 0; r < 3; ++r) outputs.push_back(empty({2, 2}, kBFloat16));
    group.all_gather(outputs, input)->wait();
    Tensor flat = empty({6, 2}, kBFloat16);
    group.all_gather_into_tensor(flat, input)->wait();
    std::vector<double> all;
    for (int r = 0; r < 3; ++r) {
      EXPECT_EQ(read(outputs[static_cast<size_t>(r)]), test_values(r, 4));
      const auto mine = test_values(r, 4);
      all.insert(all.end(), mine.begin(), mine.end());
    }
    EXPECT_EQ(read(flat), all);
  });
}

TEST(ProcessGroupGloo, ReduceScatterBothForms) {
  run_ranks(2, [](ProcessGroup& group, const auto&) {
    // Rank r's input for rank q: test_values(r + q); rank q receives their sum over r.
    std::vector<Tensor> inputs;
    for (int q = 0; q < 2; ++q) inputs.push_back(make(test_values(group.rank() + q, 3), kFloat32));
    Tensor output = empty({3}, kFloat32);
    group.reduce_scatter(output, inputs)->wait();
    std::vector<double> expected(3, 0.0);
    for (int r = 0; r < 2; ++r) {
      const auto part = test_values(r + group.rank(), 3);
      for (size_t i = 0; i < 3; ++i) expected[i] += part[i];
    }
    EXPECT_EQ(read(output), expected);

    Tensor input = make(test_values(group.rank(), 6), kFloat64);
    const Tensor before = input.clone();
    Tensor half = empty({3}, kFloat64);
    group.reduce_scatter_tensor(half, input, ReduceOp::Avg)->wait();
    const auto avg = expected_reduction(ReduceOp::Avg, 2, 6);
    EXPECT_EQ(read(half), std::vector<double>(avg.begin() + 3 * group.rank(),
                                              avg.begin() + 3 * group.rank() + 3));
    EXPECT_TRUE(equal(input, before));
  });
}

TEST(ProcessGroupGloo, GatherAndScatter) {
  run_ranks(3, [](ProcessGroup& group, const auto&) {
    Tensor input = make(test_values(group.rank(), 2), kInt64);
    std::vector<Tensor> gathered;
    if (group.rank() == 1) {
      for (int r = 0; r < 3; ++r) gathered.push_back(empty({2}, kInt64));
    }
    group.gather(gathered, input, 1)->wait();
    for (size_t r = 0; r < gathered.size(); ++r) {
      EXPECT_EQ(read(gathered[r]), test_values(static_cast<int>(r), 2));
    }

    std::vector<Tensor> pieces;
    if (group.rank() == 2) {
      for (int r = 0; r < 3; ++r) pieces.push_back(make(test_values(10 * r, 2), kFloat32));
    }
    Tensor output = empty({2}, kFloat32);
    group.scatter(output, pieces, 2)->wait();
    EXPECT_EQ(read(output), test_values(10 * group.rank(), 2));
  });
}

TEST(ProcessGroupGloo, AllToAllWithUnevenSplits) {
  run_ranks(3, [](ProcessGroup& group, const auto&) {
    const int me = group.rank();
    // Rank r sends q + 1 rows of the value 10 r + q to rank q; rows hold two elements.
    std::vector<double> sent;
    std::vector<int64_t> input_splits, output_splits;
    for (int q = 0; q < 3; ++q) {
      input_splits.push_back(q + 1);
      output_splits.push_back(me + 1);
      for (int i = 0; i < 2 * (q + 1); ++i) sent.push_back(10 * me + q);
    }
    Tensor input = make(sent, kFloat32).view({6, 2});
    Tensor output = empty({3 * (me + 1), 2}, kFloat32);
    group.all_to_all_single(output, input, output_splits, input_splits)->wait();
    std::vector<double> expected;
    for (int r = 0; r < 3; ++r) {
      for (int i = 0; i < 2 * (me + 1); ++i) expected.push_back(10 * r + me);
    }
    EXPECT_EQ(read(output), expected);

    std::vector<Tensor> outputs, inputs;
    for (int q = 0; q < 3; ++q) {
      inputs.push_back(full({q + 1}, 10 * me + q, kInt32));
      outputs.push_back(empty({me + 1}, kInt32));
    }
    group.all_to_all(outputs, inputs)->wait();
    for (int r = 0; r < 3; ++r) {
      EXPECT_EQ(read(outputs[static_cast<size_t>(r)]),
                std::vector<double>(static_cast<size_t>(me + 1), 10 * r + me));
    }

    Tensor equal_in = make(test_values(me, 3), kFloat64);
    Tensor equal_out = empty({3}, kFloat64);
    group.all_to_all_single(equal_out, equal_in)->wait();
    for (int r = 0; r < 3; ++r) {
      EXPECT_EQ(read(equal_out)[static_cast<size_t>(r)],
                test_values(r, 3)[static_cast<size_t>(me)]);
    }
  });
}

TEST(ProcessGroupGloo, SendRecvAndRecvFromAnySource) {
  run_ranks(3, [](ProcessGroup& group, const auto&) {
    if (group.rank() == 0) {
      Tensor from1 = empty({3}, kFloat32);
      group.recv(from1, 1, 7)->wait();
      EXPECT_EQ(read(from1), test_values(1, 3));
      Tensor any = empty({3}, kFloat32);
      WorkPtr work = group.recv(any, -1, 9);
      work->wait();
      EXPECT_EQ(work->source_rank(), 2);
      EXPECT_EQ(read(any), test_values(2, 3));
    } else if (group.rank() == 1) {
      group.send(make(test_values(1, 3), kFloat32), 0, 7)->wait();
    } else {
      group.send(make(test_values(2, 3), kFloat32), 0, 9)->wait();
    }
    // Both directions posted before either waits: neither blocks the other.
    if (group.rank() < 2) {
      const int peer = 1 - group.rank();
      Tensor in = empty({2}, kInt64);
      WorkPtr sent = group.send(make(test_values(group.rank(), 2), kInt64), peer, 3);
      WorkPtr received = group.recv(in, peer, 3);
      sent->wait();
      received->wait();
      EXPECT_EQ(read(in), test_values(peer, 2));
    }
  });
}

TEST(ProcessGroupGloo, AsyncWorksCompleteInOrderAndBarrierSyncs) {
  run_ranks(2, [](ProcessGroup& group, const auto&) {
    std::vector<Tensor> tensors;
    std::vector<WorkPtr> works;
    for (int i = 0; i < 8; ++i) {
      tensors.push_back(full({1000}, static_cast<double>(i + group.rank()), kFloat32));
      works.push_back(group.all_reduce(tensors.back()));
    }
    for (int i = 0; i < 8; ++i) {
      works[static_cast<size_t>(i)]->wait(10s);
      EXPECT_TRUE(works[static_cast<size_t>(i)]->is_completed());
      EXPECT_TRUE(works[static_cast<size_t>(i)]->is_success());
      EXPECT_EQ(read(tensors[static_cast<size_t>(i)])[999], 2.0 * i + 1);
    }
    group.barrier()->wait();
  });
}

TEST(ProcessGroupGloo, EmptyTensorsAreNoOps) {
  run_ranks(2, [](ProcessGroup& group, const auto&) {
    Tensor none = empty({0, 3}, kFloat32);
    group.all_reduce(none)->wait();
    group.broadcast(none, 1)->wait();
    std::vector<Tensor> outputs{empty({0, 3}, kFloat32), empty({0, 3}, kFloat32)};
    group.all_gather(outputs, none)->wait();
    Tensor out = empty({0, 3}, kFloat32);
    group.all_to_all_single(out, none)->wait();
    // The group still works afterwards: the tags stayed in step.
    Tensor t = full({2}, 1.0, kFloat32);
    group.all_reduce(t)->wait();
    EXPECT_EQ(read(t), (std::vector<double>{2, 2}));
  });
}

TEST(ProcessGroupGloo, ChecksRaiseTypedErrorsNamingTheOp) {
  run_ranks(2, [](ProcessGroup& group, const auto&) {
    Tensor matrix = zeros({2, 3}, kFloat32);
    EXPECT_TRUE(contains(error_of<ValueError>([&] { group.all_reduce(matrix.t()); }),
                         "[all_reduce] Tensors must be contiguous"));
    EXPECT_TRUE(contains(error_of<ValueError>([&] { group.all_reduce(Tensor()); }),
                         "[all_reduce] tensor is an undefined tensor"));
    EXPECT_TRUE(contains(error_of<ValueError>([&] { group.broadcast(matrix, 2); }),
                         "[broadcast] root 2 is not a rank of group 'default_pg' of size 2"));
    EXPECT_TRUE(contains(error_of<ValueError>([&] { group.all_gather({matrix}, matrix); }),
                         "[all_gather] output_tensor_list has 1 tensors but the group has 2"));
    EXPECT_TRUE(
        contains(error_of<ValueError>([&] {
                   group.all_gather({matrix, zeros({3}, kFloat32)}, matrix);
                 }),
                 "[all_gather] an output is float32[3] but must have the shape of float32[2, 3]"));
    EXPECT_TRUE(
        contains(error_of<TypeError>([&] {
                   group.all_gather({matrix, zeros({2, 3}, kInt32)}, matrix);
                 }),
                 "[all_gather] an output is int32[2, 3] but must have the dtype of float32[2, 3]"));
    EXPECT_TRUE(contains(
        error_of<ValueError>([&] { group.all_gather_into_tensor(zeros({5}, kFloat32), matrix); }),
        "[all_gather_into_tensor] output float32[5] must hold 2 x the input's 6 elements"));
    EXPECT_TRUE(contains(
        error_of<ValueError>([&] {
          group.all_to_all_single(zeros({3}, kFloat32), zeros({3}, kFloat32), {1, 2}, {1, 1});
        }),
        "[all_to_all_single] input split sizes sum to 2 but dim 0 of float32[3]"));
    EXPECT_TRUE(contains(error_of<ValueError>([&] { group.send(matrix, group.rank()); }),
                         "[send] rank " + std::to_string(group.rank()) + " cannot send"));
    EXPECT_TRUE(
        contains(error_of<ValueError>([&] { group.gather({matrix}, matrix, 1 - group.rank()); }),
                 "[gather] gather_list must be empty"));
  });
}

TEST(ProcessGroupGloo, DebugModeNamesBothRanksShapes) {
  setenv("EMBER_DISTRIBUTED_DEBUG", "DETAIL", 1);
  run_ranks(2, [](ProcessGroup& group, const auto&) {
    Tensor same = ones({2}, kFloat32);
    group.all_reduce(same)->wait();
    Tensor t = group.rank() == 0 ? zeros({2, 3}, kFloat32) : zeros({4}, kFloat32);
    EXPECT_EQ(error_of<DistBackendError>([&] { group.all_reduce(t); }),
              "[all_reduce] ranks disagree: rank 0 has SUM float32[2, 3] but rank 1 has SUM "
              "float32[4]");
    Tensor u = ones({2}, kFloat32);
    const std::string message = error_of<DistBackendError>([&] {
      if (group.rank() == 0) {
        group.all_reduce(u);
      } else {
        group.broadcast(u, 0);
      }
    });
    EXPECT_TRUE(contains(message,
                         "rank 0 runs all_reduce with SUM float32[2] but rank 1 runs "
                         "broadcast with root 0 float32[2]"))
        << message;
  });
  unsetenv("EMBER_DISTRIBUTED_DEBUG");
}

TEST(ProcessGroupGloo, ASilentPeerTimesOutAndBreaksTheGroup) {
  run_ranks(
      2,
      [](ProcessGroup& group, const std::function<void()>& sync) {
        if (group.rank() == 0) {
          Tensor t = ones({4}, kFloat32);
          const auto start = std::chrono::steady_clock::now();
          const std::string message =
              error_of<DistBackendError>([&] { group.all_reduce(t)->wait(); });
          EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
          EXPECT_TRUE(contains(message, "[all_reduce] rank 0 of group 'default_pg': ")) << message;
          EXPECT_TRUE(contains(error_of<DistBackendError>([&] { group.broadcast(t, 0)->wait(); }),
                               "[broadcast] rank 0 of group 'default_pg' is unusable after an "
                               "earlier failure: [all_reduce]"));
        }
        sync();
      },
      1s);
}

TEST(ProcessGroupGloo, APeerThatClosesItsConnectionsFailsTheCollective) {
  auto store = std::make_shared<HashStore>(20s);
  ProcessGroupOptions options;
  options.timeout = 30s;
  std::shared_ptr<ProcessGroup> survivor;
  std::thread peer([&] {
    auto group = make_gloo_process_group(store, 1, 2, options);
    store->get("survivor-waiting");
    std::this_thread::sleep_for(200ms);
    // Destroying the group closes its sockets mid-collective, as a killed process would.
  });
  survivor = make_gloo_process_group(store, 0, 2, options);
  Tensor t = ones({1 << 16}, kFloat32);
  WorkPtr work = survivor->all_reduce(t);
  store->set("survivor-waiting", std::string("1"));
  const auto start = std::chrono::steady_clock::now();
  const std::string message = error_of<DistBackendError>([&] { work->wait(); });
  EXPECT_LT(std::chrono::steady_clock::now() - start, 15s);
  EXPECT_TRUE(contains(message, "[all_reduce] rank 0 of group 'default_pg': ")) << message;
  EXPECT_TRUE(contains(message, "Connection closed by peer")) << message;
  peer.join();
}

TEST(ProcessGroupGloo, DestroyingAGroupFailsItsQueuedWorks) {
  auto store = std::make_shared<HashStore>(20s);
  ProcessGroupOptions options;
  options.timeout = 2s;
  std::vector<WorkPtr> works;
  std::thread peer([&] {
    auto group = make_gloo_process_group(store, 1, 2, options);
    store->get("done");
  });
  {
    auto group = make_gloo_process_group(store, 0, 2, options);
    for (int i = 0; i < 3; ++i) works.push_back(group->all_reduce(ones({2}, kFloat32)));
  }
  store->set("done", std::string("1"));
  peer.join();
  for (const WorkPtr& work : works) {
    EXPECT_TRUE(work->is_completed());
    EXPECT_FALSE(work->is_success());
  }
  EXPECT_TRUE(contains(error_of<DistBackendError>([&] { works.back()->wait(); }),
                       "process group destroyed"));
}

// A killed process, as a crash or the OOM killer ends one: the test runs this program again as
// rank 1 (ProcessGroupGlooKilledPeer.Child), kills it with SIGKILL mid-collective and expects the
// survivor's DistBackendError naming it. The two processes meet through Gloo's own file store
// (ember's cross-process stores are another part of the layer), behind the Store interface.
class GlooFileStore : public Store {
 public:
  explicit GlooFileStore(const std::string& path) : Store(20s), files_(path) {}
  void set(const std::string& key, const Bytes& value) override {
    files_.set(file_key(key), std::vector<char>(value.begin(), value.end()));
  }
  Bytes get(const std::string& key) override {
    const std::vector<char> value = files_.get(file_key(key));
    return Bytes(value.begin(), value.end());
  }
  void wait(const std::vector<std::string>& keys, Duration timeout) override {
    std::vector<std::string> names;
    for (const std::string& key : keys) names.push_back(file_key(key));
    files_.wait(names, timeout);
  }
  int64_t add(const std::string&, int64_t) override { return unsupported(); }
  Bytes compare_set(const std::string&, const Bytes&, const Bytes&) override { unsupported(); }
  bool delete_key(const std::string&) override { unsupported(); }
  bool check(const std::vector<std::string>&) override { unsupported(); }
  int64_t num_keys() override { unsupported(); }
  using Store::set;
  using Store::wait;

 private:
  // Gloo's file store keeps one file per key: no '/' in a name.
  static std::string file_key(std::string key) {
    for (char& c : key) c = c == '/' ? '_' : c;
    return key;
  }
  [[noreturn]] static int64_t unsupported() {
    throw std::logic_error("GlooFileStore: only set, get and wait");
  }
  gloo::rendezvous::FileStore files_;
};

TEST(ProcessGroupGlooKilledPeer, Child) {
  const char* dir = std::getenv("EMBER_GLOO_TEST_CHILD_STORE");
  if (dir == nullptr) GTEST_SKIP() << "runs as the killed rank of SurvivorNamesIt only";
  auto store = std::make_shared<GlooFileStore>(dir);
  auto group = make_gloo_process_group(store, 1, 2, ProcessGroupOptions());
  Tensor t = ones({4}, kFloat32);
  group->all_reduce(t)->wait();
  // The parent starts its next collective and kills this process meanwhile.
  std::this_thread::sleep_for(60s);
}

TEST(ProcessGroupGlooKilledPeer, SurvivorNamesIt) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("ember_gloo_kill_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    setenv("EMBER_GLOO_TEST_CHILD_STORE", dir.c_str(), 1);
    execl("/proc/self/exe", "distributed_tests", "--gtest_filter=ProcessGroupGlooKilledPeer.Child",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  std::string message;
  std::chrono::steady_clock::duration waited{};
  try {
    auto store = std::make_shared<GlooFileStore>(dir.string());
    ProcessGroupOptions options;
    options.timeout = 60s;
    auto group = make_gloo_process_group(store, 0, 2, options);
    Tensor t = ones({4}, kFloat32);
    group->all_reduce(t)->wait();
    WorkPtr work = group->all_reduce(t);
    std::this_thread::sleep_for(300ms);
    kill(child, SIGKILL);
    const auto start = std::chrono::steady_clock::now();
    message = error_of<DistBackendError>([&] { work->wait(20s); });
    waited = std::chrono::steady_clock::now() - start;
  } catch (const std::exception& error) {
    kill(child, SIGKILL);
    ADD_FAILURE() << error.what();
  }
  int status = 0;
  waitpid(child, &status, 0);
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_LT(waited, 15s);
  // The child is a zombie until waitpid below: dead all the same (PeerLiveness).
  EXPECT_TRUE(contains(message, "[all_reduce] rank 0 of group 'default_pg': peer rank 1 (pid " +
                                    std::to_string(child) + ") is dead: "))
      << message;
  EXPECT_TRUE(contains(message, "Connection closed by peer")) << message;
}

}  // namespace
}  // namespace ember::distributed
