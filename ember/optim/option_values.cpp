// The option-map helpers of option_values.h.
#include "ember/optim/option_values.h"

#include "ember/base/error.h"

namespace ember::optim::detail {

namespace {

const OptimizerOptionValue* find(const OptimizerOptionMap& values, const std::string& name) {
  const auto found = values.find(name);
  return found == values.end() ? nullptr : &found->second;
}

[[noreturn]] void wrong_kind(const std::string& name, const char* expected) {
  ::ember::detail::raise<TypeError>("[Optimizer.load_state_dict] expected option '", name,
                                    "' to be ", expected, "; got a value of another kind");
}

}  // namespace

void read_option(const OptimizerOptionMap& values, const std::string& name, double& field) {
  const OptimizerOptionValue* value = find(values, name);
  if (value == nullptr) return;
  if (const auto* number = std::get_if<double>(value)) {
    field = *number;
  } else if (const auto* integer = std::get_if<int64_t>(value)) {
    field = static_cast<double>(*integer);
  } else {
    wrong_kind(name, "a float");
  }
}

void read_option(const OptimizerOptionMap& values, const std::string& name, bool& field) {
  const OptimizerOptionValue* value = find(values, name);
  if (value == nullptr) return;
  const auto* flag = std::get_if<bool>(value);
  if (flag == nullptr) wrong_kind(name, "a bool");
  field = *flag;
}

void read_option(const OptimizerOptionMap& values, const std::string& name, int64_t& field) {
  const OptimizerOptionValue* value = find(values, name);
  if (value == nullptr) return;
  const auto* integer = std::get_if<int64_t>(value);
  if (integer == nullptr) wrong_kind(name, "an int");
  field = *integer;
}

void read_option(const OptimizerOptionMap& values, const std::string& name,
                 std::vector<double>& field) {
  const OptimizerOptionValue* value = find(values, name);
  if (value == nullptr) return;
  const auto* numbers = std::get_if<std::vector<double>>(value);
  if (numbers == nullptr) wrong_kind(name, "a sequence of floats");
  field = *numbers;
}

void read_option(const OptimizerOptionMap& values, const std::string& name,
                 std::tuple<double, double>& field) {
  std::vector<double> pair{std::get<0>(field), std::get<1>(field)};
  read_option(values, name, pair);
  if (pair.size() != 2) wrong_kind(name, "a pair of floats");
  field = std::make_tuple(pair[0], pair[1]);
}

void read_option(const OptimizerOptionMap& values, const std::string& name,
                 std::optional<std::string>& field) {
  const OptimizerOptionValue* value = find(values, name);
  if (value == nullptr) return;
  if (std::holds_alternative<std::monostate>(*value)) {
    field = std::nullopt;
  } else if (const auto* text = std::get_if<std::string>(value)) {
    field = *text;
  } else {
    wrong_kind(name, "a string or None");
  }
}

void add_python_only_options(OptimizerOptionMap& values) {
  values["foreach"] = std::monostate{};
  values["fused"] = std::monostate{};
  values["differentiable"] = false;
}

}  // namespace ember::optim::detail
