// libtorch's ModuleHolder and TORCH_MODULE: `EMBER_MODULE(Linear)` makes `Linear` a holder of
// std::shared_ptr<LinearImpl>, constructible from LinearImpl's arguments (Linear(3, 4),
// Linear(LinearOptions(3, 4).bias(false))), with `->` access, call syntax for forward
// (linear(x)), and `Linear linear = nullptr;` for an empty one.
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <type_traits>
#include <utility>

#include "ember/base/error.h"

namespace ember::nn {

template <typename Contained>
class ModuleHolder {
 public:
  using ContainedType = Contained;

  // Default-constructs the module; a module without a default constructor must be given
  // arguments or `nullptr`.
  ModuleHolder() : impl_(make_default()) {}
  ModuleHolder(std::nullptr_t) : impl_(nullptr) {}  // NOLINT: `Linear linear = nullptr;`
  // A lone argument that is a holder of this type or a pointer goes to the copy and pointer
  // constructors instead.
  template <typename Head, typename... Tail,
            typename = std::enable_if_t<
                !(std::is_same_v<std::decay_t<Head>, std::nullptr_t> ||
                  (sizeof...(Tail) == 0 &&
                   (std::is_same_v<std::decay_t<Head>, std::shared_ptr<Contained>> ||
                    std::is_base_of_v<ModuleHolder, std::decay_t<Head>>)))>>
  explicit ModuleHolder(Head&& head, Tail&&... tail)
      : impl_(std::make_shared<Contained>(std::forward<Head>(head), std::forward<Tail>(tail)...)) {}
  ModuleHolder(std::shared_ptr<Contained> module)  // NOLINT: implicit, as libtorch's
      : impl_(std::move(module)) {}

  explicit operator bool() const noexcept { return !is_empty(); }
  bool is_empty() const noexcept { return impl_ == nullptr; }

  Contained* operator->() { return get(); }
  const Contained* operator->() const { return get(); }
  Contained& operator*() { return *get(); }
  const Contained& operator*() const { return *get(); }
  const std::shared_ptr<Contained>& ptr() const {
    check_not_empty();
    return impl_;
  }
  Contained* get() {
    check_not_empty();
    return impl_.get();
  }
  const Contained* get() const {
    check_not_empty();
    return impl_.get();
  }

  // module(args...) calls module->forward(args...).
  template <typename... Args>
  decltype(auto) operator()(Args&&... args) {
    return get()->forward(std::forward<Args>(args)...);
  }
  // module[i] indexes the module (Sequential, ModuleList, ModuleDict, ParameterList, ...).
  template <typename Arg>
  decltype(auto) operator[](Arg&& arg) {
    return (*get())[std::forward<Arg>(arg)];
  }

 protected:
  std::shared_ptr<Contained> impl_;

 private:
  static std::shared_ptr<Contained> make_default() {
    static_assert(std::is_default_constructible_v<Contained>,
                  "This module has no default constructor: give it its arguments, or nullptr "
                  "for an empty holder (`Linear linear = nullptr;`, not `Linear linear;`)");
    return std::make_shared<Contained>();
  }
  void check_not_empty() const {
    EMBER_CHECK(impl_ != nullptr,
                "[ModuleHolder] Accessing an empty ModuleHolder: construct it "
                "with arguments or assign a module to it first");
  }
};

template <typename Contained>
std::ostream& operator<<(std::ostream& stream, const ModuleHolder<Contained>& module) {
  return stream << *module;
}

}  // namespace ember::nn

// libtorch's TORCH_MODULE_IMPL / TORCH_MODULE.
#define EMBER_MODULE_IMPL(Name, ImplType)                    \
  class Name : public ::ember::nn::ModuleHolder<ImplType> {  \
   public:                                                   \
    using ::ember::nn::ModuleHolder<ImplType>::ModuleHolder; \
    using Impl = ImplType;                                   \
  }

#define EMBER_MODULE(Name) EMBER_MODULE_IMPL(Name, Name##Impl)
