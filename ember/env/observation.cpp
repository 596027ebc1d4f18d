#include "ember/env/observation.h"

#include <algorithm>
#include <set>

#include "ember/base/error.h"
#include "ember/env/spaces.h"
#include "ember/ops/ops.h"

namespace ember::env {

// keys is empty for a tuple.
struct Observation::Parts {
  std::vector<std::string> keys;
  std::vector<Observation> values;
};

Observation::Observation(Tensor tensor) : Tensor(std::move(tensor)) {}

Observation Observation::tuple(std::vector<Observation> elements) {
  Observation result;
  result.kind_ = Kind::kTuple;
  result.parts_ = std::make_shared<const Parts>(Parts{{}, std::move(elements)});
  return result;
}

Observation Observation::dict(std::vector<std::pair<std::string, Observation>> entries) {
  Parts parts;
  std::set<std::string> seen;
  for (auto& [key, value] : entries) {
    EMBER_CHECK_VALUE(seen.insert(key).second,
                      "[Observation.dict] expected distinct keys; received '", key, "' twice");
    parts.keys.push_back(key);
    parts.values.push_back(std::move(value));
  }
  Observation result;
  result.kind_ = Kind::kDict;
  result.parts_ = std::make_shared<const Parts>(std::move(parts));
  return result;
}

size_t Observation::num_parts() const { return parts_ ? parts_->values.size() : 0; }

const Observation& Observation::part(size_t index) const {
  EMBER_CHECK_INDEX(index < num_parts(), "[Observation.part] index ", index,
                    " is out of range for ", structure());
  return parts_->values[index];
}

const Observation& Observation::at(const std::string& key) const {
  EMBER_CHECK_VALUE(kind_ == Kind::kDict, "[Observation.at] expected a Dict observation; this is ",
                    structure());
  for (size_t i = 0; i < parts_->keys.size(); ++i) {
    if (parts_->keys[i] == key) return parts_->values[i];
  }
  throw ValueError("[Observation.at] no key '" + key + "' in " + structure());
}

const std::vector<std::string>& Observation::keys() const {
  static const std::vector<std::string> kNone;
  return parts_ ? parts_->keys : kNone;
}

Observation Observation::map(const std::function<Tensor(const Tensor&)>& fn) const {
  if (kind_ == Kind::kTensor) return Observation(fn(*this));
  Parts parts{parts_->keys, {}};
  parts.values.reserve(parts_->values.size());
  for (const Observation& value : parts_->values) parts.values.push_back(value.map(fn));
  Observation result;
  result.kind_ = kind_;
  result.parts_ = std::make_shared<const Parts>(std::move(parts));
  return result;
}

Observation Observation::row(int64_t index) const {
  if (kind_ == Kind::kTensor) return Observation(select(0, index));
  return map([index](const Tensor& tensor) { return tensor.select(0, index); });
}

void Observation::copy_from(const Observation& source, const std::string& where) const {
  // Dicts match by key, in any order (an env's dict need not follow its space's sorted keys).
  bool same_shape = kind_ == source.kind_ && num_parts() == source.num_parts();
  if (same_shape && kind_ == Kind::kDict) {
    same_shape =
        std::is_permutation(parts_->keys.begin(), parts_->keys.end(), source.parts_->keys.begin());
  }
  EMBER_CHECK_VALUE(same_shape, "[", where, "] expected an observation shaped like ", structure(),
                    "; received ", source.structure());
  if (kind_ == Kind::kTensor) {
    EMBER_CHECK_VALUE(source.defined(), "[", where,
                      "] expected an observation tensor; received an undefined tensor");
    Tensor(*this).copy_(source);
    return;
  }
  for (size_t i = 0; i < num_parts(); ++i) {
    const Observation& source_part =
        kind_ == Kind::kDict ? source.at(parts_->keys[i]) : source.parts_->values[i];
    parts_->values[i].copy_from(source_part, where);
  }
}

std::string Observation::structure() const {
  if (kind_ == Kind::kTensor) return "Tensor";
  std::string out = kind_ == Kind::kTuple ? "Tuple(" : "Dict(";
  for (size_t i = 0; i < parts_->values.size(); ++i) {
    if (i > 0) out += ", ";
    if (kind_ == Kind::kDict) out += parts_->keys[i] + ": ";
    out += parts_->values[i].structure();
  }
  return out + ")";
}

Observation empty_observation_batch(const Space& space, int64_t n) {
  if (const auto* tuple = dynamic_cast<const TupleSpace*>(&space)) {
    std::vector<Observation> elements;
    for (const auto& child : tuple->spaces())
      elements.push_back(empty_observation_batch(*child, n));
    return Observation::tuple(std::move(elements));
  }
  if (const auto* dict = dynamic_cast<const DictSpace*>(&space)) {
    std::vector<std::pair<std::string, Observation>> entries;
    for (const auto& [key, child] : dict->spaces()) {
      entries.emplace_back(key, empty_observation_batch(*child, n));
    }
    return Observation::dict(std::move(entries));
  }
  std::vector<int64_t> shape{n};
  for (int64_t size : space.shape()) shape.push_back(size);
  return Observation(empty(shape, TensorOptions().dtype(space.dtype())));
}

}  // namespace ember::env
