#include "ember/checkpoint/archive.h"

#include <istream>
#include <iterator>
#include <ostream>
#include <utility>

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"

namespace ember::serialize {
namespace {

std::vector<std::string> string_keys(const Value::Items& items) {
  std::vector<std::string> keys;
  keys.reserve(items.size());
  for (const auto& [key, value] : items) {
    if (const auto* text = std::get_if<std::string>(&key)) keys.push_back(*text);
  }
  return keys;
}

std::string joined(const std::vector<std::string>& keys) {
  std::string text;
  for (const std::string& key : keys) text += (text.empty() ? "'" : ", '") + key + "'";
  return text.empty() ? "none" : text;
}

}  // namespace

void OutputArchive::write(const std::string& key, const Tensor& tensor, bool /*is_buffer*/) {
  items_.emplace_back(key, tensor.detach());
}

void OutputArchive::write(const std::string& key, const Value& value) {
  items_.emplace_back(key, value);
}

void OutputArchive::write(const std::string& key, const OutputArchive& nested) {
  items_.emplace_back(key, nested.value());
}

void OutputArchive::write(const std::string& key, const nn::Module& module) {
  items_.emplace_back(key, to_value(module));
}

void OutputArchive::write(const std::string& key, const optim::Optimizer& optimizer) {
  items_.emplace_back(key, to_value(optimizer));
}

void OutputArchive::save_to(const std::string& path) const { save_to_file(value(), path); }

void OutputArchive::save_to(std::ostream& stream) const {
  const std::string bytes = save_to_bytes(value());
  stream.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  EMBER_CHECK(stream.good(), "[OutputArchive::save_to] can't write to the stream");
}

std::vector<std::string> OutputArchive::keys() const { return string_keys(items_); }

Value OutputArchive::value() const { return Value::dict(items_); }

void InputArchive::load_from(const std::string& path) { *this = from_value(load_from_file(path)); }

void InputArchive::load_from(std::istream& stream) {
  const std::string bytes{std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>()};
  *this = from_value(load_from_bytes(bytes));
}

InputArchive InputArchive::from_value(Value value) {
  EMBER_CHECK_VALUE(value.is_mapping(),
                    "[InputArchive] expected a checkpoint holding a dict; got another value");
  InputArchive archive;
  archive.root_ = std::move(value);
  return archive;
}

const Value& InputArchive::at(const std::string& key) const {
  const Value* found = root_.find(key);
  EMBER_CHECK_VALUE(found != nullptr, "[InputArchive::read] expected the key '", key,
                    "' in the archive; it holds ", joined(keys()));
  return *found;
}

void InputArchive::read(const std::string& key, Tensor& tensor, bool is_buffer) const {
  EMBER_CHECK_VALUE(at(key).kind() == Value::Kind::Tensor,
                    "[InputArchive::read] expected the entry '", key,
                    "' to be a tensor; it is another value");
  try_read(key, tensor, is_buffer);
}

bool InputArchive::try_read(const std::string& key, Tensor& tensor, bool /*is_buffer*/) const {
  const Value* found = root_.find(key);
  if (found == nullptr || found->kind() != Value::Kind::Tensor) return false;
  const Tensor& saved = found->to_tensor();
  if (tensor.defined() && tensor.shape() == saved.shape()) {
    NoGradGuard no_grad;
    tensor.copy_(saved);
  } else {
    tensor = saved;
  }
  return true;
}

void InputArchive::read(const std::string& key, Value& value) const { value = at(key); }

bool InputArchive::try_read(const std::string& key, Value& value) const {
  const Value* found = root_.find(key);
  if (found == nullptr) return false;
  value = *found;
  return true;
}

void InputArchive::read(const std::string& key, InputArchive& nested) const {
  nested = from_value(at(key));
}

void InputArchive::read(const std::string& key, nn::Module& module) const {
  load_state(module, at(key));
}

void InputArchive::read(const std::string& key, optim::Optimizer& optimizer) const {
  load_state(optimizer, at(key));
}

std::vector<std::string> InputArchive::keys() const { return string_keys(root_.items()); }

}  // namespace ember::serialize
