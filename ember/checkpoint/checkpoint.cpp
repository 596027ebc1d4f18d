#include "ember/checkpoint/checkpoint.h"

#include <cstring>
#include <unordered_map>

#include "ember/base/error.h"
#include "ember/serialize/json.h"
#include "ember/serialize/safetensors.h"
#include "ember/tensor/device.h"
#include "ember/tensor/tensor_impl.h"

namespace ember::serialize {
namespace {

constexpr const char* kStructureKey = "ember.structure";
constexpr const char* kFormatKey = "format";
constexpr const char* kFormatName = "ember.checkpoint";
constexpr const char* kVersionKey = "version";
constexpr const char* kFormatVersion = "1";
// Each level of the tree is at most three levels of JSON ({"dict": [[key, value]]}).
constexpr size_t kMaxJsonDepth = 3 * kMaxDepth + 8;

bool dtype_from_name(std::string_view name, ScalarType& dtype) {
  for (int index = 0; index < kNumScalarTypes; ++index) {
    if (dtype_name(static_cast<ScalarType>(index)) == name) {
      dtype = static_cast<ScalarType>(index);
      return true;
    }
  }
  return false;
}

json::Array int_array(IntArrayRef values) { return json::Array(values.begin(), values.end()); }

// ---- writing: the tree as JSON, each distinct storage as one 1-D safetensors entry ----

class StructureWriter {
 public:
  json::Value write(const Value& value, int depth) {
    if (depth > kMaxDepth) {
      detail::raise<TypeError>("[ember.save] expected an object nested at most ", kMaxDepth,
                               " levels deep; got a deeper one");
    }
    switch (value.kind()) {
      case Value::Kind::None:
        return nullptr;
      case Value::Kind::Bool:
        return value.to_bool();
      case Value::Kind::Int:
        return value.to_int();
      case Value::Kind::Float:
        return value.to_double();
      case Value::Kind::String:
        return value.to_string();
      case Value::Kind::Tensor:
        return write_tensor(value.to_tensor());
      case Value::Kind::List:
      case Value::Kind::Tuple: {
        json::Array elements;
        for (const Value& element : value.elements()) elements.push_back(write(element, depth + 1));
        return json::Object{
            {value.kind() == Value::Kind::List ? "list" : "tuple", std::move(elements)}};
      }
      case Value::Kind::Dict:
      case Value::Kind::OrderedDict: {
        json::Array items;
        const auto& pairs = value.items();
        for (size_t index = 0; index < pairs.size(); ++index) {
          for (size_t earlier = 0; earlier < index; ++earlier) {
            if (pairs[earlier].first == pairs[index].first) {
              detail::raise<TypeError>("[ember.save] expected distinct dict keys; got ",
                                       key_repr(pairs[index].first), " twice");
            }
          }
          json::Value key = std::holds_alternative<std::string>(pairs[index].first)
                                ? json::Value(std::get<std::string>(pairs[index].first))
                                : json::Value(std::get<int64_t>(pairs[index].first));
          items.push_back(json::Array{std::move(key), write(pairs[index].second, depth + 1)});
        }
        return json::Object{
            {value.kind() == Value::Kind::Dict ? "dict" : "ordered_dict", std::move(items)}};
      }
    }
    return nullptr;
  }

  safetensors::TensorMap& entries() { return entries_; }

 private:
  json::Value write_tensor(const Tensor& tensor) {
    // A CUDA storage's entry is the device tensor itself: safetensors writes it from one host
    // copy.
    const IntrusivePtr<Storage>& storage = tensor.storage();
    auto [found, inserted] = name_of_.try_emplace(storage.get(), std::string());
    if (inserted) {
      found->second = "storage." + std::to_string(name_of_.size() - 1);
      // The whole storage as one 1-D entry of the first tensor's dtype (bytes when it does not
      // hold whole items of it).
      const size_t nbytes = storage->nbytes();
      const ScalarType dtype = nbytes % itemsize(tensor.dtype()) == 0 ? tensor.dtype() : kUInt8;
      const auto numel = static_cast<int64_t>(nbytes / itemsize(dtype));
      entries_.emplace(found->second, Tensor(IntrusivePtr<TensorImpl>::make(
                                          storage, 0, Shape{numel}, Strides{1}, dtype)));
    }
    json::Object fields{
        {"storage", found->second},           {"dtype", dtype_name(tensor.dtype())},
        {"shape", int_array(tensor.sizes())}, {"stride", int_array(tensor.strides())},
        {"offset", tensor.storage_offset()},  {"requires_grad", tensor.requires_grad()}};
    // Only a tensor off the CPU names its device, so a CPU checkpoint's bytes are those of files
    // written before devices were recorded (and a file without the field loads on the CPU).
    if (!tensor.device().is_cpu()) fields.emplace_back("device", tensor.device().str());
    return json::Object{{"tensor", std::move(fields)}};
  }

  safetensors::TensorMap entries_;
  std::unordered_map<const Storage*, std::string> name_of_;
};

struct Encoded {
  safetensors::TensorMap entries;
  safetensors::Metadata metadata;
};

Encoded encode(const Value& value) {
  StructureWriter writer;
  json::WriteOptions options;
  options.allow_nonfinite = true;
  std::string structure = json::dump(writer.write(value, 0), options);
  return {std::move(writer.entries()),
          {{kFormatKey, kFormatName}, {kVersionKey, kFormatVersion}, {kStructureKey, structure}}};
}

// ---- reading ----

[[noreturn]] void corrupt(const std::string& problem) {
  detail::raise<ValueError>("[ember.load] expected an ember checkpoint; ", problem);
}

class StructureReader {
 public:
  StructureReader(const safetensors::TensorMap& entries, const MapLocation& map_location)
      : entries_(entries), map_location_(map_location) {}

  Value read(const json::Value& node) {
    switch (node.type()) {
      case json::Value::Type::kNull:
        return Value();
      case json::Value::Type::kBool:
        return Value(node.as_bool());
      case json::Value::Type::kNumber: {
        const json::Number& number = node.as_number();
        if (number.is_integer()) return Value(number.to_int64());
        return Value(number.to_double());
      }
      case json::Value::Type::kString:
        return Value(node.as_string());
      case json::Value::Type::kArray:
        corrupt("the structure has a bare JSON array");
      case json::Value::Type::kObject:
        break;
    }
    const json::Object& object = node.as_object();
    if (object.size() != 1) corrupt("a structure node must have exactly one tag");
    const auto& [tag, body] = object.front();
    if (tag == "list" || tag == "tuple") {
      std::vector<Value> elements;
      for (const json::Value& element : array_of(body, tag)) elements.push_back(read(element));
      return tag == "list" ? Value::list(std::move(elements)) : Value::tuple(std::move(elements));
    }
    if (tag == "dict" || tag == "ordered_dict") {
      Value::Items items;
      for (const json::Value& pair : array_of(body, tag)) {
        const json::Array& key_value = array_of(pair, "dict item");
        if (key_value.size() != 2) corrupt("a dict item must be [key, value]");
        const json::Value& key = key_value[0];
        if (key.is_string()) {
          items.emplace_back(key.as_string(), read(key_value[1]));
        } else if (key.is_number() && key.as_number().is_integer()) {
          items.emplace_back(key.as_number().to_int64(), read(key_value[1]));
        } else {
          corrupt("a dict key must be a string or an integer");
        }
      }
      return tag == "dict" ? Value::dict(std::move(items)) : Value::ordered_dict(std::move(items));
    }
    if (tag == "tensor") return Value(read_tensor(body));
    corrupt("unknown structure tag '" + tag + "'");
  }

 private:
  static const json::Array& array_of(const json::Value& node, const std::string& what) {
    if (!node.is_array()) corrupt("a " + what + " must be a JSON array");
    return node.as_array();
  }

  static int64_t nonnegative(const json::Value* node, const char* what) {
    if (node == nullptr || !node->is_number() || !node->as_number().is_integer()) {
      corrupt(std::string("a tensor's ") + what + " must be an integer");
    }
    const int64_t value = node->as_number().to_int64();
    if (value < 0) corrupt(std::string("a tensor's ") + what + " must not be negative");
    return value;
  }

  static std::vector<int64_t> nonnegative_list(const json::Value* node, const char* what) {
    if (node == nullptr || !node->is_array()) {
      corrupt(std::string("a tensor's ") + what + " must be a list");
    }
    std::vector<int64_t> values;
    for (const json::Value& element : node->as_array())
      values.push_back(nonnegative(&element, what));
    return values;
  }

  Tensor read_tensor(const json::Value& body) {
    if (!body.is_object()) corrupt("a tensor must be a JSON object");
    const json::Value* storage_name = body.find("storage");
    const json::Value* dtype_node = body.find("dtype");
    const json::Value* requires_grad = body.find("requires_grad");
    if (storage_name == nullptr || !storage_name->is_string()) {
      corrupt("a tensor must name its storage");
    }
    ScalarType dtype = kUInt8;
    if (dtype_node == nullptr || !dtype_node->is_string() ||
        !dtype_from_name(dtype_node->as_string(), dtype)) {
      corrupt("a tensor has an unknown dtype");
    }
    const std::vector<int64_t> shape = nonnegative_list(body.find("shape"), "shape");
    const std::vector<int64_t> stride = nonnegative_list(body.find("stride"), "stride");
    if (shape.size() != stride.size()) corrupt("a tensor's shape and stride differ in length");
    const int64_t offset = nonnegative(body.find("offset"), "offset");
    const std::string& name = storage_name->as_string();
    const auto entry = entries_.find(name);
    if (entry == entries_.end()) {
      corrupt("a tensor names the storage '" + name + "', which the file does not hold");
    }
    // The furthest element must lie inside the entry (checked without overflow).
    const size_t element = itemsize(dtype);
    bool empty = false;
    uint64_t last = static_cast<uint64_t>(offset);
    for (size_t dim = 0; dim < shape.size(); ++dim) {
      if (shape[dim] == 0) empty = true;
      uint64_t reach = 0;
      if (shape[dim] > 0 && (__builtin_mul_overflow(static_cast<uint64_t>(shape[dim] - 1),
                                                    static_cast<uint64_t>(stride[dim]), &reach) ||
                             __builtin_add_overflow(last, reach, &last))) {
        corrupt("a tensor's shape and stride overflow");
      }
    }
    uint64_t end_byte = 0;
    if (!empty && (__builtin_add_overflow(last, 1, &end_byte) ||
                   __builtin_mul_overflow(end_byte, element, &end_byte) ||
                   end_byte > entry->second.nbytes())) {
      corrupt("a tensor reaches past the end of its storage '" + name + "'");
    }
    const auto [storage, base] = storage_for(name, entry->second, element);
    Tensor tensor(IntrusivePtr<TensorImpl>::make(storage, base + offset,
                                                 Shape(shape.begin(), shape.end()),
                                                 Strides(stride.begin(), stride.end()), dtype));
    const Device saved = saved_device(body);
    const Device target = map_location_ ? map_location_(tensor, saved).value_or(saved) : saved;
    if (!target.is_cpu()) {
      tensor = Tensor(IntrusivePtr<TensorImpl>::make(storage_on(name, entry->second, target),
                                                     offset, Shape(shape.begin(), shape.end()),
                                                     Strides(stride.begin(), stride.end()), dtype));
    }
    if (requires_grad != nullptr && requires_grad->is_bool() && requires_grad->as_bool()) {
      tensor.requires_grad_(true);
    }
    return tensor;
  }

  // The storage a saved tensor of item size `element` views, and where its entry begins in it
  // (in items). An entry that does not start at a multiple of the item size (a view of another
  // dtype than the storage's first tensor) gets its own aligned copy.
  std::pair<IntrusivePtr<Storage>, int64_t> storage_for(const std::string& name,
                                                        const Tensor& entry, size_t element) {
    const auto byte_base = static_cast<uint64_t>(entry.storage_offset()) * itemsize(entry.dtype());
    if (byte_base % element == 0) {
      return {entry.storage(), static_cast<int64_t>(byte_base / element)};
    }
    auto [found, inserted] = realigned_.try_emplace(name);
    if (inserted) {
      found->second = Storage::allocate(entry.nbytes(), Device(kCPU));
      std::memcpy(found->second->data(), entry.data_ptr(), entry.nbytes());
    }
    return {found->second, 0};
  }

  // The device a tensor was saved on: the CPU when the file does not say (files written before
  // devices were recorded held CPU tensors only).
  static Device saved_device(const json::Value& body) {
    const json::Value* node = body.find("device");
    if (node == nullptr) return Device(kCPU);
    if (!node->is_string()) corrupt("a tensor's device must be a string");
    try {
      return Device(node->as_string());
    } catch (const Error&) {  // Device's parse error
      corrupt("a tensor has an unknown device '" + node->as_string() + "'");
    }
  }

  // Storage `name` copied to `device`, once per device, so that tensors sharing a storage in the
  // file share one on the device too; views of other dtypes start at the copy's first byte.
  IntrusivePtr<Storage> storage_on(const std::string& name, const Tensor& entry, Device device) {
    if (device.is_cuda() && !cuda::is_available()) {
      detail::raise<RuntimeError>(
          "[ember.load] Attempting to deserialize object on a CUDA device but "
          "ember.cuda.is_available() is False. If you are running on a CPU-only machine, please "
          "use ember.load with map_location='cpu' to map your storages to the CPU.");
    }
    auto [found, inserted] = moved_.try_emplace(name + "@" + device.str());
    if (inserted) {
      const auto byte_base = static_cast<int64_t>(static_cast<size_t>(entry.storage_offset()) *
                                                  itemsize(entry.dtype()));
      const Tensor bytes(IntrusivePtr<TensorImpl>::make(entry.storage(), byte_base,
                                                        Shape{static_cast<int64_t>(entry.nbytes())},
                                                        Strides{1}, kUInt8));
      found->second = bytes.to(device, kUInt8).storage();
    }
    return found->second;
  }

  const safetensors::TensorMap& entries_;
  const MapLocation& map_location_;
  std::unordered_map<std::string, IntrusivePtr<Storage>> realigned_;
  std::unordered_map<std::string, IntrusivePtr<Storage>> moved_;
};

Value decode(const safetensors::Contents& contents, const MapLocation& map_location) {
  const auto structure = contents.metadata ? contents.metadata->find(kStructureKey)
                                           : safetensors::Metadata::const_iterator();
  if (!contents.metadata || structure == contents.metadata->end()) {
    corrupt(
        "the file's __metadata__ has no 'ember.structure' (a plain safetensors file: read it with "
        "ember.safetensors)");
  }
  const auto version = contents.metadata->find(kVersionKey);
  if (version == contents.metadata->end() || version->second != kFormatVersion) {
    corrupt("format version 1; got " +
            (version == contents.metadata->end() ? std::string("none") : version->second));
  }
  json::ParseOptions options;
  options.allow_nonfinite = true;
  options.max_depth = kMaxJsonDepth;
  return StructureReader(contents.tensors, map_location)
      .read(json::parse(structure->second, options));
}

}  // namespace

std::string save_to_bytes(const Value& value) {
  const Encoded encoded = encode(value);
  return safetensors::save(encoded.entries, encoded.metadata);
}

void save_to_file(const Value& value, const std::string& path) {
  const Encoded encoded = encode(value);
  safetensors::save_file(encoded.entries, path, encoded.metadata);
}

Value load_from_bytes(std::string_view bytes, const MapLocation& map_location) {
  return decode(safetensors::load_contents(bytes), map_location);
}

Value load_from_file(const std::string& path, bool mmap, const MapLocation& map_location) {
  return decode(safetensors::load_file_contents(path, mmap), map_location);
}

}  // namespace ember::serialize
