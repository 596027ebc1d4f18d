// Module (module.h): registration, the recursive named views, modes, conversion and printing.
#include "ember/nn/module.h"

#include <ostream>

#include "ember/autograd/function.h"
#include "ember/base/error.h"

namespace ember::nn {
namespace {

std::string join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

void check_name(const std::string& name, std::string_view kind) {
  EMBER_CHECK(!name.empty(), "[Module] ", kind, " name must not be empty");
  EMBER_CHECK(name.find('.') == std::string::npos, "[Module] ", kind,
              " name must not contain a dot (got '", name, "')");
}

}  // namespace

Module::Module(std::string name) : name_(std::move(name)) {}

Module::Module() = default;

const std::string& Module::name() const noexcept {
  // The dynamic type is only known once construction is over, so the name is made on first use.
  if (!name_) name_ = autograd::demangle_type_name(typeid(*this));
  return *name_;
}

void Module::visit_descendants(
    const std::function<void(const std::string&, const std::shared_ptr<Module>&)>& visit,
    const std::string& prefix) const {
  for (const auto& child : children_) {
    const std::string name = join(prefix, child.key());
    visit(name, child.value());
    child.value()->visit_descendants(visit, name);
  }
}

void Module::apply(const ModuleApplyFunction& function) {
  function(*this);
  visit_descendants(
      [&](const std::string&, const std::shared_ptr<Module>& module) { function(*module); }, {});
}

void Module::apply(const ConstModuleApplyFunction& function) const {
  function(*this);
  visit_descendants(
      [&](const std::string&, const std::shared_ptr<Module>& module) { function(*module); }, {});
}

void Module::apply(const NamedModuleApplyFunction& function, const std::string& name_prefix) {
  function(name_prefix, *this);
  visit_descendants([&](const std::string& name,
                        const std::shared_ptr<Module>& module) { function(name, *module); },
                    name_prefix);
}

void Module::apply(const ConstNamedModuleApplyFunction& function,
                   const std::string& name_prefix) const {
  function(name_prefix, *this);
  visit_descendants([&](const std::string& name,
                        const std::shared_ptr<Module>& module) { function(name, *module); },
                    name_prefix);
}

void Module::apply(const ModulePointerApplyFunction& function) const {
  function(std::const_pointer_cast<Module>(shared_from_this()));
  visit_descendants(
      [&](const std::string&, const std::shared_ptr<Module>& module) { function(module); }, {});
}

OrderedDict<std::string, Tensor> Module::named_parameters(bool recurse) const {
  OrderedDict<std::string, Tensor> result("Parameter");
  const auto collect = [&](const std::string& prefix, const Module& module) {
    for (const auto& parameter : module.parameters_) {
      if (parameter.value().defined())
        result.insert(join(prefix, parameter.key()), parameter.value());
    }
  };
  if (recurse) {
    apply(collect);
  } else {
    collect({}, *this);
  }
  return result;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  return named_parameters(recurse).values();
}

OrderedDict<std::string, Tensor> Module::named_buffers(bool recurse) const {
  OrderedDict<std::string, Tensor> result("Buffer");
  const auto collect = [&](const std::string& prefix, const Module& module) {
    for (const auto& buffer : module.buffers_) {
      if (buffer.value().defined()) result.insert(join(prefix, buffer.key()), buffer.value());
    }
  };
  if (recurse) {
    apply(collect);
  } else {
    collect({}, *this);
  }
  return result;
}

std::vector<Tensor> Module::buffers(bool recurse) const { return named_buffers(recurse).values(); }

OrderedDict<std::string, std::shared_ptr<Module>> Module::named_modules(
    const std::string& name_prefix, bool include_self) const {
  OrderedDict<std::string, std::shared_ptr<Module>> result("Module");
  if (include_self) {
    result.insert(name_prefix, std::const_pointer_cast<Module>(shared_from_this()));
  }
  visit_descendants(
      [&](const std::string& name, const std::shared_ptr<Module>& module) {
        // A module registered twice appears once, under its first name (as PyTorch's).
        for (const auto& seen : result) {
          if (seen.value() == module) return;
        }
        result.insert(name, module);
      },
      name_prefix);
  return result;
}

std::vector<std::shared_ptr<Module>> Module::modules(bool include_self) const {
  return named_modules({}, include_self).values();
}

OrderedDict<std::string, std::shared_ptr<Module>> Module::named_children() const {
  return children_;
}

std::vector<std::shared_ptr<Module>> Module::children() const { return children_.values(); }

void Module::train(bool on) {
  for (auto& child : children_) child.value()->train(on);
  is_training_ = on;
}

void Module::zero_grad(bool set_to_none) {
  for (Tensor& parameter : parameters()) {
    Tensor& grad = parameter.mutable_grad();
    if (!grad.defined()) continue;
    if (set_to_none) {
      grad = Tensor();
    } else {
      grad.detach_();
      grad.zero_();
    }
  }
}

namespace {

// One tensor of Module::to: floating-point tensors take `dtype` (when given); every tensor moves
// to `device`.
void convert_in_place(const Tensor& tensor, Device device, std::optional<ScalarType> dtype,
                      bool non_blocking) {
  if (!tensor.defined()) return;
  const ScalarType target =
      dtype.has_value() && tensor.is_floating_point() ? *dtype : tensor.dtype();
  if (target == tensor.dtype() && device == tensor.device()) return;
  autograd::NoGradGuard no_grad;
  tensor.set_data(tensor.to(device, target, non_blocking));
}

// As Python's Module.to: converting a model to an integer dtype is a mistake, not a request.
void check_floating_target(ScalarType dtype) {
  EMBER_CHECK_TYPE(is_floating_point(dtype),
                   "[Module.to] nn.Module.to only accepts floating point dtypes, but got "
                   "desired dtype=",
                   dtype);
}

}  // namespace

void Module::to(Device device, ScalarType dtype, bool non_blocking) {
  check_floating_target(dtype);
  apply([&](Module& module) { module.convert(device, dtype, non_blocking); });
}

void Module::to(ScalarType dtype, bool non_blocking) {
  check_floating_target(dtype);
  apply([&](Module& module) { module.convert(std::nullopt, dtype, non_blocking); });
}

void Module::to(Device device, bool non_blocking) {
  apply([&](Module& module) { module.convert(device, std::nullopt, non_blocking); });
}

void Module::convert(std::optional<Device> device, std::optional<ScalarType> dtype,
                     bool non_blocking) {
  for (const auto& item : parameters_) {
    const Tensor& parameter = item.value();
    if (!parameter.defined()) continue;
    const Device target_device = device.value_or(parameter.device());
    convert_in_place(parameter, target_device, dtype, non_blocking);
    convert_in_place(parameter.grad(), target_device, dtype, non_blocking);
  }
  for (const auto& item : buffers_) {
    const Tensor& buffer = item.value();
    if (!buffer.defined()) continue;
    convert_in_place(buffer, device.value_or(buffer.device()), dtype, non_blocking);
  }
}

void Module::pretty_print(std::ostream& stream) const { stream << name(); }

void Module::pretty_print_recursive(std::ostream& stream, const std::string& indentation) const {
  pretty_print(stream);
  if (children_.is_empty()) return;
  stream << "(\n";
  const std::string inner = indentation + "  ";
  for (const auto& child : children_) {
    stream << inner << "(" << child.key() << "): ";
    child.value()->pretty_print_recursive(stream, inner);
    stream << "\n";
  }
  stream << indentation << ")";
}

std::ostream& operator<<(std::ostream& stream, const Module& module) {
  module.pretty_print_recursive(stream, "");
  return stream;
}

Tensor& Module::register_parameter(std::string name, Tensor tensor, bool requires_grad) {
  check_name(name, "Parameter");
  // An undefined tensor stands for an absent parameter (Linear's bias with bias(false)).
  if (tensor.defined()) tensor.set_requires_grad(requires_grad);
  return parameters_.insert(std::move(name), std::move(tensor));
}

Tensor& Module::register_buffer(std::string name, Tensor tensor) {
  check_name(name, "Buffer");
  return buffers_.insert(std::move(name), std::move(tensor));
}

void Module::add_child(std::string name, std::shared_ptr<Module> module) {
  check_name(name, "Submodule");
  EMBER_CHECK(module != nullptr, "[Module] Submodule '", name, "' is null");
  children_.insert(std::move(name), std::move(module));
}

void Module::unregister_module(const std::string& name) {
  EMBER_CHECK(children_.contains(name), "[Module] No Module with name '", name, "' is registered");
  children_.erase(name);
}

}  // namespace ember::nn
