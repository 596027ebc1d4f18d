#include "ember/env/space_batching.h"

#include <string>
#include <utility>
#include <vector>

#include "ember/base/error.h"
#include "ember/env/vector_env.h"
#include "ember/ops/ops.h"

namespace ember::env {
namespace {

// Gymnasium's MultiDiscrete batch: Box(low=start, high=start + nvec - 1) repeated n times, int64.
std::shared_ptr<Space> batch_multi_discrete(const MultiDiscrete& space, int64_t n) {
  const std::vector<int64_t>& nvec = space.nvec();
  const std::vector<int64_t>& start = space.start();
  const auto size = static_cast<int64_t>(nvec.size());
  std::vector<int64_t> low, high;
  low.reserve(static_cast<size_t>(n * size));
  high.reserve(static_cast<size_t>(n * size));
  for (int64_t row = 0; row < n; ++row) {
    for (int64_t i = 0; i < size; ++i) {
      low.push_back(start[i]);
      high.push_back(start[i] + nvec[i] - 1);
    }
  }
  return std::make_shared<Box>(from_blob_copy(low.data(), {n, size}, kInt64),
                               from_blob_copy(high.data(), {n, size}, kInt64), std::nullopt,
                               kInt64);
}

}  // namespace

std::shared_ptr<Space> batch_any_space(const std::shared_ptr<Space>& space, int64_t n) {
  EMBER_CHECK_VALUE(space != nullptr, "[batch_space] expected a space; received None");
  EMBER_CHECK_VALUE(n >= 1, "[batch_space] expected n >= 1 copies of ", space->repr(),
                    "; received n = ", n);
  if (const auto* multi = dynamic_cast<const MultiDiscrete*>(space.get())) {
    return batch_multi_discrete(*multi, n);
  }
  if (const auto* binary = dynamic_cast<const MultiBinary*>(space.get())) {
    std::vector<int64_t> shape{n};
    for (int64_t size : binary->shape()) shape.push_back(size);
    return std::make_shared<Box>(0.0, 1.0, shape, kInt8);
  }
  if (const auto* tuple = dynamic_cast<const TupleSpace*>(space.get())) {
    std::vector<std::shared_ptr<Space>> children;
    for (const auto& child : tuple->spaces()) children.push_back(batch_any_space(child, n));
    return std::make_shared<TupleSpace>(std::move(children));
  }
  if (const auto* dict = dynamic_cast<const DictSpace*>(space.get())) {
    DictSpace::Entries children;
    for (const auto& [key, child] : dict->spaces()) {
      children.emplace_back(key, batch_any_space(child, n));
    }
    return std::make_shared<DictSpace>(std::move(children));
  }
  std::shared_ptr<Space> batched = batch_space(space, n);
  EMBER_CHECK_TYPE(batched != nullptr,
                   "[batch_space] expected a Box, Discrete, MultiDiscrete, MultiBinary, Tuple or "
                   "Dict space; received ",
                   space->repr());
  return batched;
}

}  // namespace ember::env
