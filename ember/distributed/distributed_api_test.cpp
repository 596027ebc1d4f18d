// The top-level API: errors before init and bad arguments (no engine needed), then the default
// group, new_group and the global-rank translation on Gloo (skipped where the build has none),
// in one process and across forked processes.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "ember/base/error_testing.h"
#include "ember/distributed/backends.h"
#include "ember/distributed/distributed.h"
#include "ember/distributed/errors.h"
#include "ember/distributed/store_test_support.h"
#include "ember/ops/ops.h"

namespace ember::distributed {
namespace {

using namespace std::chrono_literals;
using test_support::contains;
using test_support::error_of;

const char* const kNotInitialized =
    "Default process group has not been initialized, please make sure to call "
    "init_process_group.";

InitOptions store_options(int rank, int world_size, std::shared_ptr<Store> store) {
  InitOptions options;
  options.backend = "gloo";
  options.rank = rank;
  options.world_size = world_size;
  options.timeout = 10s;
  options.store = std::move(store);
  return options;
}

TEST(DistributedApi, CallsBeforeInitRaisePyTorchsMessage) {
  EXPECT_FALSE(is_initialized());
  const Tensor tensor = ones({2});
  const std::vector<std::pair<const char*, std::function<void()>>> calls = {
      {"[get_rank]", [] { get_rank(); }},
      {"[get_world_size]", [] { get_world_size(); }},
      {"[get_backend]", [] { get_backend(); }},
      {"[default_group]", [] { default_group(); }},
      {"[new_group]", [] { new_group({0}); }},
      {"[destroy_process_group]", [] { destroy_process_group(); }},
      {"[all_reduce]", [&] { all_reduce(tensor); }},
      {"[broadcast]", [&] { broadcast(tensor, 0); }},
      {"[all_gather]", [&] { all_gather({tensor}, tensor); }},
      {"[send]", [&] { send(tensor, 1); }},
      {"[recv]", [&] { recv(tensor); }},
      {"[barrier]", [] { barrier(); }},
  };
  for (const auto& [op, call] : calls) {
    const std::string message = error_of<RuntimeError>(call);
    EXPECT_TRUE(contains(message, op)) << message;
    EXPECT_TRUE(contains(message, kNotInitialized)) << message;
  }
}

TEST(DistributedApi, BadArgumentsAreValueErrorsAndLeaveNoGroup) {
  auto store = std::make_shared<HashStore>(1s);
  std::string message =
      error_of<ValueError>([&] { init_process_group(store_options(-1, 2, store)); });
  EXPECT_TRUE(contains(message, "rank and world_size must be given")) << message;
  message = error_of<ValueError>([&] { init_process_group(store_options(2, 2, store)); });
  EXPECT_TRUE(contains(message, "got rank 2 and world_size 2")) << message;
  InitOptions unknown = store_options(0, 1, store);
  unknown.backend = "smoke";
  message = error_of<ValueError>([&] { init_process_group(unknown); });
  EXPECT_TRUE(contains(message, "unknown backend 'smoke'")) << message;
  InitOptions url;
  url.init_method = "udp://x";
  message = error_of<ValueError>([&] { init_process_group(url); });
  EXPECT_TRUE(contains(message, "unknown init_method 'udp://x'")) << message;
  InitOptions zero = store_options(0, 1, store);
  zero.timeout = 0ms;
  message = error_of<ValueError>([&] { init_process_group(zero); });
  EXPECT_TRUE(contains(message, "timeout must be positive")) << message;
  EXPECT_FALSE(is_initialized());
}

// Everything below runs a real engine: Gloo (helper h-gloo's ProcessGroupGloo).
#define SKIP_WITHOUT_GLOO() \
  if (!is_gloo_available()) GTEST_SKIP() << "this build has no Gloo"

TEST(DistributedApi, OneProcessWorldOnGloo) {
  SKIP_WITHOUT_GLOO();
  init_process_group(store_options(0, 1, std::make_shared<HashStore>(5s)));
  EXPECT_TRUE(is_initialized());
  EXPECT_EQ(get_rank(), 0);
  EXPECT_EQ(get_world_size(), 1);
  EXPECT_EQ(get_backend(), "gloo");
  EXPECT_EQ(default_group()->options().group_name, "default_pg");
  const std::string message = error_of<RuntimeError>(
      [] { init_process_group(store_options(0, 1, std::make_shared<HashStore>())); });
  EXPECT_TRUE(contains(message, "initialize the default process group twice")) << message;

  Tensor tensor = full({3}, 2.0);
  EXPECT_EQ(all_reduce(tensor), nullptr);
  EXPECT_TRUE(equal(tensor, full({3}, 2.0)));
  const WorkPtr work = all_reduce(tensor, ReduceOp::Sum, nullptr, true);
  ASSERT_NE(work, nullptr);
  work->wait();
  barrier();

  const GroupPtr group = new_group({0});
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->options().group_name, "1");
  EXPECT_EQ(get_group_rank(group, 0), 0);
  EXPECT_EQ(get_global_rank(group, 0), 0);
  EXPECT_EQ(get_process_group_ranks(group), std::vector<int>{0});
  EXPECT_THROW(get_group_rank(group, 3), ValueError);
  EXPECT_THROW(broadcast(tensor, 3, group), ValueError);
  EXPECT_THROW(new_group({1}), ValueError);
  EXPECT_THROW(new_group({0, 0}), ValueError);
  broadcast(tensor, 0, group);
  destroy_process_group(group);
  EXPECT_THROW(get_rank(group), ValueError);
  EXPECT_TRUE(is_initialized());

  destroy_process_group();
  EXPECT_FALSE(is_initialized());
  // A destroyed world may be made again; group names start over.
  init_process_group(store_options(0, 1, std::make_shared<HashStore>(5s)));
  EXPECT_EQ(new_group()->options().group_name, "1");
  destroy_process_group();
}

// Three forked ranks over tcp:// rendezvous: collectives with global roots on the world and on a
// group of global ranks {1, 2}, whose non-member (rank 0) gets null.
TEST(DistributedApi, ThreeProcessesWithAGroupOnGloo) {
  SKIP_WITHOUT_GLOO();
  const std::string url = "tcp://127.0.0.1:" + std::to_string(free_port());
  const bool ok = run_in_children(3, 60s, [&](int rank) {
    InitOptions options;
    options.backend = "gloo";
    options.init_method = url;
    options.rank = rank;
    options.world_size = 3;
    options.timeout = 20s;
    init_process_group(options);
    bool good = get_rank() == rank && get_world_size() == 3;

    Tensor sum = full({4}, static_cast<double>(rank + 1));
    all_reduce(sum);
    good = good && equal(sum, full({4}, 6.0));

    Tensor root = full({2}, static_cast<double>(rank));
    broadcast(root, 2);
    good = good && equal(root, full({2}, 2.0));

    const GroupPtr pair = new_group({2, 1});
    if (rank == 0) {
      good = good && pair == nullptr;
    } else {
      good = good && pair != nullptr && get_rank(pair) == rank - 1 && get_world_size(pair) == 2;
      good = good && get_group_rank(pair, 2) == 1 && get_global_rank(pair, 0) == 1;
      Tensor value = full({2}, static_cast<double>(rank * 10));
      // Global rank 2 is the group's rank 1.
      broadcast(value, 2, pair);
      good = good && equal(value, full({2}, 20.0));
      Tensor reduced = full({1}, static_cast<double>(rank));
      all_reduce(reduced, ReduceOp::Max, pair);
      good = good && equal(reduced, full({1}, 2.0));
      good = good && contains(error_of<ValueError>([&] { broadcast(value, 0, pair); }),
                              "global rank 0 is not part of group '1'");
      // Point to point inside the group, with global ranks.
      if (rank == 1) {
        send(full({3}, 7.0), 2, pair);
      } else {
        Tensor received = zeros({3});
        good = good && recv(received, -1, pair) == 1 && equal(received, full({3}, 7.0));
      }
    }
    // World point to point: rank 0 hears from rank 2 (global ranks).
    if (rank == 2) send(full({1}, 5.0), 0);
    if (rank == 0) {
      Tensor received = zeros({1});
      good = good && recv(received, 2) == 2 && equal(received, full({1}, 5.0));
    }
    barrier();
    destroy_process_group();
    return good && !is_initialized();
  });
  EXPECT_TRUE(ok);
}

}  // namespace
}  // namespace ember::distributed
