// Random number generators, as libtorch's at::Generator: a Generator is a cheap value handle to
// shared state, so copies draw from one stream. The state is a Philox stream position (seed,
// offset): every fill reserves one offset (Note [random numbers]), so a generator's numbers do not
// depend on the thread count. Several threads may share a generator; `mutex()` guards its state.
// As in libtorch, the ops lock it for each reservation (`take`) and the free functions on the
// default generator lock it too, but the accessors below do not: a caller sharing a generator
// across threads holds `std::lock_guard lock(gen.mutex())` around them. It sits in the tensor layer
// because Tensor methods take one (`t.uniform_(0, 1, gen)`); what needs ops (the state as a tensor,
// the default generator, fresh seeds) is defined in ops/random.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "ember/base/philox.h"
#include "ember/tensor/device.h"

namespace ember {

class Tensor;

// libtorch's default seed of a generator made without one.
inline constexpr uint64_t default_rng_seed_val = 67280421310721ULL;

// The state behind a Generator: a Philox stream position and the device whose tensors it fills.
// CPU and CUDA generators differ only in that device, since every backend draws element i of a
// fill from the same (seed, offset, i) (base/philox.h). Callers hold mutex_.
class GeneratorImpl {
 public:
  GeneratorImpl(uint64_t seed, Device device) : seed_(seed), device_(device) {}
  // Restarts the stream of `seed`.
  void set_current_seed(uint64_t seed) {
    seed_ = seed;
    offset_ = 0;
  }
  uint64_t current_seed() const { return seed_; }
  PhiloxState philox_state() const { return PhiloxState{seed_, offset_}; }
  void set_philox_state(PhiloxState state) {
    seed_ = state.seed;
    offset_ = state.offset;
  }
  // The stream position of one fill of n elements; the next fill starts after it.
  PhiloxState take(int64_t n) {
    const PhiloxState state = philox_state();
    offset_ += counters_used(n);
    return state;
  }
  Device device() const { return device_; }

  std::mutex mutex_;

 private:
  uint64_t seed_;
  uint64_t offset_ = 0;
  Device device_;
};

// libtorch's CPUGeneratorImpl.
class CPUGeneratorImpl : public GeneratorImpl {
 public:
  explicit CPUGeneratorImpl(uint64_t seed = default_rng_seed_val)
      : GeneratorImpl(seed, Device(DeviceType::CPU)) {}
};

// libtorch's CUDAGeneratorImpl: the generator of CUDA device `device_index` (>= 0).
class CUDAGeneratorImpl : public GeneratorImpl {
 public:
  explicit CUDAGeneratorImpl(int8_t device_index, uint64_t seed = default_rng_seed_val)
      : GeneratorImpl(seed, Device(DeviceType::CUDA, device_index)) {}
};

class Generator {
 public:
  Generator() = default;  // undefined, as libtorch's
  explicit Generator(std::shared_ptr<GeneratorImpl> impl) : impl_(std::move(impl)) {}

  bool defined() const { return impl_ != nullptr; }
  void set_current_seed(uint64_t seed) { impl_->set_current_seed(seed); }
  uint64_t current_seed() const { return impl_->current_seed(); }
  // Seeds from a non-deterministic source and returns the seed (libtorch's Generator::seed).
  uint64_t seed();
  // The state as a uint8 tensor of 16 bytes (seed, offset), and back.
  Tensor get_state() const;
  void set_state(const Tensor& state);
  std::mutex& mutex() const { return impl_->mutex_; }
  Device device() const { return impl_->device(); }
  // Reserves the stream position of one fill of n elements, under the mutex.
  PhiloxState take(int64_t n) const {
    std::lock_guard<std::mutex> lock(impl_->mutex_);
    return impl_->take(n);
  }
  template <class Impl>
  Impl* get() const {
    return static_cast<Impl*>(impl_.get());
  }
  bool operator==(const Generator& other) const { return impl_ == other.impl_; }
  bool operator!=(const Generator& other) const { return impl_ != other.impl_; }

 private:
  std::shared_ptr<GeneratorImpl> impl_;
};

// libtorch's at::make_generator<at::CPUGeneratorImpl>(seed).
template <class Impl, class... Args>
Generator make_generator(Args&&... args) {
  return Generator(std::make_shared<Impl>(std::forward<Args>(args)...));
}

namespace detail {
Generator createCPUGenerator(uint64_t seed = default_rng_seed_val);
// The generator of every random op called without one. A process starts it from a
// non-deterministic seed (initial_seed() tells it), as PyTorch does.
const Generator& getDefaultCPUGenerator();
}  // namespace detail

namespace cuda::detail {
// A new generator of CUDA device `device_index` (-1: the current device) with the default seed.
Generator createCUDAGenerator(int device_index = -1);
// The default generator of CUDA device `device_index` (-1: the current device), created at its
// first use with the default seed, as libtorch's at::cuda::detail::getDefaultCUDAGenerator.
// Raises the no-CUDA RuntimeError without a device, IndexError for an index out of range.
const Generator& getDefaultCUDAGenerator(int device_index = -1);
}  // namespace cuda::detail

}  // namespace ember
