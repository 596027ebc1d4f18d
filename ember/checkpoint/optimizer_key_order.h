// The order in which PyTorch (and ember.optim in Python) lists an optimizer's param-group options
// and a parameter's state entries, so that ember::save of a C++ optimizer writes the same bytes
// as ember.save of the same Python optimizer's state_dict() (docs/checkpoint_format.md).
#pragma once

#include <span>
#include <string_view>

#include "ember/optim/optimizer.h"

namespace ember::serialize {

struct OptimizerKeyOrder {
  // The options in the order of the Python class's defaults ("params" goes last, after any
  // option a scheduler added, such as "initial_lr").
  std::span<const std::string_view> options;
  // The state entries in the order the Python class creates them.
  std::span<const std::string_view> state;
};

// Empty spans for an optimizer that is not one of ember::optim's (its keys keep name order).
OptimizerKeyOrder pytorch_key_order(const optim::Optimizer& optimizer);

// Where `name` goes in `order`: its index, or order.size() for a name the order does not list.
size_t rank_in(std::span<const std::string_view> order, std::string_view name);

}  // namespace ember::serialize
