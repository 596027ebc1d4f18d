// Library handles (cuBLAS, cuDNN) one per (device, thread), as libtorch keeps them: a handle is
// not safe to share between threads that bind different streams to it, and creating one costs
// far more than a call. A thread's handles go back to a process-wide pool when the thread ends,
// for later threads to reuse; pooled handles are never destroyed (the driver may be gone by the
// time static destructors run, and it frees them with the process).
#pragma once

#include <mutex>
#include <unordered_map>
#include <vector>

namespace ember::cuda {

// The calling thread's handle of type Handle on `device`, made by `create` (with `device`
// current: a handle belongs to the device current at its creation) unless the pool has one.
template <typename Handle>
Handle thread_handle(int device, Handle (*create)()) {
  struct Pool {
    std::mutex mutex;
    std::unordered_map<int, std::vector<Handle>> idle;
  };
  static Pool* const pool = new Pool;
  struct Owned {
    std::unordered_map<int, Handle> by_device;
    Owned() = default;
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;
    ~Owned() {
      std::lock_guard<std::mutex> lock(pool->mutex);
      for (const auto& [index, handle] : by_device) pool->idle[index].push_back(handle);
    }
  };
  thread_local Owned owned;

  const auto found = owned.by_device.find(device);
  if (found != owned.by_device.end()) return found->second;
  Handle handle{};
  {
    std::lock_guard<std::mutex> lock(pool->mutex);
    std::vector<Handle>& idle = pool->idle[device];
    if (!idle.empty()) {
      handle = idle.back();
      idle.pop_back();
    }
  }
  if (!handle) handle = create();
  owned.by_device.emplace(device, handle);
  return handle;
}

}  // namespace ember::cuda
