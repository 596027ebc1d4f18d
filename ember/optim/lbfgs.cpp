// The LBFGS optimizer (lbfgs.h): PyTorch's algorithm (torch.optim.LBFGS, after minFunc) on the
// parameters flattened into one vector, with its strong-Wolfe line search.
#include "ember/optim/lbfgs.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"
#include "ember/optim/option_values.h"

namespace ember::optim {

namespace {

double dot_value(const Tensor& a, const Tensor& b) { return a.dot(b).item<double>(); }
double max_abs(const Tensor& a) { return a.numel() == 0 ? 0.0 : a.abs().max().item<double>(); }

// The parameters' gradients as one vector (zeros for a parameter without one).
Tensor gather_flat_grad(const std::vector<Tensor>& params) {
  std::vector<Tensor> flat;
  for (const Tensor& param : params) {
    const Tensor grad = param.grad();
    flat.push_back(grad.defined() ? grad.detach().reshape({-1})
                                  : zeros({param.numel()}, param.options()));
  }
  return cat(flat);
}

// p += step * d, d cut into the parameters' shapes.
void add_to_params(const std::vector<Tensor>& params, double step, const Tensor& direction) {
  int64_t offset = 0;
  for (const Tensor& param : params) {
    const int64_t count = param.numel();
    param.detach().add_(direction.narrow(0, offset, count).view_as(param), step);
    offset += count;
  }
}

std::vector<Tensor> clone_params(const std::vector<Tensor>& params) {
  std::vector<Tensor> copies;
  for (const Tensor& param : params) copies.push_back(param.detach().clone());
  return copies;
}

void set_params(const std::vector<Tensor>& params, const std::vector<Tensor>& values) {
  for (size_t i = 0; i < params.size(); ++i) params[i].detach().copy_(values[i]);
}

// The minimizer of the cubic interpolating (x1, f1, g1) and (x2, f2, g2), clamped into
// [low, high]; the midpoint when the cubic has no minimum.
double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2,
                         double low, double high) {
  const double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
  const double d2_square = d1 * d1 - g1 * g2;
  if (d2_square < 0) return (low + high) / 2;
  const double d2 = std::sqrt(d2_square);
  const double minimum = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                                  : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
  return std::min(std::max(minimum, low), high);
}

double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2) {
  return cubic_interpolate(x1, f1, g1, x2, f2, g2, std::min(x1, x2), std::max(x1, x2));
}

// A point of the line search: step, loss, flat gradient and directional derivative.
struct LinePoint {
  double t, f;
  Tensor g;
  double gtd;
};

struct LineSearchResult {
  double loss;
  Tensor flat_grad;
  double t;
  int64_t evaluations;
};

// Finds a step t along d satisfying the strong Wolfe conditions (c1 = 1e-4, c2 = 0.9, at most
// 25 evaluations): bracketing, then zoom by safeguarded cubic interpolation. `evaluate(t)`
// returns the loss and flat gradient at x + t d and leaves the parameters at x.
LineSearchResult strong_wolfe(const std::function<std::pair<double, Tensor>(double)>& evaluate,
                              double t, const Tensor& d, double f, const Tensor& g, double gtd,
                              double tolerance_change) {
  constexpr double c1 = 1e-4, c2 = 0.9;
  constexpr int64_t max_ls = 25;
  const double d_norm = max_abs(d);
  auto [f_new, g_new] = evaluate(t);
  int64_t evaluations = 1;
  double gtd_new = dot_value(g_new, d);
  LinePoint previous{0, f, g.clone(), gtd};
  std::vector<LinePoint> bracket;
  bool done = false;
  int64_t ls_iter = 0;
  while (ls_iter < max_ls) {
    if (f_new > f + c1 * t * gtd || (ls_iter > 1 && f_new >= previous.f)) {
      bracket = {previous, {t, f_new, g_new.clone(), gtd_new}};
      break;
    }
    if (std::abs(gtd_new) <= -c2 * gtd) {
      bracket = {{t, f_new, g_new, gtd_new}};
      done = true;
      break;
    }
    if (gtd_new >= 0) {
      bracket = {previous, {t, f_new, g_new.clone(), gtd_new}};
      break;
    }
    const double min_step = t + 0.01 * (t - previous.t);
    const double max_step = t * 10;
    const double next = cubic_interpolate(previous.t, previous.f, previous.gtd, t, f_new, gtd_new,
                                          min_step, max_step);
    previous = {t, f_new, g_new.clone(), gtd_new};
    t = next;
    std::tie(f_new, g_new) = evaluate(t);
    ++evaluations;
    gtd_new = dot_value(g_new, d);
    ++ls_iter;
  }
  if (ls_iter == max_ls) bracket = {{0, f, g, gtd}, {t, f_new, g_new, gtd_new}};

  // Zoom: shrink the bracket until a point satisfies the conditions.
  bool insufficient_progress = false;
  size_t low = 0, high = 1;
  if (bracket.size() == 2 && bracket[0].f > bracket[1].f) std::swap(low, high);
  while (!done && ls_iter < max_ls) {
    if (std::abs(bracket[1].t - bracket[0].t) * d_norm < tolerance_change) break;
    t = cubic_interpolate(bracket[0].t, bracket[0].f, bracket[0].gtd, bracket[1].t, bracket[1].f,
                          bracket[1].gtd);
    const double top = std::max(bracket[0].t, bracket[1].t);
    const double bottom = std::min(bracket[0].t, bracket[1].t);
    const double eps = 0.1 * (top - bottom);
    if (std::min(top - t, t - bottom) < eps) {
      // Too close to an end: move away from it, or note the lack of progress first.
      if (insufficient_progress || t >= top || t <= bottom) {
        t = std::abs(t - top) < std::abs(t - bottom) ? top - eps : bottom + eps;
        insufficient_progress = false;
      } else {
        insufficient_progress = true;
      }
    } else {
      insufficient_progress = false;
    }
    std::tie(f_new, g_new) = evaluate(t);
    ++evaluations;
    gtd_new = dot_value(g_new, d);
    ++ls_iter;
    if (f_new > f + c1 * t * gtd || f_new >= bracket[low].f) {
      bracket[high] = {t, f_new, g_new.clone(), gtd_new};
      low = bracket[0].f <= bracket[1].f ? 0 : 1;
      high = 1 - low;
    } else {
      if (std::abs(gtd_new) <= -c2 * gtd) {
        done = true;
      } else if (gtd_new * (bracket[high].t - bracket[low].t) >= 0) {
        bracket[high] = bracket[low];
      }
      bracket[low] = {t, f_new, g_new.clone(), gtd_new};
    }
  }
  const LinePoint& chosen = bracket[bracket.size() == 1 ? 0 : low];
  return {chosen.f, chosen.g, chosen.t, evaluations};
}

void check_options(const LBFGSOptions& options) {
  EMBER_CHECK_VALUE(options.lr() >= 0, "[LBFGS] Invalid learning rate: ", options.lr());
  EMBER_CHECK_VALUE(options.max_iter() > 0, "[LBFGS] expected max_iter > 0; got ",
                    options.max_iter());
  EMBER_CHECK_VALUE(options.history_size() > 0, "[LBFGS] expected history_size > 0; got ",
                    options.history_size());
  EMBER_CHECK_VALUE(!options.line_search_fn() || *options.line_search_fn() == "strong_wolfe",
                    "[LBFGS] only 'strong_wolfe' is supported as line_search_fn; got '",
                    options.line_search_fn().value_or(""), "'");
}

}  // namespace

namespace detail {

Tensor lbfgs_step(const std::vector<Tensor>& params, const std::function<Tensor()>& closure,
                  const LBFGSOptions& options, LBFGSParamState& state) {
  check_options(options);
  EMBER_CHECK_VALUE(static_cast<bool>(closure),
                    "[LBFGS.step] expected a closure that "
                    "re-evaluates the model and returns the loss; got none");
  const auto evaluate_loss = [&] {
    EnableGradGuard enable_grad;
    return closure();
  };
  NoGradGuard no_grad;
  const double lr = options.lr();
  const double tolerance_grad = options.tolerance_grad();
  const double tolerance_change = options.tolerance_change();
  const int64_t max_iter = options.max_iter();
  const int64_t max_eval = options.max_eval().value_or(max_iter * 5 / 4);

  const Tensor original_loss = evaluate_loss();
  double loss = original_loss.item<double>();
  int64_t current_evals = 1;
  state.func_evals(state.func_evals() + 1);
  Tensor flat_grad = gather_flat_grad(params);
  if (max_abs(flat_grad) <= tolerance_grad) return original_loss;

  Tensor d = state.d();
  double t = state.t();
  Tensor prev_flat_grad = state.prev_flat_grad();
  double prev_loss = state.prev_loss();
  int64_t n_iter = 0;
  while (n_iter < max_iter) {
    ++n_iter;
    state.n_iter(state.n_iter() + 1);
    if (state.n_iter() == 1) {
      d = flat_grad.neg();
      state.old_dirs().clear();
      state.old_stps().clear();
      state.ro().clear();
      state.H_diag(1);
    } else {
      // Update the curvature history with y = g - g_prev, s = t d (when y.s is positive).
      const Tensor y = flat_grad.sub(prev_flat_grad);
      const Tensor s = d.mul(t);
      const double ys = dot_value(y, s);
      if (ys > 1e-10) {
        if (static_cast<int64_t>(state.old_dirs().size()) == options.history_size()) {
          state.old_dirs().pop_front();
          state.old_stps().pop_front();
          state.ro().pop_front();
        }
        state.old_dirs().push_back(y);
        state.old_stps().push_back(s);
        state.ro().push_back(1.0 / ys);
        state.H_diag(ys / dot_value(y, y));
      }
      // The two-loop recursion: d = -H g.
      const size_t count = state.old_dirs().size();
      std::vector<double> alpha(count);
      Tensor q = flat_grad.neg();
      for (size_t i = count; i-- > 0;) {
        alpha[i] = dot_value(state.old_stps()[i], q) * state.ro()[i];
        q.add_(state.old_dirs()[i], -alpha[i]);
      }
      d = q.mul(state.H_diag());
      for (size_t i = 0; i < count; ++i) {
        const double beta = dot_value(state.old_dirs()[i], d) * state.ro()[i];
        d.add_(state.old_stps()[i], alpha[i] - beta);
      }
    }
    prev_flat_grad = flat_grad.clone();
    prev_loss = loss;
    // The first step is scaled down by the gradient's size.
    t = state.n_iter() == 1 ? std::min(1.0, 1.0 / flat_grad.abs().sum().item<double>()) * lr : lr;
    const double gtd = dot_value(flat_grad, d);
    if (gtd > -tolerance_change) break;  // not a descent direction

    int64_t ls_func_evals = 0;
    bool optimal = false;
    if (options.line_search_fn()) {
      const std::vector<Tensor> x_init = clone_params(params);
      const auto evaluate_at = [&](double step) {
        add_to_params(params, step, d);
        const double value = evaluate_loss().item<double>();
        Tensor gradient = gather_flat_grad(params).clone();
        set_params(params, x_init);
        return std::make_pair(value, gradient);
      };
      LineSearchResult found =
          strong_wolfe(evaluate_at, t, d, loss, flat_grad, gtd, tolerance_change);
      loss = found.loss;
      flat_grad = found.flat_grad;
      t = found.t;
      ls_func_evals = found.evaluations;
      add_to_params(params, t, d);
      optimal = max_abs(flat_grad) <= tolerance_grad;
    } else {
      add_to_params(params, t, d);
      if (n_iter != max_iter) {
        loss = evaluate_loss().item<double>();
        flat_grad = gather_flat_grad(params);
        optimal = max_abs(flat_grad) <= tolerance_grad;
        ls_func_evals = 1;
      }
    }
    current_evals += ls_func_evals;
    state.func_evals(state.func_evals() + ls_func_evals);

    if (n_iter == max_iter || current_evals >= max_eval || optimal) break;
    if (max_abs(d.mul(t)) <= tolerance_change) break;  // the step barely moves
    if (std::abs(loss - prev_loss) < tolerance_change) break;
  }
  state.d(d);
  state.t(t);
  state.prev_flat_grad(prev_flat_grad);
  state.prev_loss(prev_loss);
  return original_loss;
}

}  // namespace detail

OptimizerOptionMap LBFGSOptions::values() const {
  OptimizerOptionMap values{{"lr", lr()},
                            {"max_iter", max_iter()},
                            {"max_eval", max_eval().value_or(max_iter() * 5 / 4)},
                            {"tolerance_grad", tolerance_grad()},
                            {"tolerance_change", tolerance_change()},
                            {"history_size", history_size()}};
  if (line_search_fn()) {
    values["line_search_fn"] = *line_search_fn();
  } else {
    values["line_search_fn"] = std::monostate{};
  }
  return values;
}

void LBFGSOptions::set_values(const OptimizerOptionMap& values) {
  detail::read_option(values, "lr", lr_);
  detail::read_option(values, "max_iter", max_iter_);
  int64_t max_evaluations = max_eval_.value_or(max_iter_ * 5 / 4);
  detail::read_option(values, "max_eval", max_evaluations);
  max_eval_ = max_evaluations;
  detail::read_option(values, "tolerance_grad", tolerance_grad_);
  detail::read_option(values, "tolerance_change", tolerance_change_);
  detail::read_option(values, "history_size", history_size_);
  detail::read_option(values, "line_search_fn", line_search_fn_);
}

std::map<std::string, Tensor> LBFGSParamState::tensors() const {
  std::map<std::string, Tensor> result{
      {"func_evals", scalar_tensor(static_cast<double>(func_evals()), kInt64)},
      {"n_iter", scalar_tensor(static_cast<double>(n_iter()), kInt64)},
      {"t", scalar_tensor(t(), kFloat64)},
      {"prev_loss", scalar_tensor(prev_loss(), kFloat64)},
      {"H_diag", scalar_tensor(H_diag(), kFloat64)}};
  if (d().defined()) result["d"] = d();
  if (prev_flat_grad().defined()) result["prev_flat_grad"] = prev_flat_grad();
  return result;
}

void LBFGSParamState::set_tensors(const std::map<std::string, Tensor>& tensors) {
  const auto get = [&](const char* name) {
    const auto found = tensors.find(name);
    return found == tensors.end() ? Tensor() : found->second;
  };
  if (get("func_evals").defined()) func_evals(get("func_evals").item<int64_t>());
  if (get("n_iter").defined()) n_iter(get("n_iter").item<int64_t>());
  if (get("t").defined()) t(get("t").item<double>());
  if (get("prev_loss").defined()) prev_loss(get("prev_loss").item<double>());
  if (get("H_diag").defined()) H_diag(get("H_diag").item<double>());
  d(get("d"));
  prev_flat_grad(get("prev_flat_grad"));
}

std::map<std::string, std::vector<Tensor>> LBFGSParamState::tensor_lists() const {
  std::vector<Tensor> ro_tensors;
  for (const double value : ro()) ro_tensors.push_back(scalar_tensor(value, kFloat64));
  return {{"old_dirs", {old_dirs().begin(), old_dirs().end()}},
          {"old_stps", {old_stps().begin(), old_stps().end()}},
          {"ro", std::move(ro_tensors)}};
}

void LBFGSParamState::set_tensor_lists(const std::map<std::string, std::vector<Tensor>>& lists) {
  const auto get = [&](const char* name) {
    const auto found = lists.find(name);
    return found == lists.end() ? std::vector<Tensor>() : found->second;
  };
  const std::vector<Tensor> dirs = get("old_dirs"), stps = get("old_stps"), ros = get("ro");
  EMBER_CHECK_VALUE(dirs.size() == stps.size() && dirs.size() == ros.size(),
                    "[LBFGS.load_state_dict] expected old_dirs, old_stps and ro of one length; "
                    "got ",
                    dirs.size(), ", ", stps.size(), " and ", ros.size());
  old_dirs(std::deque<Tensor>(dirs.begin(), dirs.end()));
  old_stps(std::deque<Tensor>(stps.begin(), stps.end()));
  std::deque<double> values;
  for (const Tensor& value : ros) values.push_back(value.item<double>());
  ro(std::move(values));
}

LBFGS::LBFGS(std::vector<OptimizerParamGroup> param_groups, LBFGSOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<LBFGSOptions>(defaults)) {
  EMBER_CHECK_VALUE(param_groups_.size() == 1,
                    "[LBFGS] LBFGS doesn't support per-parameter options (parameter groups)");
  check_options(defaults);
}

LBFGS::LBFGS(std::vector<Tensor> params, LBFGSOptions defaults)
    : LBFGS(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))},
            std::move(defaults)) {}

Tensor LBFGS::step_impl(LossClosure closure) {
  OptimizerParamGroup& group = param_groups_.front();
  const auto* options = dynamic_cast<const LBFGSOptions*>(&group.options());
  EMBER_CHECK_TYPE(options != nullptr,
                   "[LBFGS.step] expected the group's options to be LBFGSOptions; got another "
                   "options class");
  EMBER_CHECK_VALUE(!group.params().empty(), "[LBFGS.step] expected parameters; got none");
  auto& slot = state_[state_key(group.params().front())];
  if (slot == nullptr) slot = std::make_unique<LBFGSParamState>();
  return detail::lbfgs_step(group.params(), closure, *options,
                            static_cast<LBFGSParamState&>(*slot));
}

std::unique_ptr<OptimizerParamState> LBFGS::make_param_state() const {
  return std::make_unique<LBFGSParamState>();
}

}  // namespace ember::optim
