// LBFGS's step (ember/optim/lbfgs.h) into ember._C._optim: Python's ember.optim.LBFGS passes its
// parameters, closure, options and state dict; the algorithm runs in C++ and writes the state
// back into the dict under PyTorch's keys.
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <deque>
#include <string>

#include "convert.h"
#include "ember/ops/ops.h"
#include "ember/optim/lbfgs.h"
#include "optim.h"

namespace ember::python {

namespace {

using ember::optim::LBFGSParamState;

LBFGSParamState state_from_dict(const nb::dict& state) {
  LBFGSParamState result;
  const auto get = [&](const char* key) {
    return state.contains(key) ? nb::object(state[key]) : nb::none();
  };
  const auto list_of_tensors = [&](const char* key) {
    std::deque<Tensor> tensors;
    if (!get(key).is_none()) {
      for (nb::handle item : nb::list(get(key))) tensors.push_back(nb::cast<Tensor>(item));
    }
    return tensors;
  };
  if (!get("func_evals").is_none()) result.func_evals(nb::cast<int64_t>(get("func_evals")));
  if (!get("n_iter").is_none()) result.n_iter(nb::cast<int64_t>(get("n_iter")));
  if (!get("t").is_none()) result.t(nb::cast<double>(get("t")));
  if (!get("prev_loss").is_none()) result.prev_loss(nb::cast<double>(get("prev_loss")));
  if (!get("H_diag").is_none()) result.H_diag(nb::cast<double>(get("H_diag")));
  if (!get("d").is_none()) result.d(nb::cast<Tensor>(get("d")));
  if (!get("prev_flat_grad").is_none()) {
    result.prev_flat_grad(nb::cast<Tensor>(get("prev_flat_grad")));
  }
  result.old_dirs(list_of_tensors("old_dirs"));
  result.old_stps(list_of_tensors("old_stps"));
  std::deque<double> ro;
  if (!get("ro").is_none()) {
    for (nb::handle item : nb::list(get("ro"))) ro.push_back(nb::cast<double>(item));
  }
  result.ro(ro);
  return result;
}

void state_to_dict(const LBFGSParamState& state, nb::dict& dict) {
  const auto list_of = [](const auto& values) {
    nb::list list;
    for (const auto& value : values) list.append(nb::cast(value));
    return list;
  };
  dict["func_evals"] = state.func_evals();
  dict["n_iter"] = state.n_iter();
  dict["t"] = state.t();
  dict["prev_loss"] = state.prev_loss();
  dict["H_diag"] = state.H_diag();
  dict["d"] = state.d().defined() ? nb::cast(state.d()) : nb::none();
  dict["prev_flat_grad"] =
      state.prev_flat_grad().defined() ? nb::cast(state.prev_flat_grad()) : nb::none();
  dict["old_dirs"] = list_of(state.old_dirs());
  dict["old_stps"] = list_of(state.old_stps());
  dict["ro"] = list_of(state.ro());
}

}  // namespace

void init_optim_lbfgs(nb::module_& optim) {
  optim.def(
      "_lbfgs_step",
      [](const std::vector<Tensor>& params, nb::callable closure, double lr, int64_t max_iter,
         int64_t max_eval, double tolerance_grad, double tolerance_change, int64_t history_size,
         std::optional<std::string> line_search_fn, nb::dict state) {
        auto options = ember::optim::LBFGSOptions(lr)
                           .max_iter(max_iter)
                           .max_eval(max_eval)
                           .tolerance_grad(tolerance_grad)
                           .tolerance_change(tolerance_change)
                           .history_size(history_size)
                           .line_search_fn(line_search_fn);
        LBFGSParamState lbfgs_state = state_from_dict(state);
        // The closure may return a tensor or a number, as PyTorch's.
        const auto evaluate = [&]() -> Tensor {
          nb::object loss = closure();
          if (nb::isinstance<Tensor>(loss)) return nb::cast<Tensor>(loss);
          return ember::scalar_tensor(nb::cast<double>(loss), kFloat64);
        };
        Tensor loss = ember::optim::detail::lbfgs_step(params, evaluate, options, lbfgs_state);
        state_to_dict(lbfgs_state, state);
        return loss;
      },
      nb::arg("params"), nb::arg("closure"), nb::arg("lr"), nb::arg("max_iter"),
      nb::arg("max_eval"), nb::arg("tolerance_grad"), nb::arg("tolerance_change"),
      nb::arg("history_size"), nb::arg("line_search_fn").none(), nb::arg("state"),
      nb::sig("def _lbfgs_step(params, closure, lr, max_iter, max_eval, tolerance_grad, "
              "tolerance_change, history_size, line_search_fn, state) -> Tensor"),
      "One LBFGS step (torch.optim.LBFGS's algorithm) over params, calling closure for the "
      "loss and gradients; reads and updates the state dict; returns the first loss.");
}

}  // namespace ember::python
