// The one intra-op thread pool: OpenMP's, which oneDNN's GEMM uses too, so ember's loops and the
// BLAS never oversubscribe the cores (docs/architecture.md, Note [one thread pool]). Work runs in
// parallel only above a grain size: forking costs 2-15 us here, more than a small op.
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>

namespace ember {

int get_num_threads();
void set_num_threads(int threads);
bool in_parallel_region();

// A non-owning reference to a callable, so parallel_for takes lambdas without std::function.
template <typename Signature>
class FunctionRef;
template <typename Result, typename... Args>
class FunctionRef<Result(Args...)> {
 public:
  template <typename Callable,
            typename = std::enable_if_t<!std::is_same_v<std::decay_t<Callable>, FunctionRef>>>
  FunctionRef(Callable&& callable)  // NOLINT: implicit by design
      : object_(const_cast<void*>(static_cast<const void*>(&callable))),
        call_([](void* object, Args... args) -> Result {
          return (*static_cast<std::remove_reference_t<Callable>*>(object))(
              std::forward<Args>(args)...);
        }) {}
  Result operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  Result (*call_)(void*, Args...);
};

// Elements below which an elementwise loop or reduction runs on one thread: forking costs more
// than the work saved. Loops whose elements cost more divide it by their work per element.
inline constexpr int64_t kGrain = int64_t{1} << 17;

// Calls body(chunk_begin, chunk_end) over [begin, end): once, inline, when the range is below
// grain or threads are 1; otherwise once per thread on contiguous chunks.
void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  FunctionRef<void(int64_t, int64_t)> body);

}  // namespace ember
