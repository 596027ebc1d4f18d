// Replay buffers for off-policy RL: ReplayBuffer (uniform) and PrioritizedReplayBuffer (Schaul et
// al. 2016, proportional variant). Storage is a ring of preallocated tensors, one per field
// (capacity, *field shape); sampling draws indices with ember's Generator (reproducible under
// ember::manual_seed) and gathers them with index_select into fresh tensors. Sampling is WITH
// replacement, as in most RL libraries: a batch may be larger than size() and repeat items.
// See docs/architecture.md, Note [replay buffers].
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ember/tensor/generator.h"
#include "ember/tensor/tensor.h"

namespace ember::env {

// One stored quantity: its name, the shape of one item (no batch dimension) and its dtype.
struct ReplayField {
  std::string name;
  std::vector<int64_t> shape;
  ScalarType dtype = kFloat32;
};

// Tensors by field name: one transition, a batch of them (a leading batch dimension), or a sample.
using ReplayBatch = std::map<std::string, Tensor>;

// The usual DQN fields: obs and next_obs (obs_shape, obs_dtype), action (action_shape,
// action_dtype), reward (float32 scalar) and done (bool scalar).
std::vector<ReplayField> transition_fields(std::vector<int64_t> obs_shape,
                                           ScalarType obs_dtype = kFloat32,
                                           std::vector<int64_t> action_shape = {},
                                           ScalarType action_dtype = kInt64);

class ReplayBuffer {
 public:
  ReplayBuffer(int64_t capacity, std::vector<ReplayField> fields);

  // Stores one transition (each tensor has its field's shape) or a batch (each has the same
  // leading size n, then the field's shape), overwriting the oldest items once full. Values are
  // cast to the field's dtype; a missing or unknown field or a wrong shape is a ValueError.
  // Returns the slots written, in order (a batch larger than capacity keeps its last items).
  std::vector<int64_t> add(const ReplayBatch& items);
  // batch_size items drawn uniformly with replacement; a RuntimeError on an empty buffer.
  ReplayBatch sample(int64_t batch_size, std::optional<Generator> generator = std::nullopt) const;
  // The items at the given slots (an int64 vector of indices below size()).
  ReplayBatch gather(const Tensor& indices) const;

  int64_t size() const { return size_; }
  int64_t capacity() const { return capacity_; }
  const std::vector<ReplayField>& fields() const { return fields_; }
  void clear();

 private:
  int64_t capacity_;
  std::vector<ReplayField> fields_;
  std::map<std::string, Tensor> storage_;
  int64_t size_ = 0;
  int64_t next_slot_ = 0;
};

// What PrioritizedReplayBuffer::sample returns: the items, their slots (int64, for
// update_priorities) and importance-sampling weights (float32, largest possible weight 1).
struct PrioritizedSample {
  ReplayBatch batch;
  Tensor indices;
  Tensor weights;
};

class PrioritizedReplayBuffer {
 public:
  // alpha: how much priorities count (0 is uniform); beta: the importance-sampling correction
  // (1 is full; usually annealed towards 1 with set_beta); epsilon is added to every priority so
  // none has zero probability.
  PrioritizedReplayBuffer(int64_t capacity, std::vector<ReplayField> fields, double alpha = 0.6,
                          double beta = 0.4, double epsilon = 1e-6);

  // As ReplayBuffer::add; new items get the largest priority seen so far (1 at first).
  std::vector<int64_t> add(const ReplayBatch& items);
  // Stratified proportional sampling: the total priority is cut into batch_size equal segments
  // and one item is drawn from each, with probability p_i^alpha / sum_k p_k^alpha overall.
  // Weights are (N * P(i))^-beta divided by the largest possible weight.
  PrioritizedSample sample(int64_t batch_size,
                           std::optional<Generator> generator = std::nullopt) const;
  // Sets the priorities of the items at indices (e.g. |TD error|); a ValueError for a negative
  // or non-finite priority (or a zero one when epsilon is 0), an index outside the stored items
  // or mismatched lengths.
  void update_priorities(const Tensor& indices, const Tensor& priorities);

  int64_t size() const { return buffer_.size(); }
  int64_t capacity() const { return buffer_.capacity(); }
  const std::vector<ReplayField>& fields() const { return buffer_.fields(); }
  double alpha() const { return alpha_; }
  double beta() const { return beta_; }
  void set_beta(double beta);
  double max_priority() const { return max_priority_; }
  // The sum of p_i^alpha over stored items (the sum tree's root).
  double total_priority() const;
  void clear();

 private:
  void set_leaf(int64_t slot, double value);
  int64_t find_prefix_sum(double mass) const;

  ReplayBuffer buffer_;
  double alpha_;
  double beta_;
  double epsilon_;
  double max_priority_ = 1.0;
  // Binary trees over p_i^alpha in arrays: node k has children 2k and 2k+1, leaves start at
  // tree_leaves_ (a power of two >= capacity); unused leaves hold 0 (sum) and +inf (min).
  int64_t tree_leaves_;
  std::vector<double> sum_tree_;
  std::vector<double> min_tree_;
};

}  // namespace ember::env
