// TCPStore and FileStore: every method, blocking and timeouts, a master that goes away, and
// processes that share one store (forked children that report through their exit status).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ember/base/error_testing.h"
#include "ember/distributed/errors.h"
#include "ember/distributed/rendezvous.h"
#include "ember/distributed/store.h"
#include "ember/distributed/store_test_support.h"

namespace ember::distributed {
namespace {

using namespace std::chrono_literals;
using test_support::contains;
using test_support::error_of;

TCPStoreOptions master_options(Duration timeout = 5s) {
  TCPStoreOptions options;
  options.port = 0;
  options.is_master = true;
  options.timeout = timeout;
  return options;
}

TCPStoreOptions client_options(uint16_t port, Duration timeout = 5s) {
  TCPStoreOptions options;
  options.port = port;
  options.timeout = timeout;
  return options;
}

template <typename Fn>
Duration elapsed(Fn&& fn) {
  const auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - start);
}

TEST(TCPStore, EveryMethodBetweenMasterAndClient) {
  TCPStore master("127.0.0.1", master_options());
  ASSERT_NE(master.port(), 0);
  TCPStore client("127.0.0.1", client_options(master.port()));
  EXPECT_EQ(client.port(), master.port());
  EXPECT_EQ(client.host(), "127.0.0.1");

  master.set("a", std::string("xy"));
  EXPECT_EQ(client.get_string("a"), "xy");
  EXPECT_EQ(client.add("n", 3), 3);
  EXPECT_EQ(master.add("n", -5), -2);
  EXPECT_EQ(client.get_string("n"), "-2");
  EXPECT_EQ(client.compare_set("c", {}, Bytes{1}), Bytes{1});
  EXPECT_EQ(master.compare_set("c", Bytes{2}, Bytes{3}), Bytes{1});
  EXPECT_EQ(client.compare_set("c", Bytes{1}, Bytes{3}), Bytes{3});
  EXPECT_EQ(client.compare_set("absent", Bytes{7}, Bytes{8}), Bytes{7});
  EXPECT_FALSE(client.check({"absent"}));
  EXPECT_TRUE(client.check({"a", "n", "c"}));
  EXPECT_TRUE(client.check({}));
  EXPECT_EQ(master.num_keys(), 3);
  EXPECT_TRUE(client.delete_key("a"));
  EXPECT_FALSE(master.delete_key("a"));
  EXPECT_EQ(client.num_keys(), 2);
  client.wait({"n", "c"});
  client.wait({"n"}, 10ms);
  // Values are bytes: zeros, every byte value and a large value travel unchanged.
  Bytes binary(256);
  for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<uint8_t>(i);
  client.set("binary", binary);
  EXPECT_EQ(master.get("binary"), binary);
  const Bytes large(3 << 20, 0x5a);
  master.set("large", large);
  EXPECT_EQ(client.get("large"), large);
  client.set("empty", Bytes{});
  EXPECT_EQ(master.get("empty"), Bytes{});
}

TEST(TCPStore, AddOnANonCounterIsAValueErrorAndTheConnectionLives) {
  TCPStore master("127.0.0.1", master_options());
  master.set("text", std::string("abc"));
  const std::string message = error_of<ValueError>([&] { master.add("text", 1); });
  EXPECT_TRUE(contains(message, "[TCPStore.add]")) << message;
  EXPECT_EQ(master.add("counter", 2), 2);
}

TEST(TCPStore, GetBlocksUntilAnotherClientSets) {
  TCPStore master("127.0.0.1", master_options());
  std::thread writer([port = master.port()] {
    TCPStore client("127.0.0.1", client_options(port));
    std::this_thread::sleep_for(100ms);
    client.set("late", std::string("v"));
  });
  EXPECT_EQ(master.get_string("late"), "v");
  writer.join();
}

TEST(TCPStore, ThreadsSharingOneStoreDoNotWaitForEachOther) {
  TCPStore master("127.0.0.1", master_options());
  TCPStore client("127.0.0.1", client_options(master.port()));
  // One thread parks in get on the client; another sets the key through the same client.
  std::thread reader([&] { EXPECT_EQ(client.get_string("shared"), "v"); });
  std::this_thread::sleep_for(50ms);
  client.set("shared", std::string("v"));
  reader.join();
  EXPECT_EQ(master.num_keys(), 1);
}

TEST(TCPStore, TimeoutsRaiseAStoreErrorNamingTheKeysQuickly) {
  TCPStore master("127.0.0.1", master_options(200ms));
  std::string message;
  const Duration took =
      elapsed([&] { message = error_of<DistStoreError>([&] { master.get("x"); }); });
  EXPECT_TRUE(contains(message, "[TCPStore.get] key 'x' not set within 200 ms")) << message;
  EXPECT_GE(took, 190ms);
  EXPECT_LT(took, 2s);
  message = error_of<DistStoreError>([&] { master.wait({"p", "q"}, 100ms); });
  EXPECT_TRUE(contains(message, "[TCPStore.wait] keys 'p', 'q' not set within 100 ms")) << message;
  // The store still answers after its timeouts.
  master.set("x", std::string("1"));
  EXPECT_EQ(master.get_string("x"), "1");
}

TEST(TCPStore, ManyClientsAtOnce) {
  TCPStore master("127.0.0.1", master_options());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([port = master.port()] {
      TCPStore client("127.0.0.1", client_options(port));
      for (int i = 0; i < 50; ++i) client.add("sum", 1);
      client.add("done", 1);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(master.get_string("sum"), "400");
  EXPECT_EQ(master.get_string("done"), "8");
}

TEST(TCPStore, MasterGoneMakesABlockedClientRaiseAtOnce) {
  auto master = std::make_unique<TCPStore>("127.0.0.1", master_options());
  TCPStore client("127.0.0.1", client_options(master->port(), 60s));
  std::string message;
  std::thread blocked([&] {
    const Duration took =
        elapsed([&] { message = error_of<DistStoreError>([&] { client.get("never"); }); });
    EXPECT_LT(took, 5s);
  });
  std::this_thread::sleep_for(100ms);
  master.reset();
  blocked.join();
  EXPECT_TRUE(contains(message, "[TCPStore.get]")) << message;
  EXPECT_TRUE(contains(message, "lost its connection")) << message;
  // Later calls fail at once too, naming the server.
  message = error_of<DistStoreError>([&] { client.set("k", std::string("v")); });
  EXPECT_TRUE(contains(message, "127.0.0.1:")) << message;
}

TEST(TCPStore, ClientRetriesUntilTheMasterListens) {
  const uint16_t port = free_port();
  std::unique_ptr<TCPStore> master;
  std::thread late_master([&] {
    std::this_thread::sleep_for(200ms);
    TCPStoreOptions options = master_options();
    options.port = port;
    master = std::make_unique<TCPStore>("127.0.0.1", options);
  });
  TCPStore client("127.0.0.1", client_options(port));
  late_master.join();
  client.set("k", std::string("v"));
  EXPECT_EQ(master->get_string("k"), "v");
}

TEST(TCPStore, NoMasterIsANetworkErrorAfterTheTimeout) {
  const uint16_t port = free_port();
  std::string message;
  const Duration took = elapsed([&] {
    message = error_of<DistNetworkError>(
        [&] { TCPStore client("127.0.0.1", client_options(port, 300ms)); });
  });
  EXPECT_TRUE(contains(message, "[TCPStore] could not connect")) << message;
  EXPECT_TRUE(contains(message, "127.0.0.1:" + std::to_string(port))) << message;
  EXPECT_LT(took, 3s);
}

TEST(TCPStore, APortInUseIsANetworkErrorNamingIt) {
  TCPStore first("127.0.0.1", master_options());
  TCPStoreOptions options = master_options();
  options.port = first.port();
  const std::string message =
      error_of<DistNetworkError>([&] { TCPStore second("127.0.0.1", options); });
  EXPECT_TRUE(contains(message, "127.0.0.1:" + std::to_string(first.port()))) << message;
  EXPECT_TRUE(contains(message, "errno")) << message;
}

TEST(TCPStore, MasterWaitsForItsWorkers) {
  const uint16_t port = free_port();
  std::vector<std::thread> workers;
  for (int w = 0; w < 2; ++w) {
    workers.emplace_back([port] {
      TCPStore client("127.0.0.1", client_options(port));
      client.add("joined", 1);
    });
  }
  TCPStoreOptions options = master_options();
  options.port = port;
  options.world_size = 3;
  TCPStore master("127.0.0.1", options);
  for (std::thread& worker : workers) worker.join();
  EXPECT_EQ(master.get_string("joined"), "2");
}

TEST(TCPStore, MasterWaitingForAbsentWorkersTimesOut) {
  TCPStoreOptions options = master_options(200ms);
  options.world_size = 2;
  const std::string message =
      error_of<DistStoreError>([&] { TCPStore master("127.0.0.1", options); });
  EXPECT_TRUE(contains(message, "only 1 of 2 workers")) << message;
  // Without wait_for_workers the master does not wait.
  options.wait_for_workers = false;
  TCPStore master("127.0.0.1", options);
  EXPECT_EQ(master.num_keys(), 0);
}

TEST(TCPStore, ForkedProcessesShareTheStore) {
  TCPStore master("127.0.0.1", master_options(10s));
  const uint16_t port = master.port();
  const int children = 3;
  const bool ok = run_in_children(children, 20s, [port](int index) {
    TCPStore client("127.0.0.1", client_options(port, 10s));
    client.add("joined", 1);
    client.set("rank" + std::to_string(index), std::to_string(index * 10));
    std::vector<std::string> keys;
    for (int other = 0; other < children; ++other) keys.push_back("rank" + std::to_string(other));
    client.wait(keys);
    for (int other = 0; other < children; ++other) {
      if (client.get_string(keys[other]) != std::to_string(other * 10)) return false;
    }
    return true;
  });
  EXPECT_TRUE(ok);
  EXPECT_EQ(master.get_string("joined"), "3");
}

TEST(TCPStore, PrefixStoresOverOneTCPStoreAreIsolated) {
  auto master = std::make_shared<TCPStore>("127.0.0.1", master_options(300ms));
  PrefixStore one("1", master);
  PrefixStore two("2", master);
  one.set("key", std::string("first"));
  two.set("key", std::string("second"));
  EXPECT_EQ(one.get_string("key"), "first");
  EXPECT_EQ(two.get_string("key"), "second");
  EXPECT_EQ(master->get_string("1/key"), "first");
  EXPECT_EQ(one.add("n", 1), 1);
  EXPECT_FALSE(two.check({"n"}));
  EXPECT_THROW(two.get("n"), DistStoreError);
}

// A file path unique to this test process (ctest runs tests in parallel).
std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "ember_" + name + "_" + std::to_string(::getpid());
}

bool file_exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

TEST(FileStore, EveryMethodBetweenTwoStoresOnOneFile) {
  const std::string path = temp_path("file_store_methods");
  {
    FileStore first(path, 2, 1s);
    FileStore second(path, 2, 1s);
    first.set("a", std::string("xy"));
    EXPECT_EQ(second.get_string("a"), "xy");
    EXPECT_EQ(second.add("n", 3), 3);
    EXPECT_EQ(first.add("n", -5), -2);
    EXPECT_EQ(second.get_string("n"), "-2");
    EXPECT_EQ(first.compare_set("c", {}, Bytes{1}), Bytes{1});
    EXPECT_EQ(second.compare_set("c", Bytes{2}, Bytes{3}), Bytes{1});
    EXPECT_EQ(second.compare_set("c", Bytes{1}, Bytes{3}), Bytes{3});
    EXPECT_EQ(first.compare_set("absent", Bytes{7}, Bytes{8}), Bytes{7});
    EXPECT_FALSE(first.check({"absent"}));
    EXPECT_TRUE(first.check({"a", "n", "c"}));
    EXPECT_EQ(second.num_keys(), 3);
    EXPECT_TRUE(second.delete_key("a"));
    EXPECT_FALSE(first.delete_key("a"));
    EXPECT_FALSE(first.check({"a"}));
    EXPECT_EQ(first.num_keys(), 2);
    const Bytes large(1 << 20, 0x33);
    first.set("large", large);
    EXPECT_EQ(second.get("large"), large);
    first.set("text", std::string("abc"));
    EXPECT_THROW(second.add("text", 1), ValueError);
    EXPECT_TRUE(file_exists(path));
  }
  // The last of the world's two users removed the file.
  EXPECT_FALSE(file_exists(path));
}

TEST(FileStore, TimeoutsRaiseAStoreErrorNamingTheKeys) {
  const std::string path = temp_path("file_store_timeout");
  FileStore store(path, 1, 150ms);
  std::string message;
  const Duration took =
      elapsed([&] { message = error_of<DistStoreError>([&] { store.get("x"); }); });
  EXPECT_TRUE(contains(message, "[FileStore.get] key 'x' not set within 150 ms")) << message;
  EXPECT_LT(took, 2s);
  message = error_of<DistStoreError>([&] { store.wait({"p", "q"}, 50ms); });
  EXPECT_TRUE(contains(message, "[FileStore.wait] keys 'p', 'q'")) << message;
}

TEST(FileStore, AnUnopenablePathIsAStoreErrorNamingIt) {
  const std::string message =
      error_of<DistStoreError>([] { FileStore store("/nonexistent_dir_ember/store", 1, 100ms); });
  EXPECT_TRUE(contains(message, "/nonexistent_dir_ember/store")) << message;
}

TEST(FileStore, ForkedProcessesShareTheFile) {
  const std::string path = temp_path("file_store_fork");
  const int children = 3;
  const bool ok = run_in_children(children, 20s, [&](int index) {
    FileStore store(path, children, 10s);
    store.add("joined", 1);
    store.set("rank" + std::to_string(index), std::to_string(index * 10));
    std::vector<std::string> keys;
    for (int other = 0; other < children; ++other) keys.push_back("rank" + std::to_string(other));
    store.wait(keys);
    for (int other = 0; other < children; ++other) {
      if (store.get_string(keys[other]) != std::to_string(other * 10)) return false;
    }
    // Everyone has read everything before anyone leaves (the last one out removes the file).
    store.add("read", 1);
    while (store.get_string("read") != std::to_string(children)) {
      std::this_thread::sleep_for(1ms);
    }
    return store.get_string("joined") == std::to_string(children);
  });
  EXPECT_TRUE(ok);
  EXPECT_FALSE(file_exists(path));
}

TEST(FileStore, ThreadsOfOneProcessAddConsistently) {
  const std::string path = temp_path("file_store_threads");
  FileStore store(path, 1, 5s);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      FileStore own(path, -1, 5s);
      for (int i = 0; i < 25; ++i) {
        own.add("sum", 1);
        store.add("sum", 1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(store.get_string("sum"), "200");
}

// Sets (or, with null, unsets) environment variables for one test and restores them after.
class ScopedEnv {
 public:
  ScopedEnv(std::initializer_list<std::pair<const char*, const char*>> values) {
    for (const auto& [name, value] : values) {
      const char* old = std::getenv(name);
      saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
      if (value) {
        ::setenv(name, value, 1);
      } else {
        ::unsetenv(name);
      }
    }
  }
  ~ScopedEnv() {
    for (const auto& [name, old] : saved_) {
      if (old) {
        ::setenv(name.c_str(), old->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(Rendezvous, EnvMissingVariablesAreValueErrorsNamingThem) {
  ScopedEnv env({{"MASTER_ADDR", nullptr},
                 {"MASTER_PORT", "1234"},
                 {"RANK", nullptr},
                 {"WORLD_SIZE", nullptr}});
  std::string message = error_of<ValueError>([] { rendezvous("env://", -1, -1, 100ms); });
  EXPECT_TRUE(contains(message, "environment variable MASTER_ADDR expected, but not set"))
      << message;
  ScopedEnv addr({{"MASTER_ADDR", "127.0.0.1"}});
  message = error_of<ValueError>([] { rendezvous("env://", -1, 2, 100ms); });
  EXPECT_TRUE(contains(message, "environment variable RANK expected")) << message;
  message = error_of<ValueError>([] { rendezvous("env://", 0, -1, 100ms); });
  EXPECT_TRUE(contains(message, "environment variable WORLD_SIZE expected")) << message;
  ScopedEnv bad_port({{"MASTER_PORT", "http"}});
  message = error_of<ValueError>([] { rendezvous("env://", 0, 1, 100ms); });
  EXPECT_TRUE(contains(message, "MASTER_PORT must be an integer")) << message;
}

TEST(Rendezvous, EnvRankZeroHostsTheStoreAndArgumentsWin) {
  const uint16_t port = free_port();
  const std::string port_text = std::to_string(port);
  ScopedEnv env({{"MASTER_ADDR", "127.0.0.1"},
                 {"MASTER_PORT", port_text.c_str()},
                 {"RANK", "5"},
                 {"WORLD_SIZE", "7"}});
  std::thread worker([] {
    // RANK and WORLD_SIZE from the environment would say 5 of 7: the arguments win.
    RendezvousResult joined = rendezvous("env://", 1, 2, 5s);
    EXPECT_EQ(joined.rank, 1);
    EXPECT_EQ(joined.world_size, 2);
    joined.store->set("from1", std::string("hello"));
  });
  RendezvousResult master = rendezvous("env://", 0, 2, 5s);
  worker.join();
  EXPECT_EQ(master.rank, 0);
  EXPECT_EQ(master.world_size, 2);
  EXPECT_EQ(master.store->get_string("from1"), "hello");
  ASSERT_NE(dynamic_cast<TCPStore*>(master.store.get()), nullptr);
  EXPECT_EQ(dynamic_cast<TCPStore*>(master.store.get())->port(), port);
}

TEST(Rendezvous, EnvReadsRankAndWorldSizeFromTheEnvironment) {
  const uint16_t port = free_port();
  const std::string port_text = std::to_string(port);
  ScopedEnv env({{"MASTER_ADDR", "127.0.0.1"},
                 {"MASTER_PORT", port_text.c_str()},
                 {"RANK", "0"},
                 {"WORLD_SIZE", "1"}});
  const RendezvousResult result = rendezvous("env://", -1, -1, 5s);
  EXPECT_EQ(result.rank, 0);
  EXPECT_EQ(result.world_size, 1);
}

TEST(Rendezvous, TcpNeedsRankAndWorldSizeAndTakesThemFromTheQuery) {
  std::string message =
      error_of<ValueError>([] { rendezvous("tcp://127.0.0.1:1234", -1, 2, 100ms); });
  EXPECT_TRUE(contains(message, "tcp:// rendezvous needs rank")) << message;
  message = error_of<ValueError>([] { rendezvous("tcp://127.0.0.1:1234", 0, -1, 100ms); });
  EXPECT_TRUE(contains(message, "needs world_size")) << message;
  message = error_of<ValueError>([] { rendezvous("tcp://127.0.0.1", 0, 1, 100ms); });
  EXPECT_TRUE(contains(message, "expected tcp://host:port")) << message;
  message = error_of<ValueError>([] { rendezvous("tcp://127.0.0.1:99999", 0, 1, 100ms); });
  EXPECT_TRUE(contains(message, "must be an integer in [1, 65535]")) << message;
  message = error_of<ValueError>([] { rendezvous("tcp://127.0.0.1:1234", 2, 2, 100ms); });
  EXPECT_TRUE(contains(message, "rank must be in [0, 2); got 2")) << message;
  const std::string url = "tcp://127.0.0.1:" + std::to_string(free_port()) + "?rank=0&world_size=1";
  const RendezvousResult result = rendezvous(url, -1, -1, 5s);
  EXPECT_EQ(result.rank, 0);
  EXPECT_EQ(result.world_size, 1);
  result.store->set("k", std::string("v"));
  EXPECT_EQ(result.store->get_string("k"), "v");
}

TEST(Rendezvous, TcpAcrossForkedProcesses) {
  const std::string url = "tcp://127.0.0.1:" + std::to_string(free_port());
  const bool ok = run_in_children(3, 20s, [&](int rank) {
    const RendezvousResult result = rendezvous(url, rank, 3, 10s);
    result.store->add("joined", 1);
    result.store->set("rank" + std::to_string(rank), std::string("x"));
    result.store->wait({"rank0", "rank1", "rank2"});
    const bool joined = result.store->get_string("joined") == "3";
    // Rank 0 hosts the store: it leaves only after everyone is done with it.
    result.store->add("done", 1);
    while (rank == 0 && result.store->get_string("done") != "3") std::this_thread::sleep_for(1ms);
    return joined;
  });
  EXPECT_TRUE(ok);
}

TEST(Rendezvous, FileStoreFromTheUrl) {
  const std::string path = temp_path("rendezvous_file");
  const std::string message =
      error_of<ValueError>([&] { rendezvous("file://" + path, 0, -1, 100ms); });
  EXPECT_TRUE(contains(message, "file:// rendezvous needs world_size")) << message;
  {
    const RendezvousResult result =
        rendezvous("file://" + path + "?world_size=1&rank=0", -1, -1, 1s);
    EXPECT_EQ(result.world_size, 1);
    ASSERT_NE(dynamic_cast<FileStore*>(result.store.get()), nullptr);
    result.store->set("k", std::string("v"));
    EXPECT_TRUE(file_exists(path));
  }
  EXPECT_FALSE(file_exists(path));
}

TEST(Rendezvous, AnUnknownSchemeIsAValueError) {
  const std::string message = error_of<ValueError>([] { rendezvous("http://x", 0, 1, 100ms); });
  EXPECT_TRUE(contains(message, "unknown init_method 'http://x'")) << message;
}

}  // namespace
}  // namespace ember::distributed
