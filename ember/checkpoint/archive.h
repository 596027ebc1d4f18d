// libtorch's torch::serialize::OutputArchive / InputArchive over the checkpoint format
// (docs/checkpoint_format.md): named tensors, values, modules, optimizers and nested archives
// written into one dict and saved to a path or a stream, then read back by key. The file is an
// ordinary checkpoint: Python's ember.load gives the dict.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "ember/checkpoint/serialize.h"

namespace ember::serialize {

class OutputArchive {
 public:
  // Tensors are saved detached (their values, not their autograd history).
  void write(const std::string& key, const Tensor& tensor, bool is_buffer = false);
  void write(const std::string& key, const Value& value);
  void write(const std::string& key, const OutputArchive& nested);
  // A module's state dict and an optimizer's state dict, as ember::save writes them.
  void write(const std::string& key, const nn::Module& module);
  void write(const std::string& key, const optim::Optimizer& optimizer);

  // Atomic, as ember::save (a temporary file renamed over `path`).
  void save_to(const std::string& path) const;
  void save_to(std::ostream& stream) const;
  std::vector<std::string> keys() const;
  // The archive as one dict Value (ember.load's result for its file).
  Value value() const;

 private:
  Value::Items items_;
};

class InputArchive {
 public:
  void load_from(const std::string& path);
  void load_from(std::istream& stream);
  // An archive over a dict Value (an entry of a checkpoint loaded otherwise).
  static InputArchive from_value(Value value);

  // libtorch's read of a tensor: a defined `tensor` of the same shape receives the saved values
  // in place (without recording autograd history); otherwise `tensor` becomes the saved one.
  void read(const std::string& key, Tensor& tensor, bool is_buffer = false) const;
  bool try_read(const std::string& key, Tensor& tensor, bool is_buffer = false) const;
  void read(const std::string& key, Value& value) const;
  bool try_read(const std::string& key, Value& value) const;
  void read(const std::string& key, InputArchive& nested) const;
  void read(const std::string& key, nn::Module& module) const;
  void read(const std::string& key, optim::Optimizer& optimizer) const;
  std::vector<std::string> keys() const;

 private:
  // The entry under `key`; ValueError naming the key and the keys there are when absent.
  const Value& at(const std::string& key) const;
  Value root_ = Value::dict({});
};

}  // namespace ember::serialize
