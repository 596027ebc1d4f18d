#include "ember/backend/cuda/kernel_emulator.h"

#include <ucontext.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <utility>
#include <vector>

#include "ember/base/error.h"

#if defined(__SANITIZE_ADDRESS__)
#define EMBER_EMULATOR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EMBER_EMULATOR_ASAN 1
#endif
#endif
#ifdef EMBER_EMULATOR_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

namespace ember::cuda {
namespace detail {
namespace {

// Kernel bodies are small leaf code; the sanitizer's frames are several times larger.
#ifdef EMBER_EMULATOR_ASAN
constexpr size_t kFiberStackBytes = 256 * 1024;
#else
constexpr size_t kFiberStackBytes = 64 * 1024;
#endif
constexpr unsigned kMaxThreadsPerBlock = 1024;

enum class FiberState : uint8_t { Ready, AtBarrier, AtShuffle, Done };

struct Fiber {
  ucontext_t context;
  char* stack = nullptr;
  FiberState state = FiberState::Ready;
  EmulatedThread thread;
  uint64_t shuffle_value = 0;  // the value this lane offers to its warp
  int shuffle_kind = 0;
  int shuffle_argument = 0;
};

// The fiber stacks of this OS thread's launches, kept between launches: allocating them is most
// of a small launch's cost otherwise.
char* fiber_stacks(size_t threads) {
  thread_local std::unique_ptr<char[]> stacks;
  thread_local size_t capacity = 0;
  if (capacity < threads) {
    stacks.reset(new char[threads * kFiberStackBytes]);  // not zeroed: a stack needs no init
    capacity = threads;
  }
  return stacks.get();
}

// The launch whose fiber is starting (makecontext passes no pointers portably).
thread_local EmulatedLaunch* starting_launch = nullptr;

}  // namespace

class EmulatedLaunch {
 public:
  EmulatedLaunch(std::string_view kernel, const LaunchShape& shape,
                 void (*body)(void*, EmulatedThread&), void* state)
      : kernel_(kernel), shape_(shape), body_(body), state_(state) {}

  void run() {
    const uint64_t threads = uint64_t{shape_.block.x} * shape_.block.y * shape_.block.z;
    EMBER_CHECK(threads >= 1 && threads <= kMaxThreadsPerBlock, "[", kernel_,
                "] a block has 1 to 1024 threads; got ", shape_.block.x, "x", shape_.block.y, "x",
                shape_.block.z);
    shared_.resize((shape_.shared_bytes + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t));
    fibers_.resize(threads);
    char* stacks = fiber_stacks(threads);
    for (size_t i = 0; i < fibers_.size(); ++i) {
      Fiber& fiber = fibers_[i];
      fiber.stack = stacks + i * kFiberStackBytes;
      fiber.thread.launch_ = this;
      fiber.thread.linear_ = static_cast<int>(i);
      const auto linear = static_cast<uint32_t>(i);
      fiber.thread.thread_idx_ =
          Dim3{linear % shape_.block.x, linear / shape_.block.x % shape_.block.y,
               linear / (shape_.block.x * shape_.block.y)};
    }
    for (uint32_t z = 0; z < shape_.grid.z; ++z) {
      for (uint32_t y = 0; y < shape_.grid.y; ++y) {
        for (uint32_t x = 0; x < shape_.grid.x; ++x) {
          block_idx_ = Dim3{x, y, z};
          run_block();
        }
      }
    }
    if (has_index_error_) {
      ::ember::detail::raise<IndexError>("[", kernel_, "] index ", index_error_value_,
                                         " is out of bounds for size ", index_error_bound_);
    }
  }

  Dim3 block_idx() const { return block_idx_; }
  const LaunchShape& shape() const { return shape_; }
  void* shared_memory() { return shared_.data(); }

  // Called on a fiber: parks it in `state` and resumes the scheduler.
  void wait(int linear, FiberState state) {
    fibers_[linear].state = state;
    switch_to_scheduler(linear);
  }
  Fiber& fiber(int linear) { return fibers_[linear]; }

  void report_index_error(int64_t value, int64_t bound) {
    if (!has_index_error_) {
      has_index_error_ = true;
      index_error_value_ = value;
      index_error_bound_ = bound;
    }
  }

 private:
  static void fiber_entry() {
    EmulatedLaunch* launch = starting_launch;
    const int linear = launch->running_;
    launch->arrived_on_fiber();
    try {
      launch->body_(launch->state_, launch->fibers_[linear].thread);
    } catch (...) {
      if (!launch->body_error_) launch->body_error_ = std::current_exception();
    }
    launch->fibers_[linear].state = FiberState::Done;
    launch->switch_to_scheduler(linear);
  }

  void run_block() {
    // Shared memory starts as garbage on the device too: a body that reads before writing
    // sees a pattern that no test expects.
    std::fill(reinterpret_cast<unsigned char*>(shared_.data()),
              reinterpret_cast<unsigned char*>(shared_.data() + shared_.size()), 0xA5);
    for (Fiber& fiber : fibers_) {
      getcontext(&fiber.context);
      fiber.context.uc_stack.ss_sp = fiber.stack;
      fiber.context.uc_stack.ss_size = kFiberStackBytes;
      fiber.context.uc_link = nullptr;
      makecontext(&fiber.context, &EmulatedLaunch::fiber_entry, 0);
      fiber.state = FiberState::Ready;
    }
    const int threads = static_cast<int>(fibers_.size());
    while (true) {
      for (int i = 0; i < threads; ++i) {
        if (fibers_[i].state == FiberState::Ready) switch_to_fiber(i);
      }
      if (body_error_) std::rethrow_exception(std::exchange(body_error_, nullptr));
      if (resolve_shuffles()) continue;
      const auto count = [&](FiberState state) {
        return std::count_if(fibers_.begin(), fibers_.end(),
                             [&](const Fiber& f) { return f.state == state; });
      };
      const auto at_barrier = count(FiberState::AtBarrier);
      if (at_barrier == threads) {
        for (Fiber& fiber : fibers_) fiber.state = FiberState::Ready;
        continue;
      }
      const auto done = count(FiberState::Done);
      if (done == threads) return;
      ::ember::detail::raise<RuntimeError>(
          "[", kernel_, "] divergent synchronisation in block (", block_idx_.x, ", ", block_idx_.y,
          ", ", block_idx_.z, "): ", at_barrier, " of ", threads, " threads wait at a barrier, ",
          count(FiberState::AtShuffle), " at a warp shuffle and ", done,
          " have returned; on a GPU this hangs");
    }
  }

  // Completes the shuffle of every warp whose lanes all wait at one; true when any did. A warp
  // is the 32 consecutive threads of the block; lanes past the block's end, and source lanes
  // outside the warp, give the caller its own value back, as on the device.
  bool resolve_shuffles() {
    bool progressed = false;
    const int threads = static_cast<int>(fibers_.size());
    for (int first = 0; first < threads; first += kWarpSize) {
      const int last = std::min(threads, first + kWarpSize);
      bool all_waiting = true;
      for (int i = first; i < last; ++i) all_waiting &= fibers_[i].state == FiberState::AtShuffle;
      if (!all_waiting) continue;
      std::vector<uint64_t> offered(last - first);
      for (int i = first; i < last; ++i) offered[i - first] = fibers_[i].shuffle_value;
      for (int i = first; i < last; ++i) {
        Fiber& fiber = fibers_[i];
        const int lane = i - first;
        const int source =
            fiber.shuffle_kind == 0 ? lane + fiber.shuffle_argument : lane ^ fiber.shuffle_argument;
        if (source >= 0 && source < last - first) fiber.shuffle_value = offered[source];
        fiber.state = FiberState::Ready;
      }
      progressed = true;
    }
    return progressed;
  }

  void switch_to_fiber(int linear) {
    running_ = linear;
    starting_launch = this;
    Fiber& fiber = fibers_[linear];
#ifdef EMBER_EMULATOR_ASAN
    __sanitizer_start_switch_fiber(&scheduler_fake_stack_, fiber.stack, kFiberStackBytes);
#endif
    swapcontext(&scheduler_, &fiber.context);
#ifdef EMBER_EMULATOR_ASAN
    __sanitizer_finish_switch_fiber(scheduler_fake_stack_, nullptr, nullptr);
#endif
  }

  void switch_to_scheduler(int linear) {
    Fiber& fiber = fibers_[linear];
#ifdef EMBER_EMULATOR_ASAN
    // A finished fiber's fake stack is released (null save slot); a parked one keeps it.
    void* fake_stack = nullptr;
    __sanitizer_start_switch_fiber(fiber.state == FiberState::Done ? nullptr : &fake_stack,
                                   scheduler_bottom_, scheduler_size_);
    swapcontext(&fiber.context, &scheduler_);
    __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
#else
    swapcontext(&fiber.context, &scheduler_);
#endif
  }

  void arrived_on_fiber() {
#ifdef EMBER_EMULATOR_ASAN
    __sanitizer_finish_switch_fiber(nullptr, &scheduler_bottom_, &scheduler_size_);
#endif
  }

  std::string_view kernel_;
  LaunchShape shape_;
  void (*body_)(void*, EmulatedThread&);
  void* state_;
  std::vector<Fiber> fibers_;
  std::vector<std::max_align_t> shared_;
  Dim3 block_idx_;
  ucontext_t scheduler_;
  int running_ = 0;
  std::exception_ptr body_error_;
  bool has_index_error_ = false;
  int64_t index_error_value_ = 0;
  int64_t index_error_bound_ = 0;
#ifdef EMBER_EMULATOR_ASAN
  void* scheduler_fake_stack_ = nullptr;
  const void* scheduler_bottom_ = nullptr;
  size_t scheduler_size_ = 0;
#endif
};

}  // namespace detail

Dim3 EmulatedThread::block_idx() const { return launch_->block_idx(); }
Dim3 EmulatedThread::block_dim() const { return launch_->shape().block; }
Dim3 EmulatedThread::grid_dim() const { return launch_->shape().grid; }
void* EmulatedThread::shared_memory() const { return launch_->shared_memory(); }
void EmulatedThread::barrier() { launch_->wait(linear_, detail::FiberState::AtBarrier); }
void EmulatedThread::report_index_error(int64_t value, int64_t bound) {
  launch_->report_index_error(value, bound);
}

uint64_t EmulatedThread::shuffle(uint64_t bits, ShuffleKind kind, int argument) {
  detail::Fiber& fiber = launch_->fiber(linear_);
  fiber.shuffle_value = bits;
  fiber.shuffle_kind = kind == ShuffleKind::Down ? 0 : 1;
  fiber.shuffle_argument = argument;
  launch_->wait(linear_, detail::FiberState::AtShuffle);
  return fiber.shuffle_value;
}

void emulate_launch(std::string_view kernel, const LaunchShape& shape,
                    void (*body)(void* state, EmulatedThread& thread), void* state) {
  if (uint64_t{shape.grid.x} * shape.grid.y * shape.grid.z == 0) return;
  detail::EmulatedLaunch launch(kernel, shape, body, state);
  launch.run();
}

}  // namespace ember::cuda
