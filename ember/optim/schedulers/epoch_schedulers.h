// The schedulers that move once per epoch (libtorch's and PyTorch's names and arguments):
// LambdaLR, MultiplicativeLR, StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR,
// PolynomialLR, CosineAnnealingLR. Each keeps its options and calls its rule
// (schedule_rules.h); see lr_scheduler.h for when step() takes effect.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "ember/optim/schedulers/lr_scheduler.h"

namespace ember::optim {

// lr = base_lr * lr_lambda(epoch): one lambda for every group, or one per group.
class LambdaLR : public LRScheduler {
 public:
  using LrLambda = std::function<double(int64_t epoch)>;
  LambdaLR(Optimizer& optimizer, LrLambda lr_lambda);
  LambdaLR(Optimizer& optimizer, std::vector<LrLambda> lr_lambdas);

 protected:
  // For MultiplicativeLR, whose own constructor takes the initial step (with its own rule).
  struct NoInitialStep {};
  LambdaLR(Optimizer& optimizer, std::vector<LrLambda> lr_lambdas, NoInitialStep);
  std::vector<double> get_lrs() override;
  std::vector<LrLambda> lr_lambdas_;
};

// lr = lr * lr_lambda(epoch) at every epoch after the first.
class MultiplicativeLR : public LambdaLR {
 public:
  MultiplicativeLR(Optimizer& optimizer, LrLambda lr_lambda);
  MultiplicativeLR(Optimizer& optimizer, std::vector<LrLambda> lr_lambdas);

 protected:
  std::vector<double> get_lrs() override;
};

// lr = base_lr * gamma ^ (epoch / step_size).
class StepLR : public LRScheduler {
 public:
  StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1);

 protected:
  std::vector<double> get_lrs() override;
  std::vector<double> closed_form_lrs() override;

 private:
  int64_t step_size_;
  double gamma_;
};

// lr = base_lr * gamma ^ (milestones reached).
class MultiStepLR : public LRScheduler {
 public:
  MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, double gamma = 0.1);

 protected:
  std::vector<double> get_lrs() override;
  std::vector<double> closed_form_lrs() override;

 private:
  std::vector<int64_t> milestones_;
  double gamma_;
};

// lr = base_lr * factor until epoch total_iters, then base_lr.
class ConstantLR : public LRScheduler {
 public:
  explicit ConstantLR(Optimizer& optimizer, double factor = 1.0 / 3, int64_t total_iters = 5);

 protected:
  std::vector<double> get_lrs() override;
  std::vector<double> closed_form_lrs() override;

 private:
  double factor_;
  int64_t total_iters_;
};

// The lr's factor moves linearly from start_factor to end_factor over total_iters epochs.
class LinearLR : public LRScheduler {
 public:
  explicit LinearLR(Optimizer& optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0,
                    int64_t total_iters = 5);

 protected:
  std::vector<double> get_lrs() override;
  std::vector<double> closed_form_lrs() override;

 private:
  double start_factor_;
  double end_factor_;
  int64_t total_iters_;
};

// lr = base_lr * gamma ^ epoch.
class ExponentialLR : public LRScheduler {
 public:
  ExponentialLR(Optimizer& optimizer, double gamma);

 protected:
  std::vector<double> get_lrs() override;
  std::vector<double> closed_form_lrs() override;

 private:
  double gamma_;
};

// lr = base_lr * (1 - min(epoch, total_iters) / total_iters) ^ power.
class PolynomialLR : public LRScheduler {
 public:
  explicit PolynomialLR(Optimizer& optimizer, int64_t total_iters = 5, double power = 1.0);

 protected:
  std::vector<double> get_lrs() override;
  std::vector<double> closed_form_lrs() override;

 private:
  int64_t total_iters_;
  double power_;
};

// lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2.
class CosineAnnealingLR : public LRScheduler {
 public:
  CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min = 0.0);  // NOLINT

 protected:
  std::vector<double> get_lrs() override;
  std::vector<double> closed_form_lrs() override;

 private:
  int64_t t_max_;
  double eta_min_;
};

}  // namespace ember::optim
