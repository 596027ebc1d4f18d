// Typed errors for every failure a user can cause. Messages follow
// "[op] what was expected; what was received. Hint." and are built only on the failure path,
// so EMBER_CHECK costs one predictable branch on the hot path.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ember {

// Base of every ember error; Python sees the subclass named by kind().
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Mistakes PyTorch reports as RuntimeError (shape mismatches, bad casts, autograd misuse).
class RuntimeError : public Error {
 public:
  using Error::Error;
};
class ValueError : public Error {
 public:
  using Error::Error;
};
class TypeError : public Error {
 public:
  using Error::Error;
};
class IndexError : public Error {
 public:
  using Error::Error;
};
// A RuntimeError, as torch.OutOfMemoryError is, so `except RuntimeError` still catches it.
class OutOfMemoryError : public RuntimeError {
 public:
  using RuntimeError::RuntimeError;
};
class NotImplementedError : public Error {
 public:
  using Error::Error;
};

namespace detail {

template <typename... Args>
std::string concat(const Args&... args) {
  std::ostringstream stream;
  (stream << ... << args);
  return stream.str();
}

template <typename ErrorType, typename... Args>
[[noreturn]] void raise(const Args&... args) {
  throw ErrorType(concat(args...));
}

}  // namespace detail

// "[op] has no CUDA kernel": a missing kernel is an error, never a crash.
[[noreturn]] inline void raise_no_kernel(std::string_view op, std::string_view device) {
  detail::raise<NotImplementedError>("[", op, "] has no ", device, " kernel");
}

}  // namespace ember

// EMBER_CHECK(cond, "[op] message parts", ...) throws ember::RuntimeError when cond is false.
#define EMBER_CHECK(cond, ...) EMBER_CHECK_TYPED(cond, ::ember::RuntimeError, __VA_ARGS__)

#define EMBER_CHECK_TYPED(cond, ErrorType, ...)       \
  do {                                                \
    if (__builtin_expect(!(cond), 0)) {               \
      ::ember::detail::raise<ErrorType>(__VA_ARGS__); \
    }                                                 \
  } while (0)

#define EMBER_CHECK_INDEX(cond, ...) EMBER_CHECK_TYPED(cond, ::ember::IndexError, __VA_ARGS__)
#define EMBER_CHECK_VALUE(cond, ...) EMBER_CHECK_TYPED(cond, ::ember::ValueError, __VA_ARGS__)
#define EMBER_CHECK_TYPE(cond, ...) EMBER_CHECK_TYPED(cond, ::ember::TypeError, __VA_ARGS__)
