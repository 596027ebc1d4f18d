// A pointer to an object that carries its own atomic reference count. Tensor handles are one
// pointer wide and copying one costs a single atomic increment.
#pragma once

#include <atomic>
#include <cstdint>
#include <utility>

namespace ember {

class RefCounted {
 public:
  RefCounted() = default;
  RefCounted(const RefCounted&) = delete;
  RefCounted& operator=(const RefCounted&) = delete;
  int64_t use_count() const { return refcount_.load(std::memory_order_relaxed); }

 protected:
  ~RefCounted() = default;

 private:
  template <typename T>
  friend class IntrusivePtr;
  mutable std::atomic<int64_t> refcount_{0};
};

template <typename T>
class IntrusivePtr {
 public:
  IntrusivePtr() = default;
  explicit IntrusivePtr(T* object) : object_(object) { retain(); }
  IntrusivePtr(const IntrusivePtr& other) : object_(other.object_) { retain(); }
  IntrusivePtr(IntrusivePtr&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
  IntrusivePtr& operator=(const IntrusivePtr& other) {
    IntrusivePtr(other).swap(*this);
    return *this;
  }
  IntrusivePtr& operator=(IntrusivePtr&& other) noexcept {
    IntrusivePtr(std::move(other)).swap(*this);
    return *this;
  }
  ~IntrusivePtr() { release(); }

  template <typename... Args>
  static IntrusivePtr make(Args&&... args) {
    return IntrusivePtr(new T(std::forward<Args>(args)...));
  }

  T* get() const { return object_; }
  T* operator->() const { return object_; }
  T& operator*() const { return *object_; }
  explicit operator bool() const { return object_ != nullptr; }
  void swap(IntrusivePtr& other) noexcept { std::swap(object_, other.object_); }
  void reset() { IntrusivePtr().swap(*this); }
  friend bool operator==(const IntrusivePtr& a, const IntrusivePtr& b) {
    return a.object_ == b.object_;
  }

 private:
  void retain() {
    if (object_ != nullptr) object_->refcount_.fetch_add(1, std::memory_order_relaxed);
  }
  void release() {
    if (object_ != nullptr && object_->refcount_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      delete object_;
    }
  }
  T* object_ = nullptr;
};

}  // namespace ember
