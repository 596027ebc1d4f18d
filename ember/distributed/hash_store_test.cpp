#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "ember/distributed/errors.h"
#include "ember/distributed/store.h"

namespace ember::distributed {
namespace {

using namespace std::chrono_literals;

TEST(HashStore, SetGetAddCompareSetDelete) {
  HashStore store;
  store.set("a", std::string("xy"));
  EXPECT_EQ(store.get_string("a"), "xy");
  EXPECT_EQ(store.add("n", 3), 3);
  EXPECT_EQ(store.add("n", -5), -2);
  EXPECT_EQ(store.get_string("n"), "-2");
  EXPECT_EQ(store.compare_set("c", {}, Bytes{1}), Bytes{1});
  EXPECT_EQ(store.compare_set("c", Bytes{2}, Bytes{3}), Bytes{1});
  EXPECT_EQ(store.compare_set("c", Bytes{1}, Bytes{3}), Bytes{3});
  EXPECT_EQ(store.compare_set("absent", Bytes{7}, Bytes{8}), Bytes{7});
  EXPECT_FALSE(store.check({"absent"}));
  EXPECT_TRUE(store.check({"a", "n", "c"}));
  EXPECT_EQ(store.num_keys(), 3);
  EXPECT_TRUE(store.delete_key("a"));
  EXPECT_FALSE(store.delete_key("a"));
  EXPECT_EQ(store.num_keys(), 2);
}

TEST(HashStore, AddOnANonCounterIsAValueError) {
  HashStore store;
  store.set("text", std::string("abc"));
  EXPECT_THROW(store.add("text", 1), ValueError);
}

TEST(HashStore, GetBlocksUntilAnotherThreadSets) {
  HashStore store(5s);
  std::thread writer([&] {
    std::this_thread::sleep_for(50ms);
    store.set("late", std::string("v"));
  });
  EXPECT_EQ(store.get_string("late"), "v");
  writer.join();
}

TEST(HashStore, WaitTimesOutWithAStoreErrorNamingTheKeys) {
  HashStore store(100ms);
  const auto start = std::chrono::steady_clock::now();
  try {
    store.get("missing");
    FAIL() << "expected DistStoreError";
  } catch (const DistStoreError& error) {
    EXPECT_NE(std::string(error.what()).find("'missing'"), std::string::npos) << error.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_THROW(store.wait({"x", "y"}, 10ms), DistStoreError);
}

TEST(PrefixStore, KeysOfTwoPrefixesDoNotMix) {
  auto base = std::make_shared<HashStore>(200ms);
  PrefixStore first("g1", base);
  PrefixStore second("g2", base);
  first.set("k", std::string("one"));
  second.set("k", std::string("two"));
  EXPECT_EQ(first.get_string("k"), "one");
  EXPECT_EQ(second.get_string("k"), "two");
  EXPECT_EQ(base->get_string("g1/k"), "one");
  EXPECT_EQ(first.add("n", 2), 2);
  EXPECT_FALSE(second.check({"n"}));
  EXPECT_TRUE(first.delete_key("n"));
  second.set_timeout(20ms);
  EXPECT_THROW(second.get("n"), DistStoreError);
  EXPECT_THROW(PrefixStore("p", nullptr), ValueError);
}

}  // namespace
}  // namespace ember::distributed
