// The C++ frontend's Module (libtorch's torch::nn::Module): parameters, buffers and submodules
// registered by name in insertion order, the recursive views over them with dotted names
// ("fc1.weight", the same keys as PyTorch's state_dict), training mode, dtype moves and printing.
// User modules are structs deriving from it, held in std::shared_ptr (or a ModuleHolder).
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "ember/nn/ordered_dict.h"
#include "ember/tensor/tensor.h"

namespace ember::nn {

template <typename Contained>
class ModuleHolder;

class Module : public std::enable_shared_from_this<Module> {
 public:
  using ModuleApplyFunction = std::function<void(Module&)>;
  using ConstModuleApplyFunction = std::function<void(const Module&)>;
  using NamedModuleApplyFunction = std::function<void(const std::string&, Module&)>;
  using ConstNamedModuleApplyFunction = std::function<void(const std::string&, const Module&)>;
  using ModulePointerApplyFunction = std::function<void(const std::shared_ptr<Module>&)>;

  // `name` is what pretty_print shows by default; without one, the demangled type name.
  explicit Module(std::string name);
  Module();
  Module(const Module&) = default;
  Module& operator=(const Module&) = default;
  Module(Module&&) noexcept = default;
  Module& operator=(Module&&) noexcept = default;
  virtual ~Module() = default;

  const std::string& name() const noexcept;

  // Calls `function` on this module and every submodule, depth first, parents before children.
  void apply(const ModuleApplyFunction& function);
  void apply(const ConstModuleApplyFunction& function) const;
  // With each module's dotted name below this one (this one: name_prefix).
  void apply(const NamedModuleApplyFunction& function, const std::string& name_prefix = {});
  void apply(const ConstNamedModuleApplyFunction& function,
             const std::string& name_prefix = {}) const;
  // With shared pointers (this module must itself be held by one).
  void apply(const ModulePointerApplyFunction& function) const;

  // Defined parameters (a Linear without bias registers an undefined "bias", which is skipped),
  // of this module and, with recurse, of every submodule under dotted names.
  std::vector<Tensor> parameters(bool recurse = true) const;
  OrderedDict<std::string, Tensor> named_parameters(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  OrderedDict<std::string, Tensor> named_buffers(bool recurse = true) const;
  // This module (include_self) and every submodule, depth first; the names are dotted paths.
  std::vector<std::shared_ptr<Module>> modules(bool include_self = true) const;
  OrderedDict<std::string, std::shared_ptr<Module>> named_modules(
      const std::string& name_prefix = {}, bool include_self = true) const;
  std::vector<std::shared_ptr<Module>> children() const;
  OrderedDict<std::string, std::shared_ptr<Module>> named_children() const;

  // Training mode of this module and its submodules (Dropout, BatchNorm read it).
  virtual void train(bool on = true);
  void eval() { train(false); }
  virtual bool is_training() const noexcept { return is_training_; }

  // Clears (set_to_none) or zeroes every parameter's gradient.
  virtual void zero_grad(bool set_to_none = true);

  // Converts every floating-point parameter, its gradient and every floating-point buffer of
  // this module and its submodules in place (Tensor::set_data), so handles held elsewhere (a
  // LinearImpl's `weight`, an optimizer's list) see the new dtype or device. Integer buffers such
  // as num_batches_tracked keep their dtype, as in Python's Module.to (libtorch converts them).
  virtual void to(Device device, ScalarType dtype, bool non_blocking = false);
  virtual void to(ScalarType dtype, bool non_blocking = false);
  virtual void to(Device device, bool non_blocking = false);

  // The module's one-line description; operator<< adds the submodules, indented, below it.
  virtual void pretty_print(std::ostream& stream) const;

  // This module as a ModuleType (or the Impl of a holder type), null if it is not one.
  template <typename ModuleType>
  auto* as() noexcept {
    return dynamic_cast<typename contained_type<ModuleType>::type*>(this);
  }
  template <typename ModuleType>
  const auto* as() const noexcept {
    return dynamic_cast<const typename contained_type<ModuleType>::type*>(this);
  }

  // Registers `tensor` (requires_grad set as asked) under `name`; returns the stored handle.
  Tensor& register_parameter(std::string name, Tensor tensor, bool requires_grad = true);
  Tensor& register_buffer(std::string name, Tensor tensor);
  template <typename ModuleType>
  std::shared_ptr<ModuleType> register_module(std::string name,
                                              std::shared_ptr<ModuleType> module) {
    add_child(std::move(name), module);
    return module;
  }
  template <typename ModuleType>
  std::shared_ptr<ModuleType> register_module(std::string name,
                                              ModuleHolder<ModuleType> module_holder) {
    return register_module(std::move(name), module_holder.ptr());
  }
  // Replaces the submodule `name` (which must exist), keeping its position.
  template <typename ModuleType>
  std::shared_ptr<ModuleType> replace_module(const std::string& name,
                                             std::shared_ptr<ModuleType> module) {
    children_[name] = module;
    return module;
  }
  template <typename ModuleType>
  std::shared_ptr<ModuleType> replace_module(const std::string& name,
                                             ModuleHolder<ModuleType> module_holder) {
    return replace_module(name, module_holder.ptr());
  }
  void unregister_module(const std::string& name);

 protected:
  OrderedDict<std::string, Tensor> parameters_{"Parameter"};
  OrderedDict<std::string, Tensor> buffers_{"Buffer"};
  OrderedDict<std::string, std::shared_ptr<Module>> children_{"Submodule"};

 private:
  template <typename T, typename = void>
  struct contained_type {
    using type = T;
  };
  template <typename T>
  struct contained_type<T, std::void_t<typename T::ContainedType>> {
    using type = typename T::ContainedType;
  };

  friend std::ostream& operator<<(std::ostream& stream, const Module& module);
  void add_child(std::string name, std::shared_ptr<Module> module);
  // Module::to on this module's own parameters, gradients and buffers (not its submodules').
  void convert(std::optional<Device> device, std::optional<ScalarType> dtype, bool non_blocking);
  void pretty_print_recursive(std::ostream& stream, const std::string& indentation) const;
  // Every module below this one (not this one) with its dotted name, parents first.
  void visit_descendants(
      const std::function<void(const std::string&, const std::shared_ptr<Module>&)>& visit,
      const std::string& prefix) const;

  mutable std::optional<std::string> name_;
  bool is_training_ = true;
};

// The module and its submodules, one per line, as libtorch prints them.
std::ostream& operator<<(std::ostream& stream, const Module& module);

}  // namespace ember::nn
