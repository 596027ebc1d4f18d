// eval_cpu of Scan: cumsum, cumprod, cummax, cummin and logcumsumexp along one dim. A row along
// the dim is a sequential scan (rows in parallel). When the dim is not the innermost of a
// contiguous tensor, the scan walks whole inner rows at once, contiguous and vectorizable. One
// long contiguous cumsum row is scanned in fixed blocks: block sums first (in parallel), then
// four blocks interleaved per thread, four independent add chains instead of one latency-bound
// chain; the blocks depend on the length alone, so results are the same for any thread count.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "ember/backend/cpu/scan_rows.h"
#include "ember/base/error.h"
#include "ember/elementwise/math.h"
#include "ember/ops/primitives_scan.h"
#include "ember/tensor/dtype_visit.h"

namespace ember {
namespace {

// The accumulate type of sums and products, as PyTorch's CPU scans: double for float32.
template <typename T>
using acc_t = std::conditional_t<std::is_same_v<T, float>, double, opmath_t<T>>;

template <typename T>
bool is_nan(T value) {
  if constexpr (std::is_integral_v<T>) {
    return false;
  } else {
    return std::isnan(static_cast<opmath_t<T>>(value));
  }
}

template <typename A>
A log_add_exp(A a, A b) {
  if (std::isinf(a) && a == b) return a;  // -inf + -inf stays -inf, inf + inf stays inf
  const A high = std::max(a, b);
  return high + std::log1p(std::exp(-std::abs(a - b)));
}

// One running state per scanned row, so row scans and column scans share the update rule.
template <typename T>
struct State {
  acc_t<T> acc;
  T extremum;
  int64_t index;
};

template <typename T>
void start(State<T>& s, T first) {
  s.acc = static_cast<acc_t<T>>(static_cast<opmath_t<T>>(first));
  s.extremum = first;
  s.index = 0;
}

// Applies element i (value x) to the state and returns the output value.
// Sums and products never see bool (ops cast it to int64 first).
template <typename T>
T step(ScanOp op, State<T>& s, T x, int64_t i) {
  const auto value = static_cast<acc_t<T>>(static_cast<opmath_t<T>>(x));
  constexpr bool kArithmetic = !std::is_same_v<T, bool>;
  switch (op) {
    case ScanOp::Sum:
      if constexpr (kArithmetic) {
        if (i > 0) s.acc = math::wrapping_add(s.acc, value);  // integers wrap, as on CUDA
      }
      return static_cast<T>(s.acc);
    case ScanOp::Prod:
      if constexpr (kArithmetic) {
        if (i > 0) s.acc = math::wrapping_mul(s.acc, value);
      }
      return static_cast<T>(s.acc);
    case ScanOp::LogSumExp:
      if constexpr (std::is_floating_point_v<acc_t<T>>) {
        if (i > 0) s.acc = log_add_exp(s.acc, value);
      }
      return static_cast<T>(s.acc);
    case ScanOp::Max:
    case ScanOp::Min: {
      // PyTorch's cummax/cummin: a NaN always takes over, ties move the index forward.
      const auto current = static_cast<opmath_t<T>>(s.extremum);
      const auto candidate = static_cast<opmath_t<T>>(x);
      const bool wins = op == ScanOp::Max ? candidate >= current : candidate <= current;
      if (is_nan(x) || (!is_nan(s.extremum) && wins)) {
        s.extremum = x;
        s.index = i;
      }
      return s.extremum;
    }
  }
  return x;
}

constexpr int64_t kBlock = 16384;
constexpr int64_t kInterleave = 4;

// cumsum of one long contiguous row (see the file comment).
template <typename T>
void blocked_cumsum(const T* x, T* y, int64_t n) {
  using A = acc_t<T>;
  const int64_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<A> offsets(static_cast<size_t>(blocks) + 1, A(0));
  parallel_for(0, blocks, 4, [&](int64_t begin, int64_t end) {
    for (int64_t b = begin; b < end; ++b) {
      const int64_t first = b * kBlock, last = std::min(n, first + kBlock);
      A lanes[8] = {};
      int64_t i = first;
      for (; i + 8 <= last; i += 8) {
        for (int l = 0; l < 8; ++l) lanes[l] += static_cast<A>(static_cast<opmath_t<T>>(x[i + l]));
      }
      for (; i < last; ++i) lanes[0] += static_cast<A>(static_cast<opmath_t<T>>(x[i]));
      A total = A(0);
      for (A lane : lanes) total += lane;
      offsets[static_cast<size_t>(b) + 1] = total;
    }
  });
  for (int64_t b = 0; b < blocks; ++b) offsets[b + 1] += offsets[b];
  const int64_t groups = (blocks + kInterleave - 1) / kInterleave;
  parallel_for(0, groups, 1, [&](int64_t begin, int64_t end) {
    for (int64_t g = begin; g < end; ++g) {
      const int64_t first_block = g * kInterleave;
      const int64_t count = std::min(kInterleave, blocks - first_block);
      A running[kInterleave];
      for (int64_t j = 0; j < count; ++j) running[j] = offsets[first_block + j];
      // Full blocks run interleaved; the last (possibly short) block of the row runs alone.
      const bool last_short = (first_block + count) * kBlock > n;
      const int64_t full = last_short ? count - 1 : count;
      const int64_t base = first_block * kBlock;
      for (int64_t i = 0; i < kBlock && full > 0; ++i) {
        for (int64_t j = 0; j < full; ++j) {
          const int64_t at = base + j * kBlock + i;
          running[j] += static_cast<A>(static_cast<opmath_t<T>>(x[at]));
          y[at] = static_cast<T>(running[j]);
        }
      }
      if (last_short) {
        A acc = running[count - 1];
        for (int64_t at = base + (count - 1) * kBlock; at < n; ++at) {
          acc += static_cast<A>(static_cast<opmath_t<T>>(x[at]));
          y[at] = static_cast<T>(acc);
        }
      }
    }
  });
}

template <typename T>
void scan_rows(ScanOp op, int64_t dim, const Tensor& x, const Tensor& y, const Tensor* indices) {
  const T* in = x.data_ptr<T>();
  T* out = y.data_ptr<T>();
  int64_t* idx = indices ? indices->data_ptr<int64_t>() : nullptr;
  const int64_t n = x.dim() == 0 ? 1 : x.shape()[dim];
  if (n == 0 || x.numel() == 0) return;
  const bool contiguous = x.is_contiguous() && y.is_contiguous();
  int64_t inner = 1;
  for (int64_t d = dim + 1; d < x.dim(); ++d) inner *= x.shape()[d];
  const int64_t outer = x.numel() / (n * inner);
  if constexpr (!std::is_same_v<T, bool>) {
    if (contiguous && op == ScanOp::Sum && outer == 1 && inner == 1 && n >= 2 * kBlock) {
      blocked_cumsum(in, out, n);
      return;
    }
  }
  if (contiguous && inner > 1 && (!indices || indices->is_contiguous())) {
    // Column scans: one state per inner position, the inner loop contiguous.
    parallel_for(0, outer, std::max<int64_t>(1, kGrain / (n * inner)), [&](int64_t b, int64_t e) {
      std::vector<State<T>> states(static_cast<size_t>(inner));
      for (int64_t o = b; o < e; ++o) {
        const T* row_in = in + o * n * inner;
        T* row_out = out + o * n * inner;
        int64_t* row_idx = idx ? idx + o * n * inner : nullptr;
        for (int64_t j = 0; j < inner; ++j) start(states[j], row_in[j]);
        for (int64_t i = 0; i < n; ++i) {
          for (int64_t j = 0; j < inner; ++j) {
            row_out[i * inner + j] = step(op, states[j], row_in[i * inner + j], i);
          }
          if (row_idx) {
            for (int64_t j = 0; j < inner; ++j) row_idx[i * inner + j] = states[j].index;
          }
        }
      }
    });
    return;
  }
  const Tensor& index_tensor = indices ? *indices : y;
  cpu::Rows<3> rows({&x, &y, &index_tensor}, x.dim() == 0 ? 0 : dim);
  rows.for_each(n, [&](const int64_t* offsets) {
    const T* row_in = in + offsets[0];
    T* row_out = out + offsets[1];
    State<T> state;
    start(state, row_in[0]);
    for (int64_t i = 0; i < n; ++i) {
      row_out[i * rows.step[1]] = step(op, state, row_in[i * rows.step[0]], i);
      if (idx) idx[offsets[2] + i * rows.step[2]] = state.index;
    }
  });
}

}  // namespace

void Scan::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& x = inputs[0];
  const Tensor& y = outputs[0];
  const bool with_indices = op_ == ScanOp::Max || op_ == ScanOp::Min;
  EMBER_CHECK(y.dtype() == x.dtype() && y.shape() == x.shape() &&
                  outputs.size() == (with_indices ? 2u : 1u),
              "[", name(), "] expected outputs shaped and typed like the ", x.shape(), " input");
  const Tensor* indices = with_indices ? &outputs[1] : nullptr;
  visit_dtype(x.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    scan_rows<T>(op_, dim_, x, y, indices);
  });
}

}  // namespace ember
