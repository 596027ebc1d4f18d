// eval_cpu of Reduce and ArgReduce.
//
// A reduction is described by two groups of coalesced dims, each sorted innermost (smallest input
// stride) first: kept dims, one output element per position, and reduced dims, folded into it.
// When the innermost input dim is reduced ("inner" layout, e.g. sum over the last dim) every output
// folds its own rows; otherwise ("outer" layout, e.g. sum over dim 0) whole input rows are folded
// elementwise into a run of outputs, which vectorizes along the kept dim.
//
// Accuracy: no fold is a long serial chain. Runs are folded by 16-32 independent lanes in blocks
// of kBlock elements, blocks and rows are combined pairwise, and long rows are cut into chunks at
// fixed positions. Every split depends only on the shapes, never on the thread count, so results
// are bitwise identical for any number of threads.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <type_traits>

#include "ember/base/parallel.h"
#include "ember/ops/primitives.h"
#include "ember/tensor/dtype_visit.h"

namespace ember {
namespace {

// Elements one lane loop folds before pairwise combination: each lane adds at most 64 of them.
constexpr int64_t kBlock = 1024;
// Rows longer than this are folded as chunks of this size, in parallel, then combined pairwise.
constexpr int64_t kChunk = int64_t{1} << 16;
// Input rows folded one after another into a run of outputs (outer layout) before combining.
constexpr int64_t kRowBlock = 16;
// Widest run of outputs one task of the outer layout accumulates (accumulators stay in cache).
constexpr int64_t kMaxWidth = 1024;
// Rows and runs at least this long use the lane loops and vector clones; shorter ones fold in
// order, inline.
constexpr int64_t kWideRun = 16;

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// flatten: the loop must be inlined into each clone to be compiled for its instruction set.
#define EMBER_REDUCE_CLONES \
  [[gnu::target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"), gnu::flatten]]
#else
#define EMBER_REDUCE_CLONES
#endif

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

template <typename A>
bool is_nan(A value) {
  if constexpr (std::is_floating_point_v<A>) {
    return std::isnan(value);
  } else {
    return false;
  }
}

// ---------------------------------------------------------------- folds
// A fold: Acc is the accumulate type, load converts one element to it, fold is associative and
// commutative (up to rounding) with identity() as its neutral element.

// Integer sums and products wrap around in int64 like PyTorch's, computed unsigned to avoid UB.
template <typename T>
using WideAcc = std::conditional_t<std::is_integral_v<T>, int64_t, opmath_t<T>>;

template <typename T>
struct SumFold {
  using In = T;
  using Acc = WideAcc<T>;
  static Acc identity() { return Acc(0); }
  static Acc load(T x) { return static_cast<Acc>(static_cast<opmath_t<T>>(x)); }
  static Acc fold(Acc a, Acc b) {
    if constexpr (std::is_integral_v<Acc>) {
      return static_cast<Acc>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
    } else {
      return a + b;
    }
  }
};

template <typename T>
struct ProdFold {
  using In = T;
  using Acc = WideAcc<T>;
  static Acc identity() { return Acc(1); }
  static Acc load(T x) { return static_cast<Acc>(static_cast<opmath_t<T>>(x)); }
  static Acc fold(Acc a, Acc b) {
    if constexpr (std::is_integral_v<Acc>) {
      return static_cast<Acc>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
    } else {
      return a * b;
    }
  }
};

// NaN is sticky: once an accumulator holds NaN, nothing replaces it. Folds use | and & rather
// than || and && so that the loops have no branches and vectorize.
template <typename T>
struct MaxFold {
  using In = T;
  using Acc = opmath_t<T>;
  static Acc identity() {
    if constexpr (std::is_floating_point_v<Acc>) {
      return -std::numeric_limits<Acc>::infinity();
    } else {
      return std::numeric_limits<Acc>::lowest();
    }
  }
  static Acc load(T x) { return static_cast<Acc>(x); }
  static Acc fold(Acc a, Acc b) { return ((b > a) | is_nan(b)) ? b : a; }
};

template <typename T>
struct MinFold {
  using In = T;
  using Acc = opmath_t<T>;
  static Acc identity() {
    if constexpr (std::is_floating_point_v<Acc>) {
      return std::numeric_limits<Acc>::infinity();
    } else {
      return std::numeric_limits<Acc>::max();
    }
  }
  static Acc load(T x) { return static_cast<Acc>(x); }
  static Acc fold(Acc a, Acc b) { return ((b < a) | is_nan(b)) ? b : a; }
};

template <typename T>
struct AllFold {
  using In = T;
  using Acc = bool;
  static Acc identity() { return true; }
  static Acc load(T x) { return convert<bool>(x); }
  static Acc fold(Acc a, Acc b) { return a & b; }
};

template <typename T>
struct AnyFold {
  using In = T;
  using Acc = bool;
  static Acc identity() { return false; }
  static Acc load(T x) { return convert<bool>(x); }
  static Acc fold(Acc a, Acc b) { return a | b; }
};

template <typename T, bool kContiguous>
T element(const char* data, int64_t i, int64_t stride) {
  if constexpr (kContiguous) {
    return reinterpret_cast<const T*>(data)[i];
  } else {
    return *reinterpret_cast<const T*>(data + i * stride);
  }
}

// Folds n <= kBlock elements with independent lanes (the contiguous case vectorizes), then
// combines the lanes as a tree.
template <typename F, bool kContiguous>
typename F::Acc fold_block(const char* data, int64_t n, int64_t stride) {
  using T = typename F::In;
  using A = typename F::Acc;
  constexpr int kLanes = sizeof(A) >= 8 ? 16 : 32;
  A lanes[kLanes];
  for (A& lane : lanes) lane = F::identity();
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int j = 0; j < kLanes; ++j) {
      lanes[j] = F::fold(lanes[j], F::load(element<T, kContiguous>(data, i + j, stride)));
    }
  }
  for (int j = 0; i + j < n; ++j) {
    lanes[j] = F::fold(lanes[j], F::load(element<T, kContiguous>(data, i + j, stride)));
  }
  for (int width = kLanes / 2; width > 0; width /= 2) {
    for (int j = 0; j < width; ++j) lanes[j] = F::fold(lanes[j], lanes[j + width]);
  }
  return lanes[0];
}

// The contiguous fold_block compiled for AVX-512, AVX2 and the baseline, chosen at load time: a
// full sum reads memory at its bandwidth only with the widest vectors. Lanes and order are the
// same in every clone, so the result does not depend on the instruction set.
template <typename F>
EMBER_REDUCE_CLONES typename F::Acc fold_block_wide(const char* data, int64_t n) {
  return fold_block<F, true>(data, n, sizeof(typename F::In));
}

// Pairwise over blocks; the split sits on a block boundary so blocks stay full.
template <typename F, bool kContiguous>
typename F::Acc fold_pairwise(const char* data, int64_t n, int64_t stride) {
  if (n <= kBlock) {
    if constexpr (kContiguous) {
      return fold_block_wide<F>(data, n);
    } else {
      return fold_block<F, false>(data, n, stride);
    }
  }
  const int64_t half = ceil_div(n / 2, kBlock) * kBlock;
  return F::fold(fold_pairwise<F, kContiguous>(data, half, stride),
                 fold_pairwise<F, kContiguous>(data + half * stride, n - half, stride));
}

// Combines a stream of partial results as a balanced binary tree (a binary counter of partial
// folds), so n partials cost O(log n) rounding steps instead of O(n).
template <typename F>
class PairwiseCombiner {
 public:
  using A = typename F::Acc;
  void push(A value) {
    int level = 0;
    for (uint64_t carry = count_; carry & 1; carry >>= 1, ++level) {
      value = F::fold(levels_[level], value);
    }
    levels_[level] = value;
    ++count_;
  }
  A result() const {
    A total = F::identity();
    for (int level = 0; level < 64; ++level) {
      if ((count_ >> level) & 1) total = F::fold(levels_[level], total);
    }
    return total;
  }

 private:
  A levels_[64] = {};
  uint64_t count_ = 0;
};

template <typename F>
typename F::Acc combine_all(const typename F::Acc* partials, int64_t count) {
  PairwiseCombiner<F> combiner;
  for (int64_t i = 0; i < count; ++i) combiner.push(partials[i]);
  return combiner.result();
}

// A row this short has no long chain to split: folding it in order costs the fewest instructions.
template <typename F>
typename F::Acc fold_short(const char* data, int64_t n, int64_t stride) {
  typename F::Acc acc = F::identity();
  for (int64_t i = 0; i < n; ++i) {
    acc = F::fold(acc, F::load(element<typename F::In, false>(data, i, stride)));
  }
  return acc;
}

// Folds n elements `stride` bytes apart. A row longer than kChunk is folded chunk by chunk (in
// parallel unless the caller already runs in parallel), with chunk borders fixed by n alone.
template <typename F>
typename F::Acc fold_row(const char* data, int64_t n, int64_t stride) {
  using A = typename F::Acc;
  if (n < kWideRun) return fold_short<F>(data, n, stride);
  const bool contiguous = stride == static_cast<int64_t>(sizeof(typename F::In));
  const auto fold_range = [&](const char* first, int64_t count) {
    return contiguous ? fold_pairwise<F, true>(first, count, stride)
                      : fold_pairwise<F, false>(first, count, stride);
  };
  if (n <= kChunk) return fold_range(data, n);
  const int64_t chunks = ceil_div(n, kChunk);
  std::unique_ptr<A[]> partials(new A[chunks]);
  parallel_for(0, chunks, kGrain / kChunk, [&](int64_t begin, int64_t end) {
    for (int64_t c = begin; c < end; ++c) {
      partials[c] = fold_range(data + c * kChunk * stride, std::min(kChunk, n - c * kChunk));
    }
  });
  return combine_all<F>(partials.get(), chunks);
}

// ---------------------------------------------------------------- layout

struct Dim {
  int64_t size;
  int64_t in_stride;   // bytes
  int64_t out_stride;  // output elements; 0 on reduced dims
};
using Dims = SmallVector<Dim, 6>;

struct Layout {
  Dims kept, reduced;  // innermost first; `reduced` holds at least one dim
  int64_t outputs = 1, folded = 1;
};

// Sorts dims innermost first and merges neighbours that step as one dim in input and output.
void coalesce(Dims& dims) {
  std::sort(dims.begin(), dims.end(), [](const Dim& a, const Dim& b) {
    return a.in_stride != b.in_stride ? a.in_stride < b.in_stride : a.out_stride < b.out_stride;
  });
  Dims merged;
  for (const Dim& dim : dims) {
    if (!merged.empty()) {
      Dim& last = merged.back();
      if (last.in_stride * last.size == dim.in_stride &&
          last.out_stride * last.size == dim.out_stride) {
        last.size *= dim.size;
        continue;
      }
    }
    merged.push_back(dim);
  }
  dims = merged;
}

// Reduced dims are `only_dim` when it is >= 0, otherwise the dims where y has size 1; dims of
// size 1 in x are dropped (folding one element is the identity).
Layout make_layout(const Tensor& x, const Tensor& y, int64_t only_dim) {
  Layout layout;
  const auto item = static_cast<int64_t>(x.element_size());
  for (int64_t d = 0; d < x.dim(); ++d) {
    const int64_t size = x.shape()[d];
    if (size == 1) continue;
    const bool reduced = only_dim >= 0 ? d == only_dim : y.shape()[d] == 1;
    if (reduced) {
      layout.reduced.push_back({size, x.strides()[d] * item, 0});
      layout.folded *= size;
    } else {
      layout.kept.push_back({size, x.strides()[d] * item, y.strides()[d]});
      layout.outputs *= size;
    }
  }
  coalesce(layout.kept);
  coalesce(layout.reduced);
  if (layout.reduced.empty()) layout.reduced.push_back({1, 0, 0});
  return layout;
}

// Walks an index space (dims innermost first) from a linear position, tracking the input byte
// offset and the output element offset, without a division per step.
class Odometer {
 public:
  Odometer(const Dim* dims, size_t ndim, int64_t start) : dims_(dims), position_(ndim, 0) {
    for (size_t d = 0; d < ndim; ++d) {
      position_[d] = start % dims[d].size;
      start /= dims[d].size;
      in_ += position_[d] * dims[d].in_stride;
      out_ += position_[d] * dims[d].out_stride;
    }
  }
  int64_t in() const { return in_; }
  int64_t out() const { return out_; }
  void next() {
    for (size_t d = 0; d < position_.size(); ++d) {
      in_ += dims_[d].in_stride;
      out_ += dims_[d].out_stride;
      if (++position_[d] < dims_[d].size) return;
      in_ -= dims_[d].size * dims_[d].in_stride;
      out_ -= dims_[d].size * dims_[d].out_stride;
      position_[d] = 0;
    }
  }

 private:
  const Dim* dims_;
  Shape position_;
  int64_t in_ = 0, out_ = 0;
};

// Outputs per task in the outer layout: wide enough to vectorize, and narrow enough that every
// thread gets a task. Results do not depend on it (each output folds its rows the same way).
int64_t run_width(int64_t columns, int64_t outer_count) {
  const int64_t splits = ceil_div(get_num_threads(), outer_count);
  return std::clamp(ceil_div(columns, splits), std::min<int64_t>(columns, 64), kMaxWidth);
}

// ---------------------------------------------------------------- Reduce

template <typename A>
void store_run(char* out, ScalarType dtype, int64_t index, int64_t stride, const A* values,
               int64_t count) {
  visit_dtype(dtype, [&](auto tag) {
    using O = typename decltype(tag)::type;
    O* target = reinterpret_cast<O*>(out) + index;
    for (int64_t j = 0; j < count; ++j) target[j * stride] = convert<O>(values[j]);
  });
}

// fold_short over `count` rows `step` bytes apart, in a loop of a few instructions per output.
template <typename F>
void fold_short_rows(const char* data, int64_t step, int64_t n, int64_t stride, int64_t count,
                     typename F::Acc* results) {
  for (int64_t j = 0; j < count; ++j) results[j] = fold_short<F>(data + j * step, n, stride);
}

// Inner layout: each output folds `rows` rows of reduced[0]; many rows are grouped into chunks
// of about kChunk elements that fold in parallel when there are few outputs. Outputs are walked
// in runs along kept[0] and stored a run at a time.
template <typename F>
void reduce_inner(const Layout& layout, const char* in, char* out, ScalarType dtype) {
  using A = typename F::Acc;
  const Dim& row = layout.reduced[0];
  const int64_t rows = layout.folded / row.size;
  const int64_t group = std::max<int64_t>(1, kChunk / row.size);
  const int64_t groups = ceil_div(rows, group);

  const auto fold_group = [&](const char* base, int64_t first) {
    PairwiseCombiner<F> combiner;
    Odometer position(layout.reduced.data() + 1, layout.reduced.size() - 1, first);
    const int64_t last = std::min(rows, first + group);
    for (int64_t r = first; r < last; ++r, position.next()) {
      combiner.push(fold_row<F>(base + position.in(), row.size, row.in_stride));
    }
    return combiner.result();
  };
  const auto fold_output = [&](const char* base) -> A {
    if (rows == 1) return fold_row<F>(base, row.size, row.in_stride);
    if (groups == 1) return fold_group(base, 0);
    std::unique_ptr<A[]> partials(new A[groups]);
    parallel_for(0, groups, std::max<int64_t>(1, kGrain / (group * row.size)),
                 [&](int64_t begin, int64_t end) {
                   for (int64_t g = begin; g < end; ++g) partials[g] = fold_group(base, g * group);
                 });
    return combine_all<F>(partials.get(), groups);
  };

  const bool has_kept = !layout.kept.empty();
  const Dim column = has_kept ? layout.kept[0] : Dim{1, 0, 0};
  const Dim* outer = has_kept ? layout.kept.data() + 1 : nullptr;
  const size_t outer_ndim = has_kept ? layout.kept.size() - 1 : 0;
  const bool short_rows = rows == 1 && row.size < kWideRun;
  parallel_for(0, layout.outputs, std::max<int64_t>(1, kGrain / layout.folded),
               [&](int64_t begin, int64_t end) {
                 constexpr int64_t kRun = 256;
                 A results[kRun];
                 for (int64_t o = begin; o < end;) {
                   const int64_t first_column = o % column.size;
                   const int64_t count = std::min({kRun, column.size - first_column, end - o});
                   const Odometer position(outer, outer_ndim, o / column.size);
                   const char* base = in + position.in() + first_column * column.in_stride;
                   if (short_rows) {
                     fold_short_rows<F>(base, column.in_stride, row.size, row.in_stride, count,
                                        results);
                   } else {
                     for (int64_t j = 0; j < count; ++j) {
                       results[j] = fold_output(base + j * column.in_stride);
                     }
                   }
                   store_run(out, dtype, position.out() + first_column * column.out_stride,
                             column.out_stride, results, count);
                   o += count;
                 }
               });
}

// acc[j] = fold(acc[j], row[j]) for a run of outputs, vectorized along the run.
template <typename F, bool kContiguous>
void fold_into(typename F::Acc* acc, const char* row, int64_t count, int64_t stride) {
  using T = typename F::In;
  for (int64_t j = 0; j < count; ++j) {
    acc[j] = F::fold(acc[j], F::load(element<T, kContiguous>(row, j, stride)));
  }
}

// fold_into for long runs, with clones as for fold_block (short runs skip the indirect call).
template <typename F, bool kContiguous>
EMBER_REDUCE_CLONES void fold_into_wide(typename F::Acc* acc, const char* row, int64_t count,
                                        int64_t stride) {
  fold_into<F, kContiguous>(acc, row, count, stride);
}

// Folds rows [first, last) of the reduced dims into acc[0, count): runs of kRowBlock rows one
// after another, then pairwise, with `scratch` holding the right half at each level.
template <typename F, bool kContiguous>
void fold_rows(const Dims& reduced, const char* base, int64_t column_stride, int64_t count,
               int64_t first, int64_t last, typename F::Acc* acc, typename F::Acc* scratch,
               int64_t width) {
  if (last - first <= kRowBlock) {
    for (int64_t j = 0; j < count; ++j) acc[j] = F::identity();
    Odometer row(reduced.data(), reduced.size(), first);
    for (int64_t r = first; r < last; ++r, row.next()) {
      if (count >= kWideRun) {
        fold_into_wide<F, kContiguous>(acc, base + row.in(), count, column_stride);
      } else {
        fold_into<F, kContiguous>(acc, base + row.in(), count, column_stride);
      }
    }
    return;
  }
  const int64_t middle = first + ceil_div((last - first) / 2, kRowBlock) * kRowBlock;
  fold_rows<F, kContiguous>(reduced, base, column_stride, count, first, middle, acc, scratch,
                            width);
  fold_rows<F, kContiguous>(reduced, base, column_stride, count, middle, last, scratch,
                            scratch + width, width);
  for (int64_t j = 0; j < count; ++j) acc[j] = F::fold(acc[j], scratch[j]);
}

// Outer layout: tasks are runs of outputs along kept[0]; each folds every input row elementwise.
template <typename F>
void reduce_outer(const Layout& layout, const char* in, char* out, ScalarType dtype) {
  using A = typename F::Acc;
  const Dim& column = layout.kept[0];
  const Dim* outer = layout.kept.data() + 1;
  const size_t outer_ndim = layout.kept.size() - 1;
  const int64_t outer_count = layout.outputs / column.size;
  const int64_t width = run_width(column.size, outer_count);
  const int64_t runs = ceil_div(column.size, width);
  const int64_t rows = layout.folded;
  const int levels = std::bit_width(static_cast<uint64_t>(ceil_div(rows, kRowBlock))) + 2;
  const bool contiguous = column.in_stride == static_cast<int64_t>(sizeof(typename F::In));
  parallel_for(0, outer_count * runs, std::max<int64_t>(1, kGrain / (rows * width)),
               [&](int64_t begin, int64_t end) {
                 std::unique_ptr<A[]> buffers(new A[levels * width]);
                 for (int64_t task = begin; task < end; ++task) {
                   const int64_t first_column = (task % runs) * width;
                   const int64_t count = std::min(width, column.size - first_column);
                   const Odometer position(outer, outer_ndim, task / runs);
                   const char* base = in + position.in() + first_column * column.in_stride;
                   A* acc = buffers.get();
                   if (contiguous) {
                     fold_rows<F, true>(layout.reduced, base, column.in_stride, count, 0, rows, acc,
                                        acc + width, width);
                   } else {
                     fold_rows<F, false>(layout.reduced, base, column.in_stride, count, 0, rows,
                                         acc, acc + width, width);
                   }
                   store_run(out, dtype, position.out() + first_column * column.out_stride,
                             column.out_stride, acc, count);
                 }
               });
}

template <typename F>
void reduce_kernel(const Tensor& x, const Tensor& y) {
  const Layout layout = make_layout(x, y, -1);
  if (layout.outputs == 0) return;
  const auto* in = static_cast<const char*>(x.data_ptr());
  auto* out = static_cast<char*>(y.data_ptr());
  if (layout.folded == 0) {
    const typename F::Acc identity = F::identity();
    Odometer position(layout.kept.data(), layout.kept.size(), 0);
    for (int64_t o = 0; o < layout.outputs; ++o, position.next()) {
      store_run(out, y.dtype(), position.out(), 0, &identity, 1);
    }
    return;
  }
  const bool inner = layout.kept.empty() || layout.reduced[0].in_stride <= layout.kept[0].in_stride;
  if (inner) {
    reduce_inner<F>(layout, in, out, y.dtype());
  } else {
    reduce_outer<F>(layout, in, out, y.dtype());
  }
}

template <template <typename> class Fold>
void reduce_dispatch(const Tensor& x, const Tensor& y) {
  visit_dtype(x.dtype(),
              [&](auto tag) { reduce_kernel<Fold<typename decltype(tag)::type>>(x, y); });
}

// ---------------------------------------------------------------- ArgReduce

// Whether candidate replaces best: strictly more extreme (ties keep the first), or the first NaN.
template <typename T, bool kMax>
bool better(opmath_t<T> candidate, opmath_t<T> best) {
  const bool beats = kMax ? candidate > best : candidate < best;
  return beats | (is_nan(candidate) & !is_nan(best));
}

// Position of the first element equal to target (of the first NaN when target is NaN), scanned in
// blocks whose test vectorizes; target occurs in x[0, n).
template <typename T>
EMBER_REDUCE_CLONES int64_t first_match(const T* x, int64_t n, opmath_t<T> target) {
  using A = opmath_t<T>;
  constexpr int64_t kScan = 256;
  const bool find_nan = is_nan(target);
  for (int64_t first = 0; first < n; first += kScan) {
    const int64_t last = std::min(n, first + kScan);
    bool found = false;
    if (find_nan) {
      for (int64_t i = first; i < last; ++i) found |= is_nan(static_cast<A>(x[i]));
    } else {
      for (int64_t i = first; i < last; ++i) found |= static_cast<A>(x[i]) == target;
    }
    if (!found) continue;
    for (int64_t i = first; i < last; ++i) {
      const A value = static_cast<A>(x[i]);
      if (find_nan ? is_nan(value) : value == target) return i;
    }
  }
  return 0;
}

// Position of the first extremum among n elements `stride` bytes apart.
template <typename T, bool kMax>
int64_t arg_row(const char* data, int64_t n, int64_t stride) {
  using A = opmath_t<T>;
  if (stride == static_cast<int64_t>(sizeof(T)) && n >= kWideRun) {
    // Two passes that vectorize: the extremum (NaN-propagating), then where it first occurs.
    using F = std::conditional_t<kMax, MaxFold<T>, MinFold<T>>;
    return first_match<T>(reinterpret_cast<const T*>(data), n, fold_row<F>(data, n, stride));
  }
  A best = static_cast<A>(element<T, false>(data, 0, stride));
  int64_t index = 0;
  for (int64_t i = 1; i < n; ++i) {
    const A value = static_cast<A>(element<T, false>(data, i, stride));
    if (better<T, kMax>(value, best)) {
      best = value;
      index = i;
    }
  }
  return index;
}

// Extremum positions of `count` columns over n rows, row by row (vectorizes along the columns).
template <typename T, bool kMax, bool kContiguous>
void arg_columns(const char* data, int64_t n, int64_t row_stride, int64_t column_stride,
                 int64_t count, opmath_t<T>* best, int64_t* index) {
  using A = opmath_t<T>;
  for (int64_t j = 0; j < count; ++j) {
    best[j] = static_cast<A>(element<T, kContiguous>(data, j, column_stride));
    index[j] = 0;
  }
  for (int64_t r = 1; r < n; ++r) {
    const char* row = data + r * row_stride;
    for (int64_t j = 0; j < count; ++j) {
      const A value = static_cast<A>(element<T, kContiguous>(row, j, column_stride));
      const bool take = better<T, kMax>(value, best[j]);
      best[j] = take ? value : best[j];
      index[j] = take ? r : index[j];
    }
  }
}

template <typename T, bool kMax>
void arg_kernel(const Tensor& x, const Tensor& values, const Tensor& indices, int64_t dim) {
  using A = opmath_t<T>;
  const Layout layout = make_layout(x, values, dim);
  if (layout.outputs == 0) return;
  const auto* in = static_cast<const char*>(x.data_ptr());
  T* value_out = values.data_ptr<T>();
  int64_t* index_out = indices.data_ptr<int64_t>();
  const Dim& row = layout.reduced[0];
  const bool outer =
      !layout.kept.empty() && row.size > 1 && layout.kept[0].in_stride < row.in_stride;
  if (!outer) {
    parallel_for(0, layout.outputs, std::max<int64_t>(1, kGrain / row.size),
                 [&](int64_t begin, int64_t end) {
                   Odometer position(layout.kept.data(), layout.kept.size(), begin);
                   for (int64_t o = begin; o < end; ++o, position.next()) {
                     const char* base = in + position.in();
                     const int64_t index = arg_row<T, kMax>(base, row.size, row.in_stride);
                     value_out[position.out()] = element<T, false>(base, index, row.in_stride);
                     index_out[position.out()] = index;
                   }
                 });
    return;
  }
  const Dim& column = layout.kept[0];
  const int64_t outer_count = layout.outputs / column.size;
  const int64_t width = run_width(column.size, outer_count);
  const int64_t runs = ceil_div(column.size, width);
  const bool contiguous = column.in_stride == static_cast<int64_t>(sizeof(T));
  parallel_for(0, outer_count * runs, std::max<int64_t>(1, kGrain / (row.size * width)),
               [&](int64_t begin, int64_t end) {
                 std::unique_ptr<A[]> best(new A[width]);
                 std::unique_ptr<int64_t[]> index(new int64_t[width]);
                 for (int64_t task = begin; task < end; ++task) {
                   const int64_t first_column = (task % runs) * width;
                   const int64_t count = std::min(width, column.size - first_column);
                   const Odometer position(layout.kept.data() + 1, layout.kept.size() - 1,
                                           task / runs);
                   const char* base = in + position.in() + first_column * column.in_stride;
                   if (contiguous) {
                     arg_columns<T, kMax, true>(base, row.size, row.in_stride, column.in_stride,
                                                count, best.get(), index.get());
                   } else {
                     arg_columns<T, kMax, false>(base, row.size, row.in_stride, column.in_stride,
                                                 count, best.get(), index.get());
                   }
                   const int64_t first_out = position.out() + first_column * column.out_stride;
                   for (int64_t j = 0; j < count; ++j) {
                     value_out[first_out + j * column.out_stride] = static_cast<T>(best[j]);
                     index_out[first_out + j * column.out_stride] = index[j];
                   }
                 }
               });
}

}  // namespace

void Reduce::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& x = inputs[0];
  const Tensor& y = outputs[0];
  EMBER_CHECK(y.dim() == x.dim(), "[", name(), "] expected an output of rank ", x.dim(),
              " (the keepdim shape); got ", y.shape());
  switch (op_) {
    case ReduceOp::Sum:
      return reduce_dispatch<SumFold>(x, y);
    case ReduceOp::Prod:
      return reduce_dispatch<ProdFold>(x, y);
    case ReduceOp::Amax:
      return reduce_dispatch<MaxFold>(x, y);
    case ReduceOp::Amin:
      return reduce_dispatch<MinFold>(x, y);
    case ReduceOp::All:
      return reduce_dispatch<AllFold>(x, y);
    case ReduceOp::Any:
      return reduce_dispatch<AnyFold>(x, y);
  }
}

void ArgReduce::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& x = inputs[0];
  const Tensor& values = outputs[0];
  const Tensor& indices = outputs[1];
  EMBER_CHECK(dim_ >= 0 && dim_ < x.dim() && x.shape()[dim_] > 0 && values.dtype() == x.dtype() &&
                  indices.dtype() == kInt64 && values.strides() == indices.strides(),
              "[", name(), "] expected a non-empty dim ", dim_, " of a ", x.shape(),
              " input and matching values/indices outputs");
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if (is_max_) {
      arg_kernel<T, true>(x, values, indices, dim_);
    } else {
      arg_kernel<T, false>(x, values, indices, dim_);
    }
  });
}

}  // namespace ember
