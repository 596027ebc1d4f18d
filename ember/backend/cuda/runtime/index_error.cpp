#include "ember/backend/cuda/runtime/index_error.h"

#include <cuda_runtime_api.h>

#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "ember/backend/cuda/runtime/cuda_check.h"
#include "ember/backend/cuda/runtime/runtime.h"
#include "ember/base/error.h"

namespace ember::cuda::runtime {
namespace {

// A slot's flag: free, claimed by the reporting thread (its fields being written), published.
constexpr unsigned int kFree = 0;
constexpr unsigned int kPublished = 2;

struct Slots {
  std::mutex mutex;
  // Host pointers by device; kept for the life of the process (cudaFreeHost at exit would race
  // with the runtime's own teardown).
  std::unordered_map<int, IndexErrorSlot*> host;
  std::unordered_map<int, IndexErrorSlot*> device;
  std::deque<std::string> names;  // stable storage: string_views into it stay valid
  std::unordered_map<std::string_view, unsigned int> ids;
};

Slots& slots() {
  static Slots* instance = new Slots;  // never destroyed: kernels may report until exit
  return *instance;
}

void raise_from(IndexErrorSlot* slot, Slots& all) {
  volatile IndexErrorSlot* seen = slot;
  if (seen->flag != kPublished) return;
  const unsigned int op = seen->op;
  const long long value = seen->value;
  const long long bound = seen->bound;
  seen->flag = kFree;
  const std::string_view name = op < all.names.size() ? all.names[op] : "cuda";
  ::ember::detail::raise<IndexError>("[", name, "] index ", value, " is out of bounds for size ",
                                     bound, " (reported by a CUDA kernel)");
}

}  // namespace

IndexErrorSlot* index_error_slot(int device) {
  Slots& all = slots();
  std::lock_guard<std::mutex> lock(all.mutex);
  if (const auto it = all.device.find(device); it != all.device.end()) return it->second;
  DeviceScope scope(device);
  void* host = nullptr;
  EMBER_CUDA_CHECK(
      cudaHostAlloc(&host, sizeof(IndexErrorSlot), cudaHostAllocMapped | cudaHostAllocPortable));
  auto* slot = static_cast<IndexErrorSlot*>(host);
  *slot = IndexErrorSlot{kFree, 0, 0, 0};
  void* mapped = nullptr;
  EMBER_CUDA_CHECK(cudaHostGetDevicePointer(&mapped, host, 0));
  all.host[device] = slot;
  all.device[device] = static_cast<IndexErrorSlot*>(mapped);
  return static_cast<IndexErrorSlot*>(mapped);
}

unsigned int intern_op_name(std::string_view op) {
  Slots& all = slots();
  std::lock_guard<std::mutex> lock(all.mutex);
  if (const auto it = all.ids.find(op); it != all.ids.end()) return it->second;
  const auto id = static_cast<unsigned int>(all.names.size());
  all.names.emplace_back(op);
  all.ids.emplace(all.names.back(), id);
  return id;
}

void raise_reported_index_error(int device) {
  Slots& all = slots();
  std::lock_guard<std::mutex> lock(all.mutex);
  if (device >= 0) {
    if (const auto it = all.host.find(device); it != all.host.end()) raise_from(it->second, all);
    return;
  }
  for (const auto& [index, slot] : all.host) raise_from(slot, all);
}

}  // namespace ember::cuda::runtime
