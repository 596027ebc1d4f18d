#include "ember/env/replay_buffer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <utility>

#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"
#include "ember/tensor/dtype.h"
#include "ember/tensor/shape.h"

namespace ember::env {

namespace {

std::string shape_text(const std::vector<int64_t>& shape) {
  return shape_str(Shape(shape.begin(), shape.end()));
}

Tensor int64_vector(const std::vector<int64_t>& values) {
  return from_blob_copy(values.data(), {static_cast<int64_t>(values.size())}, kInt64);
}

// The indices argument of gather/update_priorities as int64 values below size.
std::vector<int64_t> checked_indices(const Tensor& indices, int64_t size, const char* op) {
  EMBER_CHECK_VALUE(indices.dim() == 1 && !indices.is_floating_point() && !indices.is_complex(),
                    "[", op, "] expected a 1-d integer tensor of indices; received ",
                    dtype_name(indices.dtype()), " of shape ", shape_text(indices.sizes().vec()));
  Tensor values = indices.to(Device(kCPU), kInt64).contiguous();  // read on the host
  const int64_t* data = values.data_ptr<int64_t>();
  std::vector<int64_t> result(data, data + values.numel());
  for (int64_t index : result) {
    EMBER_CHECK_INDEX(index >= 0 && index < size, "[", op, "] expected indices in [0, ", size,
                      "); received ", index);
  }
  return result;
}

}  // namespace

std::vector<ReplayField> transition_fields(std::vector<int64_t> obs_shape, ScalarType obs_dtype,
                                           std::vector<int64_t> action_shape,
                                           ScalarType action_dtype) {
  return {{"obs", obs_shape, obs_dtype},
          {"action", std::move(action_shape), action_dtype},
          {"reward", {}, kFloat32},
          {"next_obs", obs_shape, obs_dtype},
          {"done", {}, kBool}};
}

ReplayBuffer::ReplayBuffer(int64_t capacity, std::vector<ReplayField> fields)
    : capacity_(capacity), fields_(std::move(fields)) {
  EMBER_CHECK_VALUE(capacity > 0, "[ReplayBuffer] expected a positive capacity; received ",
                    capacity);
  EMBER_CHECK_VALUE(!fields_.empty(), "[ReplayBuffer] expected at least one field; received none");
  for (const ReplayField& field : fields_) {
    EMBER_CHECK_VALUE(!field.name.empty(), "[ReplayBuffer] expected named fields; received ''");
    for (int64_t extent : field.shape) {
      EMBER_CHECK_VALUE(extent >= 0, "[ReplayBuffer] expected field '", field.name,
                        "' to have a non-negative shape; received ", shape_text(field.shape));
    }
    std::vector<int64_t> storage_shape{capacity};
    storage_shape.insert(storage_shape.end(), field.shape.begin(), field.shape.end());
    bool inserted = storage_.emplace(field.name, zeros(storage_shape, field.dtype)).second;
    EMBER_CHECK_VALUE(inserted, "[ReplayBuffer] expected distinct field names; received '",
                      field.name, "' twice");
  }
}

std::vector<int64_t> ReplayBuffer::add(const ReplayBatch& items) {
  for (const auto& [name, value] : items) {
    EMBER_CHECK_VALUE(storage_.count(name) != 0, "[ReplayBuffer.add] expected only the fields ",
                      "of the buffer; received an unknown field '", name, "'");
  }
  // Whether this is one item or a batch, and the batch size: the first field decides, every
  // other field must agree (an unbatched item counts as -1, so a batch of one differs from it).
  std::optional<int64_t> count;
  std::vector<Tensor> rows;
  for (const ReplayField& field : fields_) {
    auto found = items.find(field.name);
    EMBER_CHECK_VALUE(found != items.end(), "[ReplayBuffer.add] expected a value for field '",
                      field.name, "'; received none");
    const Tensor& value = found->second;
    std::vector<int64_t> value_shape = value.sizes().vec();
    bool unbatched = value_shape == field.shape;
    bool batched = !value_shape.empty() &&
                   std::vector<int64_t>(value_shape.begin() + 1, value_shape.end()) == field.shape;
    EMBER_CHECK_VALUE(unbatched || batched, "[ReplayBuffer.add] expected field '", field.name,
                      "' of shape ", shape_text(field.shape), " or [n, ...] of it; received ",
                      shape_text(value_shape));
    int64_t items_here = unbatched ? -1 : value_shape.front();
    if (!count) count = items_here;
    EMBER_CHECK_VALUE(*count == items_here, "[ReplayBuffer.add] expected every field to hold ",
                      "the same number of items (-1: one unbatched item); field '", field.name,
                      "' has ", items_here, ", an earlier field ", *count);
    rows.push_back(unbatched ? value.detach().unsqueeze(0) : value.detach());
  }
  int64_t n = rows.front().size(0);
  // Only the last capacity items of an oversized batch survive; writing the earlier ones would
  // give index_copy_ duplicate slots.
  int64_t skipped = std::max<int64_t>(0, n - capacity_);
  std::vector<int64_t> slots;
  for (int64_t i = skipped; i < n; ++i) slots.push_back((next_slot_ + i) % capacity_);
  Tensor slot_tensor = int64_vector(slots);
  for (size_t f = 0; f < fields_.size(); ++f) {
    Tensor source = rows[f].narrow(0, skipped, n - skipped).to(fields_[f].dtype);
    storage_.at(fields_[f].name).index_copy_(0, slot_tensor, source);
  }
  next_slot_ = (next_slot_ + n) % capacity_;
  size_ = std::min(capacity_, size_ + n);
  return slots;
}

ReplayBatch ReplayBuffer::sample(int64_t batch_size, std::optional<Generator> generator) const {
  EMBER_CHECK(size_ > 0, "[ReplayBuffer.sample] expected a non-empty buffer; it holds no items");
  EMBER_CHECK_VALUE(batch_size > 0, "[ReplayBuffer.sample] expected a positive batch_size; ",
                    "received ", batch_size);
  return gather(randint(0, size_, {batch_size}, std::move(generator), kInt64));
}

ReplayBatch ReplayBuffer::gather(const Tensor& indices) const {
  checked_indices(indices, size_, "ReplayBuffer.gather");
  Tensor index = indices.to(kInt64);
  ReplayBatch batch;
  for (const auto& [name, stored] : storage_) batch.emplace(name, stored.index_select(0, index));
  return batch;
}

void ReplayBuffer::clear() {
  size_ = 0;
  next_slot_ = 0;
}

PrioritizedReplayBuffer::PrioritizedReplayBuffer(int64_t capacity, std::vector<ReplayField> fields,
                                                 double alpha, double beta, double epsilon)
    : buffer_(capacity, std::move(fields)), alpha_(alpha), beta_(beta), epsilon_(epsilon) {
  EMBER_CHECK_VALUE(alpha >= 0 && std::isfinite(alpha),
                    "[PrioritizedReplayBuffer] expected alpha >= 0; received ", alpha);
  EMBER_CHECK_VALUE(epsilon >= 0 && std::isfinite(epsilon),
                    "[PrioritizedReplayBuffer] expected epsilon >= 0; received ", epsilon);
  set_beta(beta);
  tree_leaves_ = 1;
  while (tree_leaves_ < capacity) tree_leaves_ *= 2;
  clear();
}

void PrioritizedReplayBuffer::set_beta(double beta) {
  EMBER_CHECK_VALUE(beta >= 0 && std::isfinite(beta),
                    "[PrioritizedReplayBuffer] expected beta >= 0; received ", beta);
  beta_ = beta;
}

void PrioritizedReplayBuffer::clear() {
  buffer_.clear();
  max_priority_ = 1.0;
  sum_tree_.assign(2 * tree_leaves_, 0.0);
  min_tree_.assign(2 * tree_leaves_, std::numeric_limits<double>::infinity());
}

double PrioritizedReplayBuffer::total_priority() const { return sum_tree_[1]; }

void PrioritizedReplayBuffer::set_leaf(int64_t slot, double value) {
  int64_t node = tree_leaves_ + slot;
  sum_tree_[node] = value;
  min_tree_[node] = value;
  for (node /= 2; node >= 1; node /= 2) {
    sum_tree_[node] = sum_tree_[2 * node] + sum_tree_[2 * node + 1];
    min_tree_[node] = std::min(min_tree_[2 * node], min_tree_[2 * node + 1]);
  }
}

// The slot whose cumulative priority interval holds mass (0 <= mass < total).
int64_t PrioritizedReplayBuffer::find_prefix_sum(double mass) const {
  int64_t node = 1;
  while (node < tree_leaves_) {
    if (mass < sum_tree_[2 * node]) {
      node = 2 * node;
    } else {
      mass -= sum_tree_[2 * node];
      node = 2 * node + 1;
    }
  }
  // Rounding can walk past the last stored item into an empty leaf; the last item is the
  // nearest one with mass.
  return std::min(node - tree_leaves_, size() - 1);
}

std::vector<int64_t> PrioritizedReplayBuffer::add(const ReplayBatch& items) {
  std::vector<int64_t> slots = buffer_.add(items);
  double value = std::pow(max_priority_ + epsilon_, alpha_);
  for (int64_t slot : slots) set_leaf(slot, value);
  return slots;
}

PrioritizedSample PrioritizedReplayBuffer::sample(int64_t batch_size,
                                                  std::optional<Generator> generator) const {
  EMBER_CHECK(size() > 0,
              "[PrioritizedReplayBuffer.sample] expected a non-empty buffer; it holds no items");
  EMBER_CHECK_VALUE(batch_size > 0, "[PrioritizedReplayBuffer.sample] expected a positive ",
                    "batch_size; received ", batch_size);
  Tensor uniforms = rand({batch_size}, std::move(generator), kFloat64).contiguous();
  const double* u = uniforms.data_ptr<double>();
  double total = total_priority();
  double segment = total / static_cast<double>(batch_size);
  double n = static_cast<double>(size());
  // The largest weight belongs to the smallest priority: dividing by it keeps weights <= 1.
  double max_weight = std::pow(n * min_tree_[1] / total, -beta_);
  std::vector<int64_t> slots(batch_size);
  std::vector<float> weights(batch_size);
  for (int64_t i = 0; i < batch_size; ++i) {
    double mass = std::min((static_cast<double>(i) + u[i]) * segment, std::nextafter(total, 0.0));
    slots[i] = find_prefix_sum(mass);
    double probability = sum_tree_[tree_leaves_ + slots[i]] / total;
    weights[i] = static_cast<float>(std::pow(n * probability, -beta_) / max_weight);
  }
  Tensor indices = int64_vector(slots);
  return {buffer_.gather(indices), indices, from_blob_copy(weights.data(), {batch_size}, kFloat32)};
}

void PrioritizedReplayBuffer::update_priorities(const Tensor& indices, const Tensor& priorities) {
  std::vector<int64_t> slots =
      checked_indices(indices, size(), "PrioritizedReplayBuffer.update_priorities");
  EMBER_CHECK_VALUE(priorities.dim() == 1 && priorities.numel() == indices.numel(),
                    "[PrioritizedReplayBuffer.update_priorities] expected one priority per index (",
                    indices.numel(), "); received priorities of shape ",
                    shape_text(priorities.sizes().vec()));
  Tensor values = priorities.detach().to(Device(kCPU), kFloat64).contiguous();
  const double* data = values.data_ptr<double>();
  for (size_t i = 0; i < slots.size(); ++i) {
    EMBER_CHECK_VALUE(data[i] >= 0 && std::isfinite(data[i]),
                      "[PrioritizedReplayBuffer.update_priorities] expected finite non-negative ",
                      "priorities; received ", data[i], " for index ", slots[i]);
    // A zero p_i + epsilon would make the largest importance weight infinite.
    EMBER_CHECK_VALUE(data[i] + epsilon_ > 0,
                      "[PrioritizedReplayBuffer.update_priorities] expected positive priorities ",
                      "when epsilon is 0; received 0 for index ", slots[i]);
  }
  for (size_t i = 0; i < slots.size(); ++i) {
    set_leaf(slots[i], std::pow(data[i] + epsilon_, alpha_));
    max_priority_ = std::max(max_priority_, data[i]);
  }
}

}  // namespace ember::env
