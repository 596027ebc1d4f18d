// The C++ half of the cross-language checkpoint test (test_cross_language.py): a two-layer net
// trained with Adam and a StepLR schedule on data drawn from the global generator, checkpointed
// as {model, optimizer, scheduler, rng_state, epoch} in the format Python's ember.load reads.
//   cross_language_train straight EPOCHS OUT          train EPOCHS epochs, save the model
//   cross_language_train save EPOCHS CHECKPOINT       train EPOCHS epochs, save a checkpoint
//   cross_language_train resume CHECKPOINT EPOCHS OUT  resume, train EPOCHS more, save the model
// test_cross_language.py does the same steps in Python (its train_epoch mirrors train_epoch).
#include <cstdlib>
#include <iostream>
#include <string>

#include "ember/checkpoint/serialize.h"
#include "ember/nn/functional/loss.h"
#include "ember/nn/modules/linear.h"
#include "ember/ops/ops.h"
#include "ember/ops/random.h"
#include "ember/optim/adam.h"
#include "ember/optim/schedulers/epoch_schedulers.h"

namespace {

using ember::serialize::Value;

constexpr int kStepsPerEpoch = 3;
constexpr double kLearningRate = 0.01;

struct NetImpl : ember::nn::Module {
  NetImpl() {
    fc1 = register_module("fc1", ember::nn::Linear(4, 8));
    fc2 = register_module("fc2", ember::nn::Linear(8, 1));
  }
  ember::Tensor forward(const ember::Tensor& x) { return fc2->forward(fc1->forward(x).relu()); }
  ember::nn::Linear fc1{nullptr};
  ember::nn::Linear fc2{nullptr};
};
EMBER_MODULE(Net);

struct Run {
  Run()
      : net(),
        adam(net->parameters(), ember::optim::AdamOptions(kLearningRate)),
        scheduler(adam, /*step_size=*/2, /*gamma=*/0.5) {}
  Net net;
  ember::optim::Adam adam;
  ember::optim::StepLR scheduler;
  int64_t epoch = 0;

  void train_epoch() {
    for (int step = 0; step < kStepsPerEpoch; ++step) {
      const ember::Tensor x = ember::randn({8, 4});
      const ember::Tensor y = (x * x).sum({1}, /*keepdim=*/true);
      adam.zero_grad();
      ember::nn::functional::mse_loss(net->forward(x), y).backward();
      adam.step();
    }
    scheduler.step();
    ++epoch;
  }
};

void save_checkpoint(const Run& run, const std::string& path) {
  const double lr = run.scheduler.get_last_lr().front();
  // The scheduler's state as Python's StepLR.state_dict() names it.
  Value scheduler = Value::dict({{"step_size", 2},
                                 {"gamma", 0.5},
                                 {"base_lrs", Value::list({kLearningRate})},
                                 {"last_epoch", run.scheduler.last_epoch()},
                                 {"verbose", false},
                                 {"_step_count", run.scheduler.last_epoch() + 1},
                                 {"_get_lr_called_within_step", false},
                                 {"_last_lr", Value::list({lr})}});
  ember::save(Value::dict({{"model", ember::serialize::to_value(*run.net)},
                           {"optimizer", ember::serialize::to_value(run.adam)},
                           {"scheduler", std::move(scheduler)},
                           {"rng_state", ember::get_rng_state()},
                           {"epoch", run.epoch}}),
              path);
}

void load_checkpoint(Run& run, const std::string& path) {
  const Value checkpoint = ember::load(path);
  ember::serialize::load_state(*run.net, checkpoint.at("model"));
  ember::serialize::load_state(run.adam, checkpoint.at("optimizer"));
  // StepLR's closed form puts the schedule at the saved epoch (gamma is a power of two, so the
  // lr equals the chained one bit for bit).
  run.scheduler.step(static_cast<double>(checkpoint.at("scheduler").at("last_epoch").to_int()));
  ember::set_rng_state(checkpoint.at("rng_state").to_tensor());
  run.epoch = checkpoint.at("epoch").to_int();
}

int usage() {
  std::cerr << "usage: cross_language_train straight EPOCHS OUT | save EPOCHS CHECKPOINT | "
               "resume CHECKPOINT EPOCHS OUT\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return usage();
  const std::string mode = argv[1];
  ember::manual_seed(0);
  Run run;
  if (mode == "straight" || mode == "save") {
    for (int epoch = 0; epoch < std::atoi(argv[2]); ++epoch) run.train_epoch();
    if (mode == "save") {
      save_checkpoint(run, argv[3]);
    } else {
      ember::save(run.net, argv[3]);
    }
    return 0;
  }
  if (mode == "resume" && argc == 5) {
    load_checkpoint(run, argv[2]);
    for (int epoch = 0; epoch < std::atoi(argv[3]); ++epoch) run.train_epoch();
    ember::save(run.net, argv[4]);
    return 0;
  }
  return usage();
}
