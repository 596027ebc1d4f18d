#include "ember/checkpoint/serialize.h"

#include <algorithm>
#include <map>
#include <span>
#include <string_view>
#include <utility>

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/checkpoint/optimizer_key_order.h"

namespace ember {
namespace serialize {
namespace {

std::string dotted(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

}  // namespace

Value to_value(const nn::Module& module) {
  Value::Items items;
  module.apply(
      [&](const std::string& prefix, const nn::Module& child) {
        for (const auto& item : child.named_parameters(/*recurse=*/false)) {
          items.emplace_back(dotted(prefix, item.key()), item.value().detach());
        }
        for (const auto& item : child.named_buffers(/*recurse=*/false)) {
          items.emplace_back(dotted(prefix, item.key()), item.value().detach());
        }
      },
      std::string());
  return Value::ordered_dict(std::move(items));
}

void load_state(nn::Module& module, const Value& state_dict) {
  const Value reference = to_value(module);
  NoGradGuard no_grad;
  for (const auto& [key, target] : reference.items()) {
    const Value* saved = state_dict.find(key);
    if (saved == nullptr) {
      detail::raise<ValueError>("[ember::load] expected the state dict to hold ", key_repr(key),
                                " of the module; it is missing");
    }
    const Tensor& source = saved->to_tensor();
    const Tensor& destination = target.to_tensor();
    if (source.sizes() != destination.sizes()) {
      detail::raise<ValueError>("[ember::load] expected ", key_repr(key), " of shape ",
                                destination.sizes(), "; the checkpoint has ", source.sizes());
    }
    Tensor(destination).copy_(source);
  }
  for (const auto& [key, value] : state_dict.items()) {
    if (reference.find(key) == nullptr) {
      detail::raise<ValueError>(
          "[ember::load] expected only the module's keys; the checkpoint "
          "also has ",
          key_repr(key));
    }
  }
}

Value to_value(const optim::OptimizerOptionValue& option) {
  return std::visit(
      [](const auto& value) -> Value {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return Value();
        } else if constexpr (std::is_same_v<T, std::vector<double>>) {
          return Value::tuple(std::vector<Value>(value.begin(), value.end()));
        } else if constexpr (std::is_same_v<T, std::vector<int64_t>>) {
          return Value::list(std::vector<Value>(value.begin(), value.end()));
        } else {
          return Value(value);
        }
      },
      option);
}

optim::OptimizerOptionValue to_option(const std::string& name, const Value& value) {
  switch (value.kind()) {
    case Value::Kind::None:
      return std::monostate();
    case Value::Kind::Bool:
      return value.to_bool();
    case Value::Kind::Int:
      return value.to_int();
    case Value::Kind::Float:
      return value.to_double();
    case Value::Kind::String:
      return value.to_string();
    case Value::Kind::List:
    case Value::Kind::Tuple:
      if (name == "params") {
        std::vector<int64_t> indices;
        for (const Value& element : value.elements()) indices.push_back(element.to_int());
        return indices;
      } else {
        std::vector<double> numbers;
        for (const Value& element : value.elements()) numbers.push_back(element.to_double());
        return numbers;
      }
    default:
      detail::raise<TypeError>("[ember::load] expected the option '", name,
                               "' to be None, a bool, a number, a string or a sequence of "
                               "numbers; got a ",
                               kind_name(value.kind()));
  }
}

Value to_value(const optim::Optimizer& optimizer) {
  const optim::OptimizerStateDict state_dict = optimizer.state_dict();
  // Keys in PyTorch's order (ember.optim's in Python), so that both languages write the same
  // bytes; names the order does not list follow, in name order.
  const OptimizerKeyOrder order = pytorch_key_order(optimizer);
  const auto in_order = [](Value::Items& items, std::span<const std::string_view> names) {
    std::stable_sort(items.begin(), items.end(), [&](const auto& a, const auto& b) {
      const std::string_view name_a = std::get<std::string>(a.first);
      const std::string_view name_b = std::get<std::string>(b.first);
      // "params" goes last, as Python's state_dict() appends it.
      return std::pair(name_a == "params", rank_in(names, name_a)) <
             std::pair(name_b == "params", rank_in(names, name_b));
    });
  };
  // A parameter's entries, tensors and lists of tensors (LBFGS's history) alike.
  std::map<int64_t, std::map<std::string, Value>> entries;
  for (const auto& [index, tensors] : state_dict.state) {
    for (const auto& [name, tensor] : tensors) entries[index].emplace(name, tensor);
  }
  for (const auto& [index, lists] : state_dict.state_lists) {
    for (const auto& [name, tensors] : lists) {
      entries[index].emplace(name, Value::list(std::vector<Value>(tensors.begin(), tensors.end())));
    }
  }
  Value::Items state;
  for (auto& [index, named] : entries) {
    Value::Items items;
    for (auto& [name, value] : named) items.emplace_back(name, std::move(value));
    in_order(items, order.state);
    state.emplace_back(index, Value::dict(std::move(items)));
  }
  std::vector<Value> groups;
  for (const auto& options : state_dict.param_groups) {
    Value::Items group;
    for (const auto& [name, option] : options) group.emplace_back(name, to_value(option));
    in_order(group, order.options);
    groups.push_back(Value::dict(std::move(group)));
  }
  return Value::dict(
      {{"state", Value::dict(std::move(state))}, {"param_groups", Value::list(std::move(groups))}});
}

void load_state(optim::Optimizer& optimizer, const Value& state_dict) {
  optim::OptimizerStateDict restored;
  for (const auto& [key, tensors] : state_dict.at("state").items()) {
    const auto* index = std::get_if<int64_t>(&key);
    if (index == nullptr) {
      detail::raise<TypeError>("[ember::load] expected integer keys in an optimizer's state; got ",
                               key_repr(key));
    }
    auto& named = restored.state[*index];
    for (const auto& [name, entry] : tensors.items()) {
      const auto* text = std::get_if<std::string>(&name);
      const bool tensor_list =
          entry.is_sequence() &&
          std::all_of(entry.elements().begin(), entry.elements().end(),
                      [](const Value& element) { return element.kind() == Value::Kind::Tensor; });
      if (text == nullptr || (entry.kind() != Value::Kind::Tensor && !tensor_list)) {
        detail::raise<TypeError>("[ember::load] expected the optimizer state of parameter ", *index,
                                 " to map names to tensors or lists of tensors; got ",
                                 key_repr(name), " -> ", kind_name(entry.kind()));
      }
      if (tensor_list) {
        auto& list = restored.state_lists[*index][*text];
        for (const Value& element : entry.elements()) list.push_back(element.to_tensor());
      } else {
        named[*text] = entry.to_tensor();
      }
    }
  }
  for (const Value& group : state_dict.at("param_groups").elements()) {
    optim::OptimizerOptionMap options;
    for (const auto& [key, option] : group.items()) {
      const auto* name = std::get_if<std::string>(&key);
      if (name == nullptr) {
        detail::raise<TypeError>("[ember::load] expected string keys in a param group; got ",
                                 key_repr(key));
      }
      options[*name] = to_option(*name, option);
    }
    restored.param_groups.push_back(std::move(options));
  }
  optimizer.load_state_dict(restored);
}

}  // namespace serialize

void save(const serialize::Value& value, const std::string& path) {
  serialize::save_to_file(value, path);
}

void save(const Tensor& tensor, const std::string& path) { save(serialize::Value(tensor), path); }

void save(const std::vector<Tensor>& tensors, const std::string& path) {
  save(serialize::Value::list(std::vector<serialize::Value>(tensors.begin(), tensors.end())), path);
}

void save(const std::shared_ptr<nn::Module>& module, const std::string& path) {
  save(serialize::to_value(*module), path);
}

void save(const optim::Optimizer& optimizer, const std::string& path) {
  save(serialize::to_value(optimizer), path);
}

serialize::Value load(const std::string& path, bool mmap,
                      const serialize::MapLocation& map_location) {
  return serialize::load_from_file(path, mmap, map_location);
}

void load(Tensor& tensor, const std::string& path) { tensor = load(path).to_tensor(); }

void load(std::vector<Tensor>& tensors, const std::string& path) {
  tensors.clear();
  const serialize::Value list = load(path);
  for (const serialize::Value& element : list.elements()) {
    tensors.push_back(element.to_tensor());
  }
}

void load(const std::shared_ptr<nn::Module>& module, const std::string& path) {
  serialize::load_state(*module, load(path));
}

void load(optim::Optimizer& optimizer, const std::string& path) {
  serialize::load_state(optimizer, load(path));
}

}  // namespace ember
