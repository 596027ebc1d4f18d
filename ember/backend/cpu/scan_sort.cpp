// eval_cpu of Sort, Topk, Mode and SearchSorted. Every row is turned into order-preserving
// unsigned keys (scan_rows.h) paired with the element's index in the row; keys of 32 bits or
// less share one uint64 with the index, so that comparing the uint64 orders by key, then index
// (a stable order for free). Long rows are sorted by an LSD radix sort on the key bytes (a byte
// on which every key agrees costs no pass), short ones by std::sort. Top-k keeps a candidate
// buffer above a running threshold, so most elements cost one comparison; one long row is
// split across threads and the candidates merged.
#include <algorithm>
#include <array>
#include <functional>
#include <vector>

#include "ember/backend/cpu/scan_rows.h"
#include "ember/base/error.h"
#include "ember/ops/primitives_scan.h"
#include "ember/tensor/dtype_visit.h"

namespace ember {
namespace {

using cpu::from_sort_key;
using cpu::key_t;
using cpu::sort_key;

// A key wider than 32 bits with its index; operator< orders by key, then index.
struct WideItem {
  uint64_t key;
  uint64_t index;
  bool operator<(const WideItem& other) const {
    return key < other.key || (key == other.key && index < other.index);
  }
  bool operator>(const WideItem& other) const { return other < *this; }
};

// Packs (key, index) for keys of at most 32 bits; `descending` inverts the key.
template <typename T>
struct Codec {
  using K = key_t<T>;
  static constexpr bool kPacked = sizeof(K) <= 4;
  using Item = std::conditional_t<kPacked, uint64_t, WideItem>;

  static Item make(K key, uint64_t index) {
    if constexpr (kPacked) {
      return (static_cast<uint64_t>(key) << 32) | index;
    } else {
      return {key, index};
    }
  }
  static K key(const Item& item) {
    if constexpr (kPacked) {
      return static_cast<K>(item >> 32);
    } else {
      return item.key;
    }
  }
  static uint64_t index(const Item& item) {
    if constexpr (kPacked) {
      return item & 0xffffffffu;
    } else {
      return item.index;
    }
  }
  static unsigned byte(const Item& item, int b) {
    if constexpr (kPacked) {
      return static_cast<unsigned>(item >> (32 + 8 * b)) & 0xffu;
    } else {
      return static_cast<unsigned>(item.key >> (8 * b)) & 0xffu;
    }
  }
};

// LSD radix sort on the key bytes; returns whichever of a and scratch holds the result.
template <typename C>
typename C::Item* radix_sort(typename C::Item* a, typename C::Item* scratch, int64_t n) {
  constexpr int kBytes = sizeof(typename C::K);
  std::array<std::array<int64_t, 256>, kBytes> counts{};
  for (int64_t i = 0; i < n; ++i) {
    for (int b = 0; b < kBytes; ++b) ++counts[b][C::byte(a[i], b)];
  }
  for (int b = 0; b < kBytes; ++b) {
    auto& count = counts[b];
    if (count[C::byte(a[0], b)] == n) continue;  // every key has this byte: order unchanged
    int64_t total = 0;
    for (int64_t& c : count) {
      const int64_t here = c;
      c = total;
      total += here;
    }
    for (int64_t i = 0; i < n; ++i) scratch[count[C::byte(a[i], b)]++] = a[i];
    std::swap(a, scratch);
  }
  return a;
}

template <typename Item>
struct Scratch {
  std::vector<Item> items, spare;
  // Large rows' buffers are not kept alive by the thread afterwards.
  void release_if_large() {
    if (items.capacity() > (size_t{1} << 20)) {
      std::vector<Item>().swap(items);
      std::vector<Item>().swap(spare);
    }
  }
};

// Sorts `n` items in place (result in items.data()), stable by construction of the items.
template <typename C>
typename C::Item* sort_items(Scratch<typename C::Item>& s, int64_t n) {
  if (n <= 256) {
    std::sort(s.items.begin(), s.items.begin() + n);
    return s.items.data();
  }
  s.spare.resize(static_cast<size_t>(n));
  return radix_sort<C>(s.items.data(), s.spare.data(), n);
}

template <typename T>
void sort_kernel(const Tensor& x, const Tensor& values, const Tensor& indices, int64_t dim,
                 bool descending) {
  using C = Codec<T>;
  using K = typename C::K;
  const int64_t n = x.dim() == 0 ? 1 : x.shape()[dim];
  if (x.numel() == 0) return;
  const T* in = x.data_ptr<T>();
  T* out = values.data_ptr<T>();
  int64_t* idx = indices.data_ptr<int64_t>();
  const K zero_key = sort_key(static_cast<T>(0));
  const K nan_key = static_cast<K>(~K{0});
  cpu::Rows<3> rows({&x, &values, &indices}, x.dim() == 0 ? 0 : dim);
  auto write = [&](const int64_t* offsets, int64_t i, K raw, int64_t at) {
    const K key = descending ? static_cast<K>(~raw) : raw;
    // Zeros and NaNs read their own element back (-0.0 and NaN payloads survive).
    const bool ambiguous =
        std::is_floating_point_v<opmath_t<T>> && (key == zero_key || key == nan_key);
    out[offsets[1] + i * rows.step[1]] =
        ambiguous ? in[offsets[0] + at * rows.step[0]] : from_sort_key<T>(key);
    idx[offsets[2] + i * rows.step[2]] = at;
  };
  rows.for_each(n * 8, [&](const int64_t* offsets) {
    thread_local Scratch<typename C::Item> scratch;
    scratch.items.resize(static_cast<size_t>(n));
    K first = 0, differing = 0;  // differing: the bits on which some key differs from the first
    for (int64_t i = 0; i < n; ++i) {
      K key = sort_key(in[offsets[0] + i * rows.step[0]]);
      if (descending) key = static_cast<K>(~key);
      if (i == 0) first = key;
      differing = static_cast<K>(differing | (key ^ first));
      scratch.items[i] = C::make(key, static_cast<uint64_t>(i));
    }
    if constexpr (!C::kPacked) {
      // 64-bit keys that agree on their high half (int64 of a moderate range): sort the low
      // halves packed with the index, half the bytes to move per pass.
      if ((differing >> 32) == 0 && n > 256) {
        using Narrow = Codec<uint32_t>;
        thread_local Scratch<uint64_t> narrow;
        narrow.items.resize(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) {
          narrow.items[i] =
              Narrow::make(static_cast<uint32_t>(scratch.items[i].key), static_cast<uint64_t>(i));
        }
        const K high = first & ~K{0xffffffffu};
        const uint64_t* sorted = sort_items<Narrow>(narrow, n);
        for (int64_t i = 0; i < n; ++i) {
          write(offsets, i, high | Narrow::key(sorted[i]),
                static_cast<int64_t>(Narrow::index(sorted[i])));
        }
        narrow.release_if_large();
        scratch.release_if_large();
        return;
      }
    }
    const typename C::Item* sorted = sort_items<C>(scratch, n);
    for (int64_t i = 0; i < n; ++i) {
      write(offsets, i, C::key(sorted[i]), static_cast<int64_t>(C::index(sorted[i])));
    }
    scratch.release_if_large();
  });
}

// The k best items (largest items first) of elements [begin, end) of one row.
template <typename T>
void select_best(const T* in, int64_t step, int64_t begin, int64_t end, int64_t k, bool largest,
                 std::vector<typename Codec<T>::Item>& best) {
  using C = Codec<T>;
  using K = typename C::K;
  using Item = typename C::Item;
  // Larger item = better: the key (inverted for smallest), then the lower index.
  auto item_at = [&](int64_t i) {
    const K key = sort_key(in[i * step]);
    return C::make(largest ? key : static_cast<K>(~key),
                   C::kPacked ? 0xffffffffu - static_cast<uint64_t>(i) : ~static_cast<uint64_t>(i));
  };
  const auto capacity = static_cast<size_t>(std::max<int64_t>(4 * k, 1024));
  best.clear();
  best.reserve(capacity);
  bool trimmed = false;
  Item threshold{};
  auto trim = [&] {
    std::nth_element(best.begin(), best.begin() + (k - 1), best.end(), std::greater<Item>());
    best.resize(static_cast<size_t>(k));
    threshold = best[k - 1];
    trimmed = true;
  };
  for (int64_t i = begin; i < end; ++i) {
    const Item item = item_at(i);
    if (trimmed && !(item > threshold)) continue;
    best.push_back(item);
    if (best.size() == capacity) trim();
  }
  if (static_cast<int64_t>(best.size()) > k) trim();
  std::sort(best.begin(), best.end(), std::greater<Item>());
}

template <typename T>
uint64_t best_index(const typename Codec<T>::Item& item) {
  const uint64_t stored = Codec<T>::index(item);
  return Codec<T>::kPacked ? 0xffffffffu - stored : ~stored;
}

template <typename T>
void topk_kernel(const Tensor& x, const Tensor& values, const Tensor& indices, int64_t dim,
                 int64_t k, bool largest) {
  using Item = typename Codec<T>::Item;
  const int64_t n = x.dim() == 0 ? 1 : x.shape()[dim];
  if (values.numel() == 0) return;
  const T* in = x.data_ptr<T>();
  T* out = values.data_ptr<T>();
  int64_t* idx = indices.data_ptr<int64_t>();
  cpu::Rows<3> rows({&x, &values, &indices}, x.dim() == 0 ? 0 : dim);
  auto write = [&](const std::vector<Item>& best, const int64_t* offsets) {
    for (int64_t j = 0; j < k; ++j) {
      const auto at = static_cast<int64_t>(best_index<T>(best[j]));
      out[offsets[1] + j * rows.step[1]] = in[offsets[0] + at * rows.step[0]];
      idx[offsets[2] + j * rows.step[2]] = at;
    }
  };
  const int threads = get_num_threads();
  if (rows.count == 1 && threads > 1 && n >= 4 * kGrain) {
    // One long row: each thread keeps the best of its part, then the parts' best are merged.
    std::vector<std::vector<Item>> parts(static_cast<size_t>(threads));
    parallel_for(0, threads, 1, [&](int64_t begin, int64_t end) {
      for (int64_t t = begin; t < end; ++t) {
        const int64_t first = n * t / threads, last = n * (t + 1) / threads;
        select_best<T>(in, rows.step[0], first, last, std::min(k, last - first), largest, parts[t]);
      }
    });
    std::vector<Item> merged;
    for (const auto& part : parts) merged.insert(merged.end(), part.begin(), part.end());
    std::nth_element(merged.begin(), merged.begin() + (k - 1), merged.end(), std::greater<Item>());
    merged.resize(static_cast<size_t>(k));
    std::sort(merged.begin(), merged.end(), std::greater<Item>());
    const int64_t offsets[3] = {0, 0, 0};
    write(merged, offsets);
    return;
  }
  rows.for_each(n * 2, [&](const int64_t* offsets) {
    thread_local std::vector<Item> best;
    select_best<T>(in + offsets[0], rows.step[0], 0, n, k, largest, best);
    write(best, offsets);
  });
}

template <typename T>
void mode_kernel(const Tensor& x, const Tensor& values, const Tensor& indices, int64_t dim) {
  using C = Codec<T>;
  const int64_t n = x.dim() == 0 ? 1 : x.shape()[dim];
  if (values.numel() == 0) return;
  const T* in = x.data_ptr<T>();
  T* out = values.data_ptr<T>();
  int64_t* idx = indices.data_ptr<int64_t>();
  cpu::Rows<3> rows({&x, &values, &indices}, x.dim() == 0 ? 0 : dim);
  rows.for_each(n * 8, [&](const int64_t* offsets) {
    thread_local Scratch<typename C::Item> scratch;
    scratch.items.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      scratch.items[i] =
          C::make(sort_key(in[offsets[0] + i * rows.step[0]]), static_cast<uint64_t>(i));
    }
    const typename C::Item* sorted = sort_items<C>(scratch, n);
    // The first longest run of equal keys (the smallest value), and its last index. NaNs are
    // all unequal, as in PyTorch's unique: each is a run of its own.
    int64_t best_count = 0, best_index = 0, run = 0;
    for (int64_t i = 0; i < n; ++i) {
      ++run;
      if (i + 1 == n || C::key(sorted[i + 1]) != C::key(sorted[i]) ||
          cpu::is_nan_key<T>(C::key(sorted[i]))) {
        if (run > best_count) {
          best_count = run;
          best_index = static_cast<int64_t>(C::index(sorted[i]));
        }
        run = 0;
      }
    }
    out[offsets[1]] = in[offsets[0] + best_index * rows.step[0]];
    idx[offsets[2]] = best_index;
    scratch.release_if_large();
  });
}

template <typename T, typename Out>
void search_kernel(const Tensor& sorted, const Tensor& values, const Tensor& result, bool right) {
  const T* boundaries = sorted.data_ptr<T>();
  const T* needles = values.data_ptr<T>();
  Out* out = result.data_ptr<Out>();
  const int64_t m = sorted.dim() == 0 ? 1 : sorted.shape().back();
  const int64_t per_row = sorted.dim() <= 1   ? values.numel()
                          : values.dim() == 0 ? 1
                                              : values.shape().back();
  int64_t log_m = 1;
  while ((int64_t{1} << log_m) < m + 1) ++log_m;
  parallel_for(0, values.numel(), std::max<int64_t>(1, kGrain / log_m), [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      const T* row = boundaries + (per_row == 0 ? 0 : i / per_row) * m;
      out[i] = static_cast<Out>(sorted_insertion_point(row, m, needles[i], right));
    }
  });
}

void check_pair(std::string_view op, const Tensor& x, const Tensor& values, const Tensor& indices) {
  EMBER_CHECK(values.dtype() == x.dtype() && indices.dtype() == kInt64 &&
                  values.shape() == indices.shape() && values.dim() == x.dim(),
              "[", op, "] expected values (", x.dtype(), ") and int64 indices outputs of rank ",
              x.dim());
}

}  // namespace

void Sort::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  check_pair(name(), inputs[0], outputs[0], outputs[1]);
  visit_dtype(inputs[0].dtype(), [&](auto tag) {
    sort_kernel<typename decltype(tag)::type>(inputs[0], outputs[0], outputs[1], dim_, descending_);
  });
}

void Topk::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  check_pair(name(), inputs[0], outputs[0], outputs[1]);
  visit_dtype(inputs[0].dtype(), [&](auto tag) {
    topk_kernel<typename decltype(tag)::type>(inputs[0], outputs[0], outputs[1], dim_, k_,
                                              largest_);
  });
}

void Mode::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  check_pair(name(), inputs[0], outputs[0], outputs[1]);
  visit_dtype(inputs[0].dtype(), [&](auto tag) {
    mode_kernel<typename decltype(tag)::type>(inputs[0], outputs[0], outputs[1], dim_);
  });
}

void SearchSorted::eval_cpu(TensorSpan inputs, TensorSpan outputs) const {
  const Tensor& sorted = inputs[0];
  const Tensor& values = inputs[1];
  const Tensor& result = outputs[0];
  EMBER_CHECK(sorted.is_contiguous() && values.is_contiguous() &&
                  sorted.dtype() == values.dtype() && result.numel() == values.numel() &&
                  (result.dtype() == kInt64 || result.dtype() == kInt32),
              "[", name(), "] expected contiguous boundaries and values of one dtype");
  visit_dtype(sorted.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if (result.dtype() == kInt64) {
      search_kernel<T, int64_t>(sorted, values, result, right_);
    } else {
      search_kernel<T, int32_t>(sorted, values, result, right_);
    }
  });
}

}  // namespace ember
