// libtorch's AnyValue and AnyModule: a module of any type behind one handle whose forward takes
// and returns values of any type, checked at run time. Transformer's custom_encoder and
// custom_decoder options hold their modules this way. A module whose forward has trailing
// arguments with defaults declares them with FORWARD_HAS_DEFAULT_ARGS, so that AnyModule can call
// it with fewer arguments (C++ default arguments are not part of a function's type).
#pragma once

#include <algorithm>
#include <any>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "ember/autograd/function.h"
#include "ember/base/error.h"
#include "ember/nn/module.h"
#include "ember/nn/pimpl.h"

namespace ember::nn {
// One value of any copyable type; get<T>() checks the type.
class AnyValue {
 public:
  template <typename T, typename = std::enable_if_t<!std::is_same_v<std::decay_t<T>, AnyValue>>>
  explicit AnyValue(T&& value) : value_(std::forward<T>(value)) {}

  template <typename T>
  T* try_get() noexcept {
    return std::any_cast<T>(&value_);
  }
  template <typename T>
  const T* try_get() const noexcept {
    return std::any_cast<T>(&value_);
  }
  template <typename T>
  T get() const {
    const T* value = try_get<T>();
    EMBER_CHECK_TYPE(value != nullptr, "[AnyValue] attempted to cast an AnyValue holding ",
                     autograd::demangle_type_name(value_.type()), " to ",
                     autograd::demangle_type_name(typeid(T)));
    return *value;
  }
  const std::type_info& type_info() const noexcept { return value_.type(); }

 private:
  std::any value_;
};

// In a module's class: the positions and values of forward's trailing default arguments, e.g.
// FORWARD_HAS_DEFAULT_ARGS({1, AnyValue(Tensor())}, {2, AnyValue(std::optional<bool>())}).
#define FORWARD_HAS_DEFAULT_ARGS(...)                                                    \
  template <typename>                                                                    \
  friend struct ::ember::nn::detail::ForwardDefaults;                                    \
  static std::vector<std::pair<size_t, ::ember::nn::AnyValue>> _forward_default_args() { \
    return {__VA_ARGS__};                                                                \
  }

namespace detail {

template <typename Method>
struct ForwardSignature;
template <typename Class, typename Return, typename... Args>
struct ForwardSignature<Return (Class::*)(Args...)> {
  using Result = Return;
  using Arguments = std::tuple<std::decay_t<Args>...>;
};
template <typename Class, typename Return, typename... Args>
struct ForwardSignature<Return (Class::*)(Args...) const>
    : ForwardSignature<Return (Class::*)(Args...)> {};
template <typename Class, typename Return, typename... Args>
struct ForwardSignature<Return (Class::*)(Args...) noexcept>
    : ForwardSignature<Return (Class::*)(Args...)> {};
template <typename Class, typename Return, typename... Args>
struct ForwardSignature<Return (Class::*)(Args...) const noexcept>
    : ForwardSignature<Return (Class::*)(Args...)> {};

// Checks the number of arguments given to M's forward and appends the declared defaults of the
// missing trailing ones. A friend of M (FORWARD_HAS_DEFAULT_ARGS), so the declaration may be
// protected, as in libtorch.
template <typename M>
struct ForwardDefaults {
  template <typename T>
  static auto declared(int) -> decltype(T::_forward_default_args(), std::true_type{});
  template <typename T>
  static std::false_type declared(...);
  static constexpr bool has_defaults = decltype(declared<M>(0))::value;

  static void complete(std::vector<AnyValue>& arguments, size_t arity, const std::string& name) {
    const size_t given = arguments.size();
    size_t required = arity;
    std::vector<std::pair<size_t, AnyValue>> defaults;
    if constexpr (has_defaults) defaults = M::_forward_default_args();
    for (const auto& entry : defaults) required = std::min(required, entry.first);
    EMBER_CHECK_TYPE(given >= required && given <= arity, "[AnyModule] ", name,
                     "'s forward() expects ",
                     required == arity ? std::to_string(arity)
                                       : std::to_string(required) + " to " + std::to_string(arity),
                     " arguments; got ", given);
    if (given == arity) return;
    arguments.resize(arity, AnyValue(nullptr));
    for (auto& [position, value] : defaults) {
      if (position >= given && position < arity) arguments[position] = std::move(value);
    }
  }
};

template <typename T>
T argument_as(AnyValue& argument, size_t index, const std::string& name) {
  T* value = argument.try_get<T>();
  EMBER_CHECK_TYPE(value != nullptr, "[AnyModule] expected argument #", index, " of ", name,
                   "'s forward() to be of type ", autograd::demangle_type_name(typeid(T)), "; got ",
                   autograd::demangle_type_name(argument.type_info()));
  return std::move(*value);
}

template <typename M, typename Arguments, size_t... I>
AnyValue call_forward(M& module, std::vector<AnyValue>& arguments, std::index_sequence<I...>) {
  return AnyValue(module.forward(
      argument_as<std::tuple_element_t<I, Arguments>>(arguments[I], I, module.name())...));
}

}  // namespace detail

// A module of any type: AnyModule(Linear(3, 4)), AnyModule(std::make_shared<MyModule>()).
// forward<R>(args...) calls the module's forward with exactly typed arguments (a Tensor, not a
// Tensor convertible; a std::optional<bool>, not a bool) and returns its result as R.
class AnyModule {
 public:
  AnyModule() = default;
  template <typename M, typename = std::enable_if_t<std::is_base_of_v<Module, M>>>
  explicit AnyModule(std::shared_ptr<M> module) {
    set(std::move(module));
  }
  template <typename M, typename = std::enable_if_t<std::is_base_of_v<Module, std::decay_t<M>>>>
  explicit AnyModule(M&& module) {
    set(std::make_shared<std::decay_t<M>>(std::forward<M>(module)));
  }
  template <typename M>
  explicit AnyModule(const ModuleHolder<M>& holder) {
    set(holder.ptr());
  }

  template <typename... Args>
  AnyValue any_forward(Args&&... args) {
    EMBER_CHECK(!is_empty(), "[AnyModule] cannot call forward() on an empty AnyModule");
    std::vector<AnyValue> arguments;
    arguments.reserve(sizeof...(Args));
    (arguments.emplace_back(std::forward<Args>(args)), ...);
    return forward_(arguments);
  }
  template <typename Return = Tensor, typename... Args>
  Return forward(Args&&... args) {
    return any_forward(std::forward<Args>(args)...).template get<Return>();
  }

  // The module as its own type; a wrong type is a TypeError.
  template <typename M>
  M& get() const {
    return *ptr<M>();
  }
  template <typename M>
  std::shared_ptr<M> ptr() const {
    EMBER_CHECK(!is_empty(), "[AnyModule] the AnyModule is empty");
    auto module = std::dynamic_pointer_cast<M>(module_);
    EMBER_CHECK_TYPE(module != nullptr, "[AnyModule] attempted to cast a module of type ",
                     autograd::demangle_type_name(type_info()), " to ",
                     autograd::demangle_type_name(typeid(M)));
    return module;
  }
  const std::shared_ptr<Module>& ptr() const noexcept { return module_; }
  bool is_empty() const noexcept { return module_ == nullptr; }
  const std::type_info& type_info() const noexcept { return *type_; }

 private:
  template <typename M>
  void set(std::shared_ptr<M> module) {
    EMBER_CHECK_VALUE(module != nullptr, "[AnyModule] expected a module; got a null pointer");
    using Signature = detail::ForwardSignature<decltype(&M::forward)>;
    using Arguments = typename Signature::Arguments;
    static_assert(!std::is_void_v<typename Signature::Result>,
                  "AnyModule needs a forward() that returns a value");
    constexpr size_t arity = std::tuple_size_v<Arguments>;
    M* raw = module.get();
    forward_ = [raw](std::vector<AnyValue>& arguments) {
      detail::ForwardDefaults<M>::complete(arguments, arity, raw->name());
      return detail::call_forward<M, Arguments>(*raw, arguments, std::make_index_sequence<arity>{});
    };
    type_ = &typeid(M);
    module_ = std::move(module);
  }

  std::shared_ptr<Module> module_;
  std::function<AnyValue(std::vector<AnyValue>&)> forward_;
  const std::type_info* type_ = &typeid(void);
};

}  // namespace ember::nn
