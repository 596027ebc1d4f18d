// libtorch's torch::save / torch::load over the checkpoint format (checkpoint.h): tensors, vectors
// of tensors, modules (their state dict: parameters and buffers by PyTorch's keys) and optimizers
// (PyTorch's optimizer state dict layout), each readable by Python's ember.load and back. A
// checkpoint of several things (model, optimizer, scheduler, RNG state, epoch) is a
// serialize::Value dict saved with ember::save(value, path).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ember/checkpoint/checkpoint.h"
#include "ember/checkpoint/value.h"
#include "ember/nn/module.h"
#include "ember/nn/pimpl.h"
#include "ember/optim/optimizer.h"

namespace ember {
namespace serialize {

// A module's state dict as Python's module.state_dict() lays it out: an OrderedDict of each
// module's parameters then buffers, parents before children, under dotted keys; the tensors are
// detached (they share the module's storage).
Value to_value(const nn::Module& module);
// Copies a state dict's tensors into the module's parameters and buffers of the same keys; raises
// ValueError for a missing or unexpected key or a shape that differs.
void load_state(nn::Module& module, const Value& state_dict);

// An optimizer's state dict: {"state": {index: {name: tensor}}, "param_groups": [{option:
// value, "params": [index, ...]}]}, the layout Python's Optimizer.state_dict() returns.
Value to_value(const optim::Optimizer& optimizer);
void load_state(optim::Optimizer& optimizer, const Value& state_dict);

// The option values of a param group as a Value and back (a pair such as betas is a tuple).
Value to_value(const optim::OptimizerOptionValue& option);
optim::OptimizerOptionValue to_option(const std::string& name, const Value& value);

}  // namespace serialize

void save(const serialize::Value& value, const std::string& path);
void save(const Tensor& tensor, const std::string& path);
void save(const std::vector<Tensor>& tensors, const std::string& path);
void save(const std::shared_ptr<nn::Module>& module, const std::string& path);
template <typename Contained>
void save(const nn::ModuleHolder<Contained>& module, const std::string& path) {
  save(std::static_pointer_cast<nn::Module>(module.ptr()), path);
}
void save(const optim::Optimizer& optimizer, const std::string& path);

// The whole object tree of a checkpoint (ember.load's counterpart); map_location as ember.load's
// (checkpoint.h): by default tensors return to the devices they were saved on.
serialize::Value load(const std::string& path, bool mmap = false,
                      const serialize::MapLocation& map_location = {});
void load(Tensor& tensor, const std::string& path);
void load(std::vector<Tensor>& tensors, const std::string& path);
void load(const std::shared_ptr<nn::Module>& module, const std::string& path);
template <typename Contained>
void load(nn::ModuleHolder<Contained>& module, const std::string& path) {
  load(std::static_pointer_cast<nn::Module>(module.ptr()), path);
}
void load(optim::Optimizer& optimizer, const std::string& path);

}  // namespace ember
