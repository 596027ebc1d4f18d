// The CPU grid emulator itself (Note [CUDA kernels and their emulation]): coordinates, shared
// memory per block, barriers that really wait, warp shuffles, and the errors a GPU would hang on
// or report through its index-error flag.
#include "ember/backend/cuda/kernel_emulator.h"

#include <vector>

#include <gtest/gtest.h>

#include "ember/base/error.h"

namespace ember::cuda {
namespace {

LaunchShape shape_of(Dim3 grid, Dim3 block, size_t shared_bytes = 0) {
  LaunchShape shape;
  shape.grid = grid;
  shape.block = block;
  shape.shared_bytes = shared_bytes;
  return shape;
}

TEST(KernelEmulator, RunsEveryThreadOfEveryBlockOnce) {
  const LaunchShape shape = shape_of({3, 2, 2}, {4, 3, 2});
  std::vector<int> visits(3 * 2 * 2 * 4 * 3 * 2, 0);
  emulate("coordinates", shape, [&](EmulatedThread& t) {
    const Dim3 b = t.block_idx();
    const Dim3 g = t.grid_dim();
    const int block = static_cast<int>((b.z * g.y + b.y) * g.x + b.x);
    const int thread = linear_thread_in_block(t);
    EXPECT_EQ(t.block_dim().x, 4u);
    EXPECT_EQ(t.lane(), thread % kWarpSize);
    ++visits[block * 24 + thread];
  });
  for (int v : visits) EXPECT_EQ(v, 1);
}

TEST(KernelEmulator, EmptyGridRunsNothing) {
  int calls = 0;
  emulate("empty", shape_of({0, 1, 1}, {32, 1, 1}), [&](EmulatedThread&) { ++calls; });
  EXPECT_EQ(calls, 0);
}

// Each thread writes its slot, waits, then reads its neighbour's: without a real barrier the
// early threads would read the 0xA5 garbage the emulator fills shared memory with.
TEST(KernelEmulator, BarrierMakesSharedWritesVisibleToTheBlock) {
  constexpr int kThreads = 96;
  const LaunchShape shape = shape_of({2, 1, 1}, {kThreads, 1, 1}, kThreads * sizeof(int));
  std::vector<int> seen(2 * kThreads, -1);
  emulate("barrier", shape, [&](EmulatedThread& t) {
    int* slots = t.shared<int>();
    const int i = static_cast<int>(t.thread_idx().x);
    const int block = static_cast<int>(t.block_idx().x);
    slots[i] = 1000 * block + i;
    t.barrier();
    seen[block * kThreads + i] = slots[(i + 1) % kThreads];
    t.barrier();
  });
  for (int block = 0; block < 2; ++block) {
    for (int i = 0; i < kThreads; ++i) {
      EXPECT_EQ(seen[block * kThreads + i], 1000 * block + (i + 1) % kThreads);
    }
  }
}

TEST(KernelEmulator, SharedMemoryIsPerBlockAndStartsAsGarbage) {
  const LaunchShape shape = shape_of({3, 1, 1}, {1, 1, 1}, sizeof(unsigned));
  std::vector<unsigned> first_read;
  emulate("shared", shape, [&](EmulatedThread& t) {
    unsigned* word = t.shared<unsigned>();
    first_read.push_back(*word);
    *word = 7;
  });
  EXPECT_EQ(first_read, std::vector<unsigned>(3, 0xA5A5A5A5u));
}

TEST(KernelEmulator, ShuffleDownAndXorExchangeWithinAWarp) {
  constexpr int kThreads = 64;
  std::vector<int> down(kThreads), butterfly(kThreads);
  std::vector<double> sums(kThreads);
  emulate("shuffle", shape_of({1, 1, 1}, {kThreads, 1, 1}), [&](EmulatedThread& t) {
    const int i = static_cast<int>(t.thread_idx().x);
    down[i] = t.shfl_down(i, 3);
    butterfly[i] = t.shfl_xor(i, 5);
    double value = i;
    for (int offset = 16; offset > 0; offset /= 2) value += t.shfl_xor(value, offset);
    sums[i] = value;
  });
  for (int i = 0; i < kThreads; ++i) {
    const int lane = i % kWarpSize;
    // A source past the warp's last lane gives the caller its own value, as on the device.
    EXPECT_EQ(down[i], lane + 3 < kWarpSize ? i + 3 : i);
    EXPECT_EQ(butterfly[i], i ^ 5);
    const int warp_base = i - lane;
    EXPECT_EQ(sums[i], 32.0 * warp_base + 31.0 * 32 / 2);
  }
}

TEST(KernelEmulator, DivergentBarrierIsAnErrorNotAHang) {
  const LaunchShape shape = shape_of({1, 1, 1}, {64, 1, 1});
  try {
    emulate("divergent_barrier", shape, [&](EmulatedThread& t) {
      if (t.thread_idx().x < 40) t.barrier();
    });
    FAIL() << "expected an error";
  } catch (const RuntimeError& error) {
    EXPECT_NE(std::string(error.what()).find("[divergent_barrier] divergent synchronisation"),
              std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("40 of 64 threads wait at a barrier"),
              std::string::npos)
        << error.what();
  }
}

TEST(KernelEmulator, ShuffleInPartOfAWarpIsAnError) {
  const LaunchShape shape = shape_of({1, 1, 1}, {32, 1, 1});
  EXPECT_THROW(emulate("divergent_shuffle", shape,
                       [&](EmulatedThread& t) {
                         if (t.lane() < 16) (void)t.shfl_down(1.0f, 1);
                       }),
               RuntimeError);
}

TEST(KernelEmulator, IndexErrorIsRaisedAfterTheLaunchWithTheFirstReport) {
  const LaunchShape shape = shape_of({4, 1, 1}, {32, 1, 1});
  int calls = 0;
  try {
    emulate("gather", shape, [&](EmulatedThread& t) {
      ++calls;
      const int64_t index = global_thread_x(t);
      if (index >= 70) t.report_index_error(index, 70);
    });
    FAIL() << "expected an IndexError";
  } catch (const IndexError& error) {
    EXPECT_EQ(calls, 128);  // the launch finishes, as on the device
    EXPECT_STREQ(error.what(), "[gather] index 70 is out of bounds for size 70");
  }
}

TEST(KernelEmulator, ExceptionInABodyPropagates) {
  EXPECT_THROW(emulate("throws", shape_of({1, 1, 1}, {8, 1, 1}),
                       [&](EmulatedThread& t) {
                         t.barrier();
                         if (t.thread_idx().x == 5) throw ValueError("body failed");
                       }),
               ValueError);
}

TEST(KernelEmulator, RejectsBlocksOfMoreThan1024Threads) {
  EXPECT_THROW(emulate("huge", shape_of({1, 1, 1}, {1024, 2, 1}), [&](EmulatedThread&) {}),
               RuntimeError);
}

}  // namespace
}  // namespace ember::cuda
