// The containers of container.h.
#include "ember/nn/modules/container.h"

#include <ostream>

#include "ember/base/error.h"

namespace ember::nn {
namespace {

void check_index(size_t index, size_t size, std::string_view container) {
  EMBER_CHECK_INDEX(index < size, "[", container, "] index ", index,
                    " is out of range for a container of ", size, " items");
}

// "Name(\n  (key): Parameter containing: [float32 of size [2, 3]]\n)", as libtorch.
void print_parameters(std::ostream& stream, std::string_view title,
                      const OrderedDict<std::string, Tensor>& parameters) {
  stream << title << "(";
  for (const auto& item : parameters) {
    stream << "\n  (" << item.key() << "): Parameter containing: [" << item.value().dtype()
           << " of size " << item.value().sizes() << "]";
  }
  stream << (parameters.is_empty() ? ")" : "\n)");
}

}  // namespace

// ---------------------------------------------------------------- Sequential

void SequentialImpl::append(std::string name, std::shared_ptr<Module> module,
                            std::function<Tensor(const Tensor&)> forward) {
  register_module(std::move(name), module);
  modules_.push_back(std::move(module));
  forwards_.push_back(std::move(forward));
}

void SequentialImpl::extend(const SequentialImpl& other) {
  for (size_t i = 0; i < other.modules_.size(); ++i) {
    append(std::to_string(modules_.size()), other.modules_[i], other.forwards_[i]);
  }
}

Tensor SequentialImpl::forward(const Tensor& input) {
  EMBER_CHECK(!forwards_.empty(), "[Sequential] cannot call forward() on an empty Sequential");
  Tensor output = forwards_.front()(input);
  for (size_t i = 1; i < forwards_.size(); ++i) output = forwards_[i](output);
  return output;
}

std::shared_ptr<Module> SequentialImpl::ptr(size_t index) const {
  check_index(index, modules_.size(), "Sequential");
  return modules_[index];
}

void SequentialImpl::pretty_print(std::ostream& stream) const { stream << "ember::nn::Sequential"; }

// ---------------------------------------------------------------- ModuleList

void ModuleListImpl::append(std::shared_ptr<Module> module) {
  register_module(std::to_string(modules_.size()), module);
  modules_.push_back(std::move(module));
}

void ModuleListImpl::insert_pointer(size_t index, std::shared_ptr<Module> module) {
  EMBER_CHECK_INDEX(index <= modules_.size(), "[ModuleList] cannot insert at index ", index,
                    " into a list of ", modules_.size(), " modules");
  modules_.insert(modules_.begin() + static_cast<std::ptrdiff_t>(index), std::move(module));
  // The children are named by position: renumber them all, in the new order.
  children_.clear();
  for (size_t i = 0; i < modules_.size(); ++i) register_module(std::to_string(i), modules_[i]);
}

void ModuleListImpl::extend(const ModuleListImpl& other) {
  for (const auto& module : other.modules_) append(module);
}

std::shared_ptr<Module> ModuleListImpl::ptr(size_t index) const {
  check_index(index, modules_.size(), "ModuleList");
  return modules_[index];
}

void ModuleListImpl::pretty_print(std::ostream& stream) const { stream << "ember::nn::ModuleList"; }

// ---------------------------------------------------------------- ModuleDict

ModuleDictImpl::ModuleDictImpl(
    const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& modules) {
  update(modules);
}

ModuleDictImpl::ModuleDictImpl(const OrderedDict<std::string, std::shared_ptr<Module>>& modules) {
  for (const auto& item : modules) insert_pointer(item.key(), item.value());
}

void ModuleDictImpl::insert_pointer(const std::string& key, std::shared_ptr<Module> module) {
  if (children_.contains(key)) {
    replace_module(key, std::move(module));
  } else {
    register_module(key, std::move(module));
  }
}

void ModuleDictImpl::update(
    const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& modules) {
  for (const auto& [key, module] : modules) insert_pointer(key, module);
}

std::shared_ptr<Module> ModuleDictImpl::pop(const std::string& key) {
  std::shared_ptr<Module> module = (*this)[key];
  unregister_module(key);
  return module;
}

void ModuleDictImpl::clear() { children_.clear(); }

std::shared_ptr<Module> ModuleDictImpl::operator[](const std::string& key) const {
  const auto* found = children_.find(key);
  EMBER_CHECK(found != nullptr, "[ModuleDict] no module named '", key, "'");
  return *found;
}

void ModuleDictImpl::pretty_print(std::ostream& stream) const { stream << "ember::nn::ModuleDict"; }

// ---------------------------------------------------------------- ParameterList

ParameterListImpl::ParameterListImpl(const std::vector<Tensor>& parameters) { extend(parameters); }

void ParameterListImpl::append(const Tensor& parameter) {
  register_parameter(std::to_string(parameters_.size()), parameter);
}

void ParameterListImpl::extend(const std::vector<Tensor>& parameters) {
  for (const Tensor& parameter : parameters) append(parameter);
}

Tensor& ParameterListImpl::operator[](size_t index) {
  check_index(index, parameters_.size(), "ParameterList");
  return parameters_[index].value();
}

const Tensor& ParameterListImpl::operator[](size_t index) const {
  check_index(index, parameters_.size(), "ParameterList");
  return parameters_[index].value();
}

void ParameterListImpl::pretty_print(std::ostream& stream) const {
  print_parameters(stream, "ember::nn::ParameterList", parameters_);
}

// ---------------------------------------------------------------- ParameterDict

ParameterDictImpl::ParameterDictImpl(const OrderedDict<std::string, Tensor>& parameters) {
  update(parameters);
}

Tensor& ParameterDictImpl::insert(const std::string& key, const Tensor& parameter) {
  if (Tensor* existing = parameters_.find(key)) {
    *existing = parameter;
    existing->set_requires_grad(true);
    return *existing;
  }
  return register_parameter(key, parameter);
}

Tensor ParameterDictImpl::pop(const std::string& key) {
  Tensor parameter = get(key);
  parameters_.erase(key);
  return parameter;
}

void ParameterDictImpl::update(const OrderedDict<std::string, Tensor>& parameters) {
  for (const auto& item : parameters) insert(item.key(), item.value());
}

Tensor& ParameterDictImpl::get(const std::string& key) {
  Tensor* found = parameters_.find(key);
  EMBER_CHECK(found != nullptr, "[ParameterDict] no parameter named '", key, "'");
  return *found;
}

const Tensor& ParameterDictImpl::operator[](const std::string& key) const {
  const Tensor* found = parameters_.find(key);
  EMBER_CHECK(found != nullptr, "[ParameterDict] no parameter named '", key, "'");
  return *found;
}

void ParameterDictImpl::pretty_print(std::ostream& stream) const {
  print_parameters(stream, "ember::nn::ParameterDict", parameters_);
}

}  // namespace ember::nn
