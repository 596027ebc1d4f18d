#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "ember/distributed/errors.h"
#include "ember/distributed/work.h"

namespace ember::distributed {
namespace {

using namespace std::chrono_literals;

TEST(Work, StepsRunBeforeWaitReturnsAndInOrder) {
  auto work = std::make_shared<Work>("all_reduce", std::vector<Tensor>{});
  std::vector<int> order;
  work->then([&] { order.push_back(1); });
  work->then([&] { order.push_back(2); });
  EXPECT_FALSE(work->is_completed());
  std::thread finisher([&] { work->finish(); });
  work->wait();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  finisher.join();
  EXPECT_TRUE(work->is_success());
  // After completion a step runs at once, in the caller.
  work->then([&] { order.push_back(3); });
  EXPECT_EQ(order.back(), 3);
}

TEST(Work, AnErrorIsRethrownByWaitAndSkipsTheSteps) {
  auto work = std::make_shared<Work>("broadcast", std::vector<Tensor>{});
  bool ran = false;
  work->then([&] { ran = true; });
  work->finish(std::make_exception_ptr(DistBackendError("[broadcast] peer closed")));
  EXPECT_THROW(work->wait(), DistBackendError);
  EXPECT_FALSE(ran);
  EXPECT_TRUE(work->is_completed());
  EXPECT_FALSE(work->is_success());
  EXPECT_NE(work->exception(), nullptr);
}

TEST(Work, AFailingStepFailsTheWork) {
  auto work = std::make_shared<Work>("all_reduce", std::vector<Tensor>{});
  work->then([] { throw ValueError("bad step"); });
  work->finish();
  EXPECT_THROW(work->wait(), ValueError);
}

TEST(Work, WaitWithATimeoutRaisesNamingTheOp) {
  auto work = std::make_shared<Work>("barrier", std::vector<Tensor>{});
  try {
    work->wait(20ms);
    FAIL() << "expected DistBackendError";
  } catch (const DistBackendError& error) {
    EXPECT_NE(std::string(error.what()).find("[barrier]"), std::string::npos);
  }
  work->finish();
  work->wait(20ms);
}

TEST(Work, WaitRunsTheHelperFirstSoTheWaitingThreadCanDoTheWork) {
  auto work = std::make_shared<Work>("all_reduce", std::vector<Tensor>{});
  int calls = 0;
  work->set_wait_helper([&calls, raw = work.get()] {
    ++calls;
    raw->finish();
  });
  work->wait();
  EXPECT_EQ(calls, 1);
  // Done: later waits block on nothing and call no helper.
  work->wait(10ms);
  EXPECT_EQ(calls, 1);
}

TEST(Work, AHelperThatLeavesTheWorkPendingFallsBackToBlocking) {
  auto work = std::make_shared<Work>("all_reduce", std::vector<Tensor>{});
  work->set_wait_helper([] {});
  std::thread finisher([&] {
    std::this_thread::sleep_for(20ms);
    work->finish();
  });
  work->wait();
  finisher.join();
  EXPECT_TRUE(work->is_success());
}

TEST(Work, CompletedWorkIsDone) {
  WorkPtr work = completed_work("send");
  EXPECT_TRUE(work->is_success());
  work->wait();
}

}  // namespace
}  // namespace ember::distributed
