#include "ember/tensor/cuda_runtime.h"

#include <atomic>
#include <mutex>
#include <utility>
#include <vector>

#include "ember/base/error.h"
#include "ember/tensor/generator.h"

namespace ember::cuda {
namespace {

std::atomic<bool> initialized{false};

// The backend's hooks for `op`, or check_device_available's error saying why there are none.
Hooks& runtime(std::string_view op) {
  check_device_available(Device(kCUDA), op);
  initialized.store(true, std::memory_order_relaxed);
  return *hooks();
}

// `device` resolved (-1: the current device) and checked against the devices present.
int checked_device(Hooks& backend, int device, std::string_view op) {
  if (device == -1) return backend.current_device();
  const int count = backend.device_count();
  EMBER_CHECK_VALUE(device >= 0 && device < count, "[", op, "] invalid device index ", device,
                    "; expected -1 (the current device) or an index below the ", count,
                    " CUDA device(s) present");
  return device;
}

// Each device's default generator, created for every device at the first use on a machine with
// devices; the vector is never resized, so the references handed out stay valid.
std::once_flag generators_created;
std::vector<Generator> default_generators;

}  // namespace

namespace detail {

// A generator is host state only, so making one leaves is_initialized() as it was.
Generator createCUDAGenerator(int device_index) {
  check_device_available(Device(kCUDA), "Generator");
  const int device = checked_device(*hooks(), device_index, "Generator");
  return make_generator<CUDAGeneratorImpl>(static_cast<int8_t>(device));
}

const Generator& getDefaultCUDAGenerator(int device_index) {
  check_device_available(Device(kCUDA), "default_generators");
  Hooks& backend = *hooks();
  const int device = checked_device(backend, device_index, "default_generators");
  std::call_once(generators_created, [&] {
    const int count = backend.device_count();
    default_generators.reserve(static_cast<size_t>(count));
    for (int d = 0; d < count; ++d) {
      default_generators.push_back(make_generator<CUDAGeneratorImpl>(static_cast<int8_t>(d)));
    }
  });
  return default_generators[static_cast<size_t>(device)];
}

}  // namespace detail

namespace {

void seed_generator(Generator generator, uint64_t seed) {
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_current_seed(seed);
}

}  // namespace

int current_device() { return runtime("current_device").current_device(); }

void set_device(int device) {
  Hooks& backend = runtime("set_device");
  backend.set_device(checked_device(backend, device, "set_device"));
}

void synchronize(int device) {
  Hooks& backend = runtime("synchronize");
  backend.synchronize(checked_device(backend, device, "synchronize"));
}

std::string get_device_name(int device) { return get_device_properties(device).name; }

DeviceProperties get_device_properties(int device) {
  Hooks& backend = runtime("get_device_properties");
  return backend.device_properties(checked_device(backend, device, "get_device_properties"));
}

bool is_initialized() { return initialized.load(std::memory_order_relaxed); }

void init() { runtime("init"); }

int Stream::priority() const { return runtime("Stream.priority").stream_priority(handle_); }
bool Stream::query() const { return runtime("Stream.query").query_stream(handle_); }
void Stream::synchronize() const { runtime("Stream.synchronize").synchronize_stream(handle_); }
void Stream::wait(const Event& event) const { event.block(*this); }

Stream getStreamFromPool(bool isHighPriority, int device) {
  return getStreamFromPool(isHighPriority ? -1 : 0, device);
}

Stream getStreamFromPool(int priority, int device) {
  Hooks& backend = runtime("getStreamFromPool");
  const int index = checked_device(backend, device, "getStreamFromPool");
  return Stream(index, backend.stream_from_pool(index, priority));
}

Stream getDefaultCUDAStream(int device) {
  Hooks& backend = runtime("default_stream");
  return Stream(checked_device(backend, device, "default_stream"), nullptr);
}

Stream getCurrentCUDAStream(int device) {
  Hooks& backend = runtime("current_stream");
  const int index = checked_device(backend, device, "current_stream");
  return Stream(index, backend.current_stream(index));
}

void setCurrentCUDAStream(const Stream& stream) {
  runtime("set_current_stream").set_current_stream(stream.device_index(), stream.stream());
}

Stream current_stream(int device) { return getCurrentCUDAStream(device); }
Stream default_stream(int device) { return getDefaultCUDAStream(device); }
void set_current_stream(const Stream& stream) { setCurrentCUDAStream(stream); }

Event::Event(bool enable_timing, bool blocking)
    : enable_timing_(enable_timing), blocking_(blocking) {
  runtime("Event");
}

Event::~Event() {
  if (handle_ != nullptr) hooks()->destroy_event(handle_);
}

Event::Event(Event&& other) noexcept
    : enable_timing_(other.enable_timing_),
      blocking_(other.blocking_),
      device_index_(std::exchange(other.device_index_, -1)),
      handle_(std::exchange(other.handle_, nullptr)) {}

Event& Event::operator=(Event&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) hooks()->destroy_event(handle_);
    enable_timing_ = other.enable_timing_;
    blocking_ = other.blocking_;
    device_index_ = std::exchange(other.device_index_, -1);
    handle_ = std::exchange(other.handle_, nullptr);
  }
  return *this;
}

void Event::record() { record(getCurrentCUDAStream()); }

void Event::record(const Stream& stream) {
  Hooks& backend = runtime("Event.record");
  if (handle_ == nullptr) {
    handle_ = backend.create_event(stream.device_index(), enable_timing_, blocking_);
    device_index_ = stream.device_index();
  }
  EMBER_CHECK(device_index_ == stream.device_index(),
              "[Event.record] the event belongs to cuda:", device_index_,
              " but the stream to cuda:", stream.device_index());
  backend.record_event(handle_, stream.stream());
}

void Event::block(const Stream& stream) const {
  Hooks& backend = runtime("Event.wait");
  if (handle_ != nullptr) backend.stream_wait_event(stream.stream(), handle_);
}

bool Event::query() const {
  Hooks& backend = runtime("Event.query");
  return handle_ == nullptr || backend.query_event(handle_);
}

void Event::synchronize() const {
  Hooks& backend = runtime("Event.synchronize");
  if (handle_ != nullptr) backend.synchronize_event(handle_);
}

float Event::elapsed_time(const Event& end) const {
  Hooks& backend = runtime("Event.elapsed_time");
  EMBER_CHECK(enable_timing_ && end.enable_timing_,
              "[Event.elapsed_time] both events must be created with enable_timing=True");
  EMBER_CHECK(handle_ != nullptr && end.handle_ != nullptr,
              "[Event.elapsed_time] both events must be recorded before timing them");
  return backend.elapsed_time(handle_, end.handle_);
}

// Qualified: inside the class, current_device() is the member.
DeviceGuard::DeviceGuard(int device) : original_(cuda::current_device()), current_(original_) {
  if (device != -1 && device != original_) {
    set_device(device);
    current_ = device;
  }
}

DeviceGuard::~DeviceGuard() {
  if (current_ != original_) hooks()->set_device(original_);
}

StreamGuard::StreamGuard(const Stream& stream)
    : device_guard_(stream.device_index()),
      original_stream_(getCurrentCUDAStream(stream.device_index())),
      current_stream_(stream) {
  setCurrentCUDAStream(stream);
}

StreamGuard::~StreamGuard() {
  hooks()->set_current_stream(original_stream_.device_index(), original_stream_.stream());
}

void manual_seed(uint64_t seed) {
  if (!is_available()) return;
  seed_generator(detail::getDefaultCUDAGenerator(), seed);
}

void manual_seed_all(uint64_t seed) {
  if (!is_available()) return;
  for (int device = 0; device < device_count(); ++device) {
    seed_generator(detail::getDefaultCUDAGenerator(device), seed);
  }
}

uint64_t initial_seed() {
  const Generator generator = detail::getDefaultCUDAGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  return generator.current_seed();
}

}  // namespace ember::cuda
