// An environment's observation: a tensor, or for Tuple and Dict observation spaces a tuple or a
// dict of observations (Gymnasium's nested observations). It is a Tensor so that the common case
// reads like one (`auto [obs, info] = env.reset(42); obs.unsqueeze(0)`); a tuple or dict holds
// no tensor of its own (defined() is false) and its parts are reached with part() and at().
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ember/tensor/tensor.h"

namespace ember::env {

class Space;

class Observation : public Tensor {
 public:
  enum class Kind { kTensor, kTuple, kDict };

  Observation() = default;
  // A tensor observation (implicit, so a Tensor is an Observation wherever one is expected).
  Observation(Tensor tensor);  // NOLINT(google-explicit-constructor)
  static Observation tuple(std::vector<Observation> elements);
  // Entries keep the given order; a repeated key is a ValueError.
  static Observation dict(std::vector<std::pair<std::string, Observation>> entries);

  Kind kind() const { return kind_; }
  bool is_tensor() const { return kind_ == Kind::kTensor; }
  // A tuple's elements, or a dict's values in its key order.
  size_t num_parts() const;
  const Observation& part(size_t index) const;
  // A dict's value under key (a ValueError naming the keys when it has none).
  const Observation& at(const std::string& key) const;
  // A dict's keys in order (none for tuples and tensors).
  const std::vector<std::string>& keys() const;

  // The same structure with every tensor replaced by fn(tensor).
  Observation map(const std::function<Tensor(const Tensor&)>& fn) const;
  // Row `index` of a batch: every tensor's select(0, index), sharing memory.
  Observation row(int64_t index) const;
  // Copies source's tensors into this observation's, which must have the same structure, dicts
  // the same keys in any order (a ValueError naming `where` and both structures otherwise).
  void copy_from(const Observation& source, const std::string& where) const;
  // "Tensor", "Tuple(Tensor, Tensor)" or "Dict(a: Tensor, b: Tuple(...))", for messages.
  std::string structure() const;

 private:
  struct Parts;
  Kind kind_ = Kind::kTensor;
  std::shared_ptr<const Parts> parts_;
};

// A batch of n observations of `space` to write into: for each leaf space an uninitialized
// (n, shape...) tensor of its dtype, nested as the space is.
Observation empty_observation_batch(const Space& space, int64_t n);

}  // namespace ember::env
