// ember.env.ReplayBuffer and PrioritizedReplayBuffer: the C++ buffers (ember/env/replay_buffer.h)
// into ember._C._env. Fields are a dict {name: (shape, dtype)}; items and samples are dicts of
// tensors keyed by field name.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <optional>
#include <string>
#include <vector>

#include "convert.h"
#include "ember/env/replay_buffer.h"
#include "env_bindings.h"
#include "env_wrappers.h"

namespace ember::python {

using env::PrioritizedReplayBuffer;
using env::ReplayBatch;
using env::ReplayBuffer;
using env::ReplayField;

namespace {

std::vector<ReplayField> fields_from_python(nb::handle fields) {
  EMBER_CHECK_TYPED(nb::isinstance<nb::dict>(fields), TypeError,
                    "[ReplayBuffer] expected fields as a dict {name: (shape, dtype)}; received ",
                    nb::type_name(fields.type()).c_str());
  std::vector<ReplayField> result;
  for (auto [name, spec] : nb::borrow<nb::dict>(fields)) {
    std::string field_name = nb::cast<std::string>(nb::str(name));
    EMBER_CHECK_TYPED(nb::isinstance<nb::tuple>(spec) && nb::len(spec) == 2, TypeError,
                      "[ReplayBuffer] expected field '", field_name,
                      "' as a (shape, dtype) tuple; received ", nb::type_name(spec.type()).c_str());
    std::optional<ScalarType> dtype = to_dtype(spec[1]);
    EMBER_CHECK_TYPED(dtype.has_value(), TypeError, "[ReplayBuffer] expected field '", field_name,
                      "' to have a dtype; received None");
    result.push_back({field_name, nb::cast<std::vector<int64_t>>(spec[0]), *dtype});
  }
  return result;
}

nb::dict fields_to_python(const std::vector<ReplayField>& fields) {
  nb::dict result;
  for (const ReplayField& field : fields) {
    result[field.name.c_str()] =
        nb::make_tuple(nb::tuple(nb::cast(field.shape)), dtype_object(field.dtype));
  }
  return result;
}

// add's arguments: a dict of items and/or keyword items; values go through tensor_from_python.
ReplayBatch items_from_python(nb::handle items, nb::kwargs keyword_items) {
  ReplayBatch batch;
  auto insert = [&](nb::handle key, nb::handle value) {
    batch[nb::cast<std::string>(nb::str(key))] = tensor_from_python(value);
  };
  if (!items.is_none()) {
    EMBER_CHECK_TYPED(nb::isinstance<nb::dict>(items), TypeError,
                      "[ReplayBuffer.add] expected a dict of field values; received ",
                      nb::type_name(items.type()).c_str());
    for (auto [key, value] : nb::borrow<nb::dict>(items)) insert(key, value);
  }
  for (auto [key, value] : keyword_items) insert(key, value);
  return batch;
}

nb::dict batch_to_python(const ReplayBatch& batch) {
  nb::dict result;
  for (const auto& [name, value] : batch) result[name.c_str()] = nb::cast(value);
  return result;
}

}  // namespace

void init_env_replay(nb::module_& module) {
  nb::module_ env = nb::borrow<nb::module_>(module.attr("_env"));
  env.def(
      "transition_fields",
      [](const std::vector<int64_t>& obs_shape, nb::handle obs_dtype,
         const std::vector<int64_t>& action_shape, nb::handle action_dtype) {
        return fields_to_python(
            env::transition_fields(obs_shape, to_dtype(obs_dtype).value_or(kFloat32), action_shape,
                                   to_dtype(action_dtype).value_or(kInt64)));
      },
      nb::arg("obs_shape"), nb::arg("obs_dtype") = nb::none(),
      nb::arg("action_shape") = std::vector<int64_t>{}, nb::arg("action_dtype") = nb::none(),
      nb::sig("def transition_fields(obs_shape, obs_dtype=None, action_shape=(), "
              "action_dtype=None) -> dict"),
      "DQN's fields {name: (shape, dtype)}: obs and next_obs (obs_dtype, float32 by default), "
      "action (action_dtype, int64 by default), reward (float32) and done (bool).");

  nb::class_<ReplayBuffer>(env, "ReplayBuffer",
                           "A uniform replay buffer: a ring of preallocated tensors per field.")
      .def(
          "__init__",
          [](ReplayBuffer* self, int64_t capacity, nb::handle fields) {
            new (self) ReplayBuffer(capacity, fields_from_python(fields));
          },
          nb::arg("capacity"), nb::arg("fields"),
          nb::sig("def __init__(self, capacity, fields) -> None"),
          "A buffer of capacity items with fields {name: (shape, dtype)}.")
      .def(
          "add",
          [](ReplayBuffer& self, nb::handle items, nb::kwargs keyword_items) {
            return self.add(items_from_python(items, keyword_items));
          },
          nb::arg("items") = nb::none(), nb::arg("kwargs"),
          nb::sig("def add(self, items=None, **kwargs) -> list[int]"),
          "Stores one item (each field's shape) or a batch (a leading dim n), overwriting the "
          "oldest once full; returns the slots written.")
      .def(
          "sample",
          [](const ReplayBuffer& self, int64_t batch_size, std::optional<Generator> generator) {
            return batch_to_python(self.sample(batch_size, std::move(generator)));
          },
          nb::arg("batch_size"), nb::arg("generator") = nb::none(),
          nb::sig("def sample(self, batch_size, generator=None) -> dict"),
          "batch_size items drawn uniformly WITH replacement, as fresh tensors by field name.")
      .def(
          "gather",
          [](const ReplayBuffer& self, const Tensor& indices) {
            return batch_to_python(self.gather(indices));
          },
          nb::arg("indices"), nb::sig("def gather(self, indices) -> dict"),
          "The items at the given slots, as fresh tensors by field name.")
      .def("clear", &ReplayBuffer::clear, nb::sig("def clear(self) -> None"),
           "Empties the buffer (its storage is kept).")
      .def("__len__", &ReplayBuffer::size, nb::sig("def __len__(self) -> int"),
           "The number of stored items.")
      .def_prop_ro("size", &ReplayBuffer::size, "The number of stored items.")
      .def_prop_ro("capacity", &ReplayBuffer::capacity, "The most items it holds.")
      .def_prop_ro(
          "fields", [](const ReplayBuffer& self) { return fields_to_python(self.fields()); },
          "The fields {name: (shape, dtype)}.");

  nb::class_<PrioritizedReplayBuffer>(
      env, "PrioritizedReplayBuffer",
      "Schaul et al.'s proportional prioritized replay over sum and min trees.")
      .def(
          "__init__",
          [](PrioritizedReplayBuffer* self, int64_t capacity, nb::handle fields, double alpha,
             double beta, double epsilon) {
            new (self)
                PrioritizedReplayBuffer(capacity, fields_from_python(fields), alpha, beta, epsilon);
          },
          nb::arg("capacity"), nb::arg("fields"), nb::arg("alpha") = 0.6, nb::arg("beta") = 0.4,
          nb::arg("epsilon") = 1e-6,
          nb::sig("def __init__(self, capacity, fields, alpha=0.6, beta=0.4, epsilon=1e-6) "
                  "-> None"),
          "A prioritized buffer: P(i) = p_i^alpha / sum p^alpha, weights (N P(i))^-beta / max.")
      .def(
          "add",
          [](PrioritizedReplayBuffer& self, nb::handle items, nb::kwargs keyword_items) {
            return self.add(items_from_python(items, keyword_items));
          },
          nb::arg("items") = nb::none(), nb::arg("kwargs"),
          nb::sig("def add(self, items=None, **kwargs) -> list[int]"),
          "As ReplayBuffer.add; new items get the largest priority seen so far.")
      .def(
          "sample",
          [](const PrioritizedReplayBuffer& self, int64_t batch_size,
             std::optional<Generator> generator) {
            env::PrioritizedSample sample = self.sample(batch_size, std::move(generator));
            return nb::make_tuple(batch_to_python(sample.batch), sample.indices, sample.weights);
          },
          nb::arg("batch_size"), nb::arg("generator") = nb::none(),
          nb::sig("def sample(self, batch_size, generator=None) -> tuple"),
          "(batch, indices, weights): stratified proportional sampling with replacement; "
          "float32 importance weights with largest possible weight 1.")
      .def(
          "update_priorities",
          [](PrioritizedReplayBuffer& self, const Tensor& indices, nb::handle priorities) {
            self.update_priorities(indices, tensor_from_python(priorities));
          },
          nb::arg("indices"), nb::arg("priorities"),
          nb::sig("def update_priorities(self, indices, priorities) -> None"),
          "Sets the priorities (e.g. |TD error|, non-negative) of the items at indices.")
      .def("clear", &PrioritizedReplayBuffer::clear, nb::sig("def clear(self) -> None"),
           "Empties the buffer and its priorities.")
      .def("__len__", &PrioritizedReplayBuffer::size, nb::sig("def __len__(self) -> int"),
           "The number of stored items.")
      .def_prop_ro("size", &PrioritizedReplayBuffer::size, "The number of stored items.")
      .def_prop_ro("capacity", &PrioritizedReplayBuffer::capacity, "The most items it holds.")
      .def_prop_ro(
          "fields",
          [](const PrioritizedReplayBuffer& self) { return fields_to_python(self.fields()); },
          "The fields {name: (shape, dtype)}.")
      .def_prop_ro("alpha", &PrioritizedReplayBuffer::alpha, "The priority exponent.")
      .def_prop_rw("beta", &PrioritizedReplayBuffer::beta, &PrioritizedReplayBuffer::set_beta,
                   "The importance-sampling exponent (anneal it towards 1).")
      .def_prop_ro("max_priority", &PrioritizedReplayBuffer::max_priority,
                   "The largest priority seen: what new items get.")
      .def_prop_ro("total_priority", &PrioritizedReplayBuffer::total_priority,
                   "The sum of p_i^alpha over stored items.");
}

}  // namespace ember::python
