// out= in bindings (the contract lives in C++, ember/ops/out.h). Adding out= to a binding is one
// wrap and one keyword:
//   module.def("mm", with_out("mm", &ember::mm), nb::arg("input"), nb::arg("mat2"),
//              nb::kw_only(), nb::arg("out") = nb::none(),
//              nb::sig("def mm(input, mat2, *, out=None) -> Tensor"), "...");
// with_out(op, f) is f with a trailing `out` parameter: f's result when out is None; else the
// checks run before f (device, autograd), f's result is written into out (cast rule, resize,
// overlap) and out itself is returned, as PyTorch does. When f returns a named tuple of tensors
// (sort's values and indices), out is a tuple or list of as many (out_multi.h). The tensors among
// f's arguments (Tensor parameters, handles holding a tensor or a list or tuple of them) are the
// inputs the overlap check compares out with.
#pragma once

#include <nanobind/nanobind.h>

#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "convert.h"
#include "ember/ops/out.h"
#include "out_multi.h"

namespace ember::python {

// The tensor passed as out= (a TypeError for anything else).
Tensor& out_tensor(std::string_view op, nb::handle out);

namespace detail {

inline void collect_input(std::vector<Tensor>& inputs, const Tensor& tensor) {
  inputs.push_back(tensor);
}
// A handle holding a tensor, or a list or tuple of them (cat's, stack's, multi_dot's tensors).
inline void collect_input(std::vector<Tensor>& inputs, nb::handle object) {
  if (nb::isinstance<Tensor>(object)) {
    inputs.push_back(nb::cast<const Tensor&>(object));
  } else if (nb::isinstance<nb::list>(object) || nb::isinstance<nb::tuple>(object)) {
    for (nb::handle item : object) {
      if (nb::isinstance<Tensor>(item)) inputs.push_back(nb::cast<const Tensor&>(item));
    }
  }
}
inline void collect_input(std::vector<Tensor>& inputs, const std::vector<Tensor>& tensors) {
  inputs.insert(inputs.end(), tensors.begin(), tensors.end());
}
template <typename T>
void collect_input(std::vector<Tensor>&, const T&) {}  // numbers, dims, dtypes, options

template <typename F, typename... Args>
auto add_out_parameter(const char* op, F f) {
  return [op, f = std::move(f)](Args... args, nb::handle out) -> nb::object {
    if (out.is_none()) return nb::cast(f(std::forward<Args>(args)...));
    std::vector<Tensor> inputs;
    (collect_input(inputs, args), ...);
    if constexpr (std::is_convertible_v<decltype(f(std::forward<Args>(args)...)), Tensor>) {
      Tensor& target = out_tensor(op, out);
      check_out(op, target, inputs);
      write_out(op, f(std::forward<Args>(args)...), target, inputs);
      return nb::borrow(out);
    } else {  // a tuple of results, or a tensor or a tuple by the arguments (median's dim)
      check_out_argument(op, out, inputs);
      const nb::object result = nb::cast(f(std::forward<Args>(args)...));
      return write_out_argument(op, result, out, inputs);
    }
  };
}

template <typename F, typename R, typename C, typename... Args>
auto with_out_of(const char* op, F f, R (C::*)(Args...) const) {
  return add_out_parameter<F, Args...>(op, std::move(f));
}

}  // namespace detail

template <typename F>
auto with_out(const char* op, F f) {
  return detail::with_out_of(op, std::move(f), &F::operator());
}
template <typename R, typename... Args>
auto with_out(const char* op, R (*f)(Args...)) {
  return detail::add_out_parameter<R (*)(Args...), Args...>(op, f);
}

// A factory's result written into out= (or returned without one). Factories have no inputs;
// their dtype defaults to out's (see out_dtype_or).
nb::object factory_out(std::string_view op, nb::handle out, Tensor result);
// The dtype a factory builds in: `dtype` when given, else out's when there is one.
nb::object out_dtype_or(nb::handle dtype, nb::handle out);

}  // namespace ember::python
