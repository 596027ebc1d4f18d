#include "ember/optim/schedulers/epoch_schedulers.h"

#include <string>
#include <utility>

#include "ember/base/error.h"
#include "ember/optim/schedulers/schedule_rules.h"

namespace ember::optim {

namespace {

// Applies rule(value) to each of the groups' values (current or base lrs).
template <typename Rule>
std::vector<double> each(const std::vector<double>& values, Rule rule) {
  std::vector<double> lrs;
  lrs.reserve(values.size());
  for (double value : values) lrs.push_back(rule(value));
  return lrs;
}

}  // namespace

LambdaLR::LambdaLR(Optimizer& optimizer, LrLambda lr_lambda)
    : LambdaLR(optimizer,
               std::vector<LrLambda>(optimizer.param_groups().size(), std::move(lr_lambda))) {}

LambdaLR::LambdaLR(Optimizer& optimizer, std::vector<LrLambda> lr_lambdas)
    : LambdaLR(optimizer, std::move(lr_lambdas), NoInitialStep{}) {
  initial_step();
}

LambdaLR::LambdaLR(Optimizer& optimizer, std::vector<LrLambda> lr_lambdas, NoInitialStep)
    : LRScheduler(optimizer), lr_lambdas_(std::move(lr_lambdas)) {
  EMBER_CHECK_VALUE(lr_lambdas_.size() == optimizer.param_groups().size(), "[LambdaLR] Expected ",
                    optimizer.param_groups().size(), " lr_lambdas (one per param group); got ",
                    lr_lambdas_.size());
}

std::vector<double> LambdaLR::get_lrs() {
  std::vector<double> lrs;
  for (size_t i = 0; i < base_lrs_.size(); ++i)
    lrs.push_back(schedule::lambda_lr(base_lrs_[i], lr_lambdas_[i](last_epoch_)));
  return lrs;
}

MultiplicativeLR::MultiplicativeLR(Optimizer& optimizer, LrLambda lr_lambda)
    : MultiplicativeLR(
          optimizer, std::vector<LrLambda>(optimizer.param_groups().size(), std::move(lr_lambda))) {
}

MultiplicativeLR::MultiplicativeLR(Optimizer& optimizer, std::vector<LrLambda> lr_lambdas)
    : LambdaLR(optimizer, std::move(lr_lambdas), NoInitialStep{}) {
  initial_step();
}

std::vector<double> MultiplicativeLR::get_lrs() {
  std::vector<double> lrs = get_current_lrs();
  for (size_t i = 0; i < lrs.size(); ++i) {
    // The lambda is not called at epoch 0, as PyTorch's.
    const double factor = last_epoch_ > 0 ? lr_lambdas_[i](last_epoch_) : 1.0;
    lrs[i] = schedule::multiplicative_lr(lrs[i], last_epoch_, factor);
  }
  return lrs;
}

StepLR::StepLR(Optimizer& optimizer, int64_t step_size, double gamma)
    : LRScheduler(optimizer), step_size_(step_size), gamma_(gamma) {
  initial_step();
}

std::vector<double> StepLR::get_lrs() {
  return each(get_current_lrs(),
              [&](double lr) { return schedule::step_lr(lr, last_epoch_, step_size_, gamma_); });
}

std::vector<double> StepLR::closed_form_lrs() {
  return each(base_lrs_, [&](double base_lr) {
    return schedule::step_lr_closed_form(base_lr, last_epoch_, step_size_, gamma_);
  });
}

MultiStepLR::MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, double gamma)
    : LRScheduler(optimizer), milestones_(std::move(milestones)), gamma_(gamma) {
  initial_step();
}

std::vector<double> MultiStepLR::get_lrs() {
  return each(get_current_lrs(), [&](double lr) {
    return schedule::multi_step_lr(lr, last_epoch_, milestones_, gamma_);
  });
}

std::vector<double> MultiStepLR::closed_form_lrs() {
  return each(base_lrs_, [&](double base_lr) {
    return schedule::multi_step_lr_closed_form(base_lr, last_epoch_, milestones_, gamma_);
  });
}

ConstantLR::ConstantLR(Optimizer& optimizer, double factor, int64_t total_iters)
    : LRScheduler(optimizer), factor_(factor), total_iters_(total_iters) {
  schedule::check_constant_lr(factor);
  initial_step();
}

std::vector<double> ConstantLR::get_lrs() {
  return each(get_current_lrs(), [&](double lr) {
    return schedule::constant_lr(lr, last_epoch_, factor_, total_iters_);
  });
}

std::vector<double> ConstantLR::closed_form_lrs() {
  return each(base_lrs_, [&](double base_lr) {
    return schedule::constant_lr_closed_form(base_lr, last_epoch_, factor_, total_iters_);
  });
}

LinearLR::LinearLR(Optimizer& optimizer, double start_factor, double end_factor,
                   int64_t total_iters)
    : LRScheduler(optimizer),
      start_factor_(start_factor),
      end_factor_(end_factor),
      total_iters_(total_iters) {
  schedule::check_linear_lr(start_factor, end_factor);
  initial_step();
}

std::vector<double> LinearLR::get_lrs() {
  return each(get_current_lrs(), [&](double lr) {
    return schedule::linear_lr(lr, last_epoch_, start_factor_, end_factor_, total_iters_);
  });
}

std::vector<double> LinearLR::closed_form_lrs() {
  return each(base_lrs_, [&](double base_lr) {
    return schedule::linear_lr_closed_form(base_lr, last_epoch_, start_factor_, end_factor_,
                                           total_iters_);
  });
}

ExponentialLR::ExponentialLR(Optimizer& optimizer, double gamma)
    : LRScheduler(optimizer), gamma_(gamma) {
  initial_step();
}

std::vector<double> ExponentialLR::get_lrs() {
  return each(get_current_lrs(),
              [&](double lr) { return schedule::exponential_lr(lr, last_epoch_, gamma_); });
}

std::vector<double> ExponentialLR::closed_form_lrs() {
  return each(base_lrs_, [&](double base_lr) {
    return schedule::exponential_lr_closed_form(base_lr, last_epoch_, gamma_);
  });
}

PolynomialLR::PolynomialLR(Optimizer& optimizer, int64_t total_iters, double power)
    : LRScheduler(optimizer), total_iters_(total_iters), power_(power) {
  initial_step();
}

std::vector<double> PolynomialLR::get_lrs() {
  return each(get_current_lrs(), [&](double lr) {
    return schedule::polynomial_lr(lr, last_epoch_, total_iters_, power_);
  });
}

std::vector<double> PolynomialLR::closed_form_lrs() {
  return each(base_lrs_, [&](double base_lr) {
    return schedule::polynomial_lr_closed_form(base_lr, last_epoch_, total_iters_, power_);
  });
}

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, int64_t T_max,  // NOLINT
                                     double eta_min)
    : LRScheduler(optimizer), t_max_(T_max), eta_min_(eta_min) {
  initial_step();
}

std::vector<double> CosineAnnealingLR::get_lrs() {
  std::vector<double> lrs = get_current_lrs();
  for (size_t i = 0; i < lrs.size(); ++i)
    lrs[i] = schedule::cosine_annealing_lr(lrs[i], base_lrs_[i], last_epoch_, step_count_, t_max_,
                                           eta_min_);
  return lrs;
}

std::vector<double> CosineAnnealingLR::closed_form_lrs() {
  return each(base_lrs_, [&](double base_lr) {
    return schedule::cosine_annealing_lr_closed_form(base_lr, last_epoch_, t_max_, eta_min_);
  });
}

}  // namespace ember::optim
