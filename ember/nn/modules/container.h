// libtorch's containers: Sequential (modules called in order), ModuleList, ModuleDict,
// ParameterList and ParameterDict, each a Module whose children or parameters are its items
// (named "0", "1", ... or by key), so named_parameters() gives PyTorch's keys ("0.weight").
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "ember/nn/module.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {
namespace detail {

// A module given as a holder (Linear), a shared_ptr or a value, as a shared_ptr to its type.
template <typename M>
auto module_pointer(std::shared_ptr<M> module) {
  return module;
}
template <typename M>
auto module_pointer(const ModuleHolder<M>& holder) {
  return holder.ptr();
}
template <typename M, typename = std::enable_if_t<std::is_base_of_v<Module, std::decay_t<M>>>>
auto module_pointer(M&& module) {
  return std::make_shared<std::decay_t<M>>(std::forward<M>(module));
}

}  // namespace detail

// Modules whose forward takes and returns one Tensor, called in order: Sequential(Linear(2, 3),
// ReLU(), Linear(3, 1)). Each item is named by its index unless given a name.
class SequentialImpl : public Module {
 public:
  SequentialImpl() = default;
  template <typename First, typename... Rest,
            typename = std::enable_if_t<!std::is_same_v<std::decay_t<First>, SequentialImpl>>>
  explicit SequentialImpl(First&& first, Rest&&... rest) {
    push_back(std::forward<First>(first));
    (push_back(std::forward<Rest>(rest)), ...);
  }

  template <typename M>
  void push_back(M&& module) {
    push_back(std::to_string(modules_.size()), std::forward<M>(module));
  }
  template <typename M>
  void push_back(std::string name, M&& module) {
    auto pointer = detail::module_pointer(std::forward<M>(module));
    auto* raw = pointer.get();
    append(std::move(name), std::move(pointer),
           [raw](const Tensor& input) -> Tensor { return raw->forward(input); });
  }
  // Appends another Sequential's modules (the same objects).
  void extend(const SequentialImpl& other);

  Tensor forward(const Tensor& input);

  std::shared_ptr<Module> ptr(size_t index) const;
  template <typename T>
  std::shared_ptr<T> ptr(size_t index) const {
    return std::dynamic_pointer_cast<T>(ptr(index));
  }
  template <typename T>
  T& at(size_t index) {
    auto* module = ptr(index)->as<T>();
    EMBER_CHECK(module != nullptr, "[Sequential] module ", index, " is not of the requested type");
    return *module;
  }
  std::shared_ptr<Module> operator[](size_t index) const { return ptr(index); }
  size_t size() const noexcept { return modules_.size(); }
  bool is_empty() const noexcept { return modules_.empty(); }
  std::vector<std::shared_ptr<Module>>::const_iterator begin() const { return modules_.begin(); }
  std::vector<std::shared_ptr<Module>>::const_iterator end() const { return modules_.end(); }

  void pretty_print(std::ostream& stream) const override;

 private:
  void append(std::string name, std::shared_ptr<Module> module,
              std::function<Tensor(const Tensor&)> forward);

  std::vector<std::shared_ptr<Module>> modules_;
  std::vector<std::function<Tensor(const Tensor&)>> forwards_;
};
EMBER_MODULE(Sequential);

// Modules kept in a list, registered as "0", "1", ...; no forward of its own.
class ModuleListImpl : public Module {
 public:
  ModuleListImpl() = default;
  template <typename First, typename... Rest,
            typename = std::enable_if_t<!std::is_same_v<std::decay_t<First>, ModuleListImpl>>>
  explicit ModuleListImpl(First&& first, Rest&&... rest) {
    push_back(std::forward<First>(first));
    (push_back(std::forward<Rest>(rest)), ...);
  }

  template <typename M>
  void push_back(M&& module) {
    append(detail::module_pointer(std::forward<M>(module)));
  }
  // Inserts before `index` (index == size() appends); later items are renumbered.
  template <typename M>
  void insert(size_t index, M&& module) {
    insert_pointer(index, detail::module_pointer(std::forward<M>(module)));
  }
  void extend(const ModuleListImpl& other);

  std::shared_ptr<Module> ptr(size_t index) const;
  template <typename T>
  std::shared_ptr<T> ptr(size_t index) const {
    return std::dynamic_pointer_cast<T>(ptr(index));
  }
  template <typename T>
  T& at(size_t index) {
    auto* module = ptr(index)->as<T>();
    EMBER_CHECK(module != nullptr, "[ModuleList] module ", index, " is not of the requested type");
    return *module;
  }
  std::shared_ptr<Module> operator[](size_t index) const { return ptr(index); }
  size_t size() const noexcept { return modules_.size(); }
  bool is_empty() const noexcept { return modules_.empty(); }
  std::vector<std::shared_ptr<Module>>::const_iterator begin() const { return modules_.begin(); }
  std::vector<std::shared_ptr<Module>>::const_iterator end() const { return modules_.end(); }

  void pretty_print(std::ostream& stream) const override;

 private:
  void append(std::shared_ptr<Module> module);
  void insert_pointer(size_t index, std::shared_ptr<Module> module);

  std::vector<std::shared_ptr<Module>> modules_;
};
EMBER_MODULE(ModuleList);

// Modules by name, in insertion order.
class ModuleDictImpl : public Module {
 public:
  ModuleDictImpl() = default;
  explicit ModuleDictImpl(
      const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& modules);
  explicit ModuleDictImpl(const OrderedDict<std::string, std::shared_ptr<Module>>& modules);

  template <typename M>
  void insert(const std::string& key, M&& module) {
    insert_pointer(key, detail::module_pointer(std::forward<M>(module)));
  }
  // Inserts or replaces each of `modules`.
  void update(const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& modules);
  // Removes `key` and returns its module.
  std::shared_ptr<Module> pop(const std::string& key);
  void clear();

  std::shared_ptr<Module> operator[](const std::string& key) const;
  template <typename T>
  T& at(const std::string& key) {
    auto* module = (*this)[key]->as<T>();
    EMBER_CHECK(module != nullptr, "[ModuleDict] module '", key, "' is not of the requested type");
    return *module;
  }
  bool contains(const std::string& key) const noexcept { return children_.contains(key); }
  std::vector<std::string> keys() const { return children_.keys(); }
  std::vector<std::shared_ptr<Module>> values() const { return children_.values(); }
  const std::vector<OrderedDict<std::string, std::shared_ptr<Module>>::Item>& items() const {
    return children_.items();
  }
  size_t size() const noexcept { return children_.size(); }
  bool empty() const noexcept { return children_.is_empty(); }
  auto begin() const { return children_.begin(); }
  auto end() const { return children_.end(); }

  void pretty_print(std::ostream& stream) const override;

 private:
  void insert_pointer(const std::string& key, std::shared_ptr<Module> module);
};
EMBER_MODULE(ModuleDict);

// Parameters kept in a list, registered as "0", "1", ...
class ParameterListImpl : public Module {
 public:
  ParameterListImpl() = default;
  explicit ParameterListImpl(const std::vector<Tensor>& parameters);

  void append(const Tensor& parameter);
  void extend(const std::vector<Tensor>& parameters);
  Tensor& operator[](size_t index);
  const Tensor& operator[](size_t index) const;
  Tensor& at(size_t index) { return (*this)[index]; }
  size_t size() const noexcept { return parameters_.size(); }
  bool is_empty() const noexcept { return parameters_.is_empty(); }
  auto begin() { return parameters_.begin(); }
  auto end() { return parameters_.end(); }
  auto begin() const { return parameters_.begin(); }
  auto end() const { return parameters_.end(); }

  void pretty_print(std::ostream& stream) const override;
};
EMBER_MODULE(ParameterList);

// Parameters by name, in insertion order.
class ParameterDictImpl : public Module {
 public:
  ParameterDictImpl() = default;
  explicit ParameterDictImpl(const OrderedDict<std::string, Tensor>& parameters);

  // Inserts or replaces `key` (registered as a parameter that requires grad).
  Tensor& insert(const std::string& key, const Tensor& parameter);
  Tensor pop(const std::string& key);
  void update(const OrderedDict<std::string, Tensor>& parameters);
  void clear() { parameters_.clear(); }
  Tensor& operator[](const std::string& key) { return get(key); }
  const Tensor& operator[](const std::string& key) const;
  Tensor& get(const std::string& key);
  bool contains(const std::string& key) const noexcept { return parameters_.contains(key); }
  std::vector<std::string> keys() const { return parameters_.keys(); }
  std::vector<Tensor> values() const { return parameters_.values(); }
  size_t size() const noexcept { return parameters_.size(); }
  bool empty() const noexcept { return parameters_.is_empty(); }
  auto begin() { return parameters_.begin(); }
  auto end() { return parameters_.end(); }
  auto begin() const { return parameters_.begin(); }
  auto end() const { return parameters_.end(); }

  void pretty_print(std::ostream& stream) const override;
};
EMBER_MODULE(ParameterDict);

}  // namespace ember::nn
