#include "ember/checkpoint/checkpoint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "ember/checkpoint/serialize.h"
#include "ember/nn/modules/linear.h"
#include "ember/ops/ops.h"
#include "ember/optim/adam.h"
#include "ember/optim/lbfgs.h"
#include "ember/optim/sgd.h"
#include "ember/serialize/safetensors.h"
#include "ember/tensor/generator.h"
#include "tests/test_support.h"

namespace ember::serialize {
namespace {

using testing::message_of;

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "ember_ckpt_" + std::to_string(::getpid()) + "_" + name;
}

Value round_trip(const Value& value) {
  const std::string bytes = save_to_bytes(value);
  return load_from_bytes(bytes);
}

TEST(Checkpoint, ScalarsStringsAndContainersRoundTripExactly) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  Value tree = Value::dict({{"int", int64_t{-9007199254740993}},
                            {"floats", Value::tuple({0.1, -0.0, inf, -inf, nan, 1e-310})},
                            {"flag", true},
                            {"none", Value()},
                            {"text", "uni\"code\n\xc3\xa9"},
                            {int64_t{7}, Value::list({})},
                            {"od", Value::ordered_dict({{"b", 1}, {"a", 2}})}});
  const Value back = round_trip(tree);
  ASSERT_EQ(back.kind(), Value::Kind::Dict);
  EXPECT_EQ(back.at("int").to_int(), -9007199254740993);
  const auto& floats = back.at("floats").elements();
  EXPECT_EQ(back.at("floats").kind(), Value::Kind::Tuple);
  EXPECT_EQ(floats[0].to_double(), 0.1);
  EXPECT_TRUE(std::signbit(floats[1].to_double()));
  EXPECT_EQ(floats[2].to_double(), inf);
  EXPECT_EQ(floats[3].to_double(), -inf);
  EXPECT_TRUE(std::isnan(floats[4].to_double()));
  EXPECT_EQ(floats[5].to_double(), 1e-310);
  EXPECT_TRUE(back.at("flag").to_bool());
  EXPECT_TRUE(back.at("none").is_none());
  EXPECT_EQ(back.at("text").to_string(), "uni\"code\n\xc3\xa9");
  EXPECT_EQ(back.at(int64_t{7}).kind(), Value::Kind::List);
  const Value& ordered = back.at("od");
  EXPECT_EQ(ordered.kind(), Value::Kind::OrderedDict);
  EXPECT_EQ(std::get<std::string>(ordered.items()[0].first), "b");
}

TEST(Checkpoint, ViewsShareStorageAfterLoading) {
  Tensor base = arange(12, kFloat32).reshape({3, 4});
  Tensor column = base.select(1, 2);
  Tensor mask = ones({3}, TensorOptions(kBool));
  const Value back = round_trip(Value::list({base, column, Value(mask), base.t()}));
  const auto& tensors = back.elements();
  EXPECT_EQ(tensors[0].to_tensor().storage().get(), tensors[1].to_tensor().storage().get());
  EXPECT_EQ(tensors[1].to_tensor().storage_offset(), 2);
  EXPECT_EQ(tensors[1].to_tensor().strides()[0], 4);
  EXPECT_TRUE(equal(tensors[1].to_tensor(), column));
  EXPECT_TRUE(equal(tensors[3].to_tensor(), base.t()));
  EXPECT_TRUE(equal(tensors[2].to_tensor(), mask));
  Tensor(tensors[0].to_tensor()).fill_(5);
  EXPECT_EQ(tensors[1].to_tensor().sum().item<float>(), 15.0F);
}

TEST(Checkpoint, TheSameContentGivesTheSameBytes) {
  auto make = [] {
    return Value::ordered_dict({{"w", arange(6, kFloat64)}, {"b", arange(3, kInt16)}});
  };
  EXPECT_EQ(save_to_bytes(make()), save_to_bytes(make()));
  const std::string bytes = save_to_bytes(make());
  // A safetensors file: the 8-byte length then a JSON object, the data 8-byte aligned.
  uint64_t length = 0;
  std::memcpy(&length, bytes.data(), 8);
  EXPECT_EQ(length % 8, 0U);
  EXPECT_EQ(bytes[8], '{');
  EXPECT_EQ(bytes.size(), 8 + length + 6 * 8 + 3 * 2);
}

TEST(Checkpoint, UnsupportedValuesRaiseAtSaveTime) {
  Value repeated = Value::dict({{"a", 1}, {"a", 2}});
  EXPECT_NE(message_of([&] { save_to_bytes(repeated); }).find("distinct dict keys"),
            std::string::npos);
  Value deep = Value::list({});
  for (int level = 0; level < 200; ++level) deep = Value::list({deep});
  EXPECT_NE(message_of([&] { save_to_bytes(deep); }).find("nested at most"), std::string::npos);
}

TEST(Checkpoint, CorruptFilesRaiseTypedErrors) {
  const std::string good = save_to_bytes(Value::dict({{"t", arange(4, kFloat32)}}));
  auto load_error = [](const std::string& bytes) {
    try {
      load_from_bytes(bytes);
    } catch (const ValueError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(load_error("abc").find("HeaderTooSmall"), std::string::npos);
  EXPECT_NE(load_error(good.substr(0, good.size() - 1)).find("MetadataIncompleteBuffer"),
            std::string::npos);
  EXPECT_NE(load_error(good + "x").find("MetadataIncompleteBuffer"), std::string::npos);
  std::string huge = good;
  huge[7] = 0x7F;
  EXPECT_NE(load_error(huge).find("HeaderTooLarge"), std::string::npos);
  std::string past = good;
  past[0] = static_cast<char>(0xF8);
  past[1] = 0x7F;
  EXPECT_NE(load_error(past).find("InvalidHeaderLength"), std::string::npos);
  std::string broken = good;
  broken[9] = '[';
  EXPECT_NE(load_error(broken), "no error");
  std::string not_json = save_to_bytes(Value(1));
  not_json[9] = 'X';
  EXPECT_NE(load_error(not_json), "no error");
  // Every truncation and every single-byte corruption raises or loads; none crashes.
  for (size_t size = 0; size < good.size(); ++size) {
    EXPECT_NE(load_error(good.substr(0, size)), "no error");
  }
  for (size_t position = 0; position < good.size(); ++position) {
    std::string flipped = good;
    flipped[position] = static_cast<char>(flipped[position] ^ 0x5A);
    load_error(flipped);
  }
}

TEST(Checkpoint, HostileTensorGeometryIsRejected) {
  auto with_structure = [](const std::string& tensor_json) {
    std::string json = "{\"__metadata__\":{\"version\":\"1\",\"ember.structure\":\"" + tensor_json +
                       "\"},\"s\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    json.append((8 - json.size() % 8) % 8, ' ');
    std::string bytes(8, '\0');
    const uint64_t length = json.size();
    std::memcpy(bytes.data(), &length, 8);
    return bytes + json + std::string(8, '\0');
  };
  auto error = [&](const std::string& tensor_json) {
    const std::string bytes = with_structure(tensor_json);
    return message_of([&] { load_from_bytes(bytes); });
  };
  const std::string fits =
      "{\\\"tensor\\\":{\\\"storage\\\":\\\"s\\\",\\\"dtype\\\":\\\"float32\\\",\\\"shape\\\":[2],"
      "\\\"stride\\\":[1],\\\"offset\\\":0}}";
  EXPECT_EQ(error(fits), "");
  std::string past = fits;
  past.replace(past.find("[2]"), 3, "[3]");
  EXPECT_NE(error(past).find("past the end"), std::string::npos);
  std::string wide = fits;
  wide.replace(wide.find("float32"), 7, "float64");
  EXPECT_NE(error(wide).find("past the end"), std::string::npos);
  std::string overflow = fits;
  overflow.replace(overflow.find("[2]"), 3, "[3]");
  overflow.replace(overflow.find("[1]"), 3, "[9223372036854775807]");
  overflow.replace(overflow.find(":0}"), 3, ":2}");
  EXPECT_NE(error(overflow).find("overflow"), std::string::npos);
  std::string missing = fits;
  missing.replace(missing.find("\\\"s\\\""), 5, "\\\"zz\\\"");
  EXPECT_NE(error(missing).find("does not hold"), std::string::npos);
  EXPECT_NE(error("{\\\"pickle\\\":1}").find("unknown structure tag"), std::string::npos);
}

// A checkpoint whose tensors record `device`, as a CUDA tensor's save writes it, made from one of
// CPU tensors (the bytes of the entries are the same: a CUDA storage is written from a host copy).
std::string recorded_on(const std::string& bytes, const std::string& device) {
  safetensors::Contents contents = safetensors::load_contents(bytes);
  std::string& structure = contents.metadata->at("ember.structure");
  const std::string field = "\"requires_grad\":false";
  for (size_t at = structure.find(field); at != std::string::npos;
       at = structure.find(field, at + 1)) {
    structure.insert(at + field.size(), ",\"device\":\"" + device + "\"");
  }
  return safetensors::save(contents.tensors, contents.metadata);
}

TEST(Checkpoint, TensorsSavedOnCudaNeedCudaOrAMapToTheCpu) {
  if (cuda::is_available()) GTEST_SKIP() << "the error needs a machine without CUDA";
  const Tensor weight = arange(6, kFloat32).reshape({2, 3});
  // CPU checkpoints keep the bytes of files written before devices were recorded.
  EXPECT_EQ(save_to_bytes(Value(weight)).find("device"), std::string::npos);
  const std::string bytes =
      recorded_on(save_to_bytes(Value::dict({{"w", weight}, {"t", weight.t()}})), "cuda:0");
  const std::string message = message_of([&] { load_from_bytes(bytes); });
  EXPECT_NE(message.find("[ember.load] Attempting to deserialize object on a CUDA device but "
                         "ember.cuda.is_available() is False"),
            std::string::npos)
      << message;
  std::vector<std::string> saved_on;
  const Value loaded = load_from_bytes(bytes, [&](const Tensor& tensor, const Device& saved) {
    EXPECT_TRUE(tensor.device().is_cpu());
    saved_on.push_back(saved.str());
    return std::optional<Device>(Device(kCPU));
  });
  EXPECT_EQ(saved_on, (std::vector<std::string>{"cuda:0", "cuda:0"}));
  const Tensor& w = loaded.find("w")->to_tensor();
  const Tensor& t = loaded.find("t")->to_tensor();
  EXPECT_TRUE(w.device().is_cpu());
  EXPECT_TRUE(equal(w, weight));
  EXPECT_TRUE(equal(t, weight.t()));
  EXPECT_EQ(w.storage().get(), t.storage().get());
  // Mapping nothing (nullopt) is the saved device again.
  EXPECT_NE(message_of([&] {
              load_from_bytes(bytes,
                              [](const Tensor&, const Device&) { return std::optional<Device>(); });
            }).find("Attempting to deserialize"),
            std::string::npos);
  const std::string unknown = recorded_on(save_to_bytes(Value(weight)), "tpu:0");
  EXPECT_NE(message_of([&] { load_from_bytes(unknown); }).find("unknown device 'tpu:0'"),
            std::string::npos);
}

TEST(Checkpoint, AtomicFileSaveAndMmapLoad) {
  const std::string path = temp_path("mmap.ckpt");
  Tensor weights = arange(1000, kFloat64);
  ember::save(Value::dict({{"w", weights}, {"epoch", 3}}), path);
  const Value copied = ember::load(path);
  EXPECT_TRUE(equal(copied.at("w").to_tensor(), weights));
  const Value mapped = ember::load(path, /*mmap=*/true);
  const Tensor& view = mapped.at("w").to_tensor();
  EXPECT_TRUE(equal(view, weights));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(view.data_ptr()) % 8, 0U);
  // Copy-on-write: writing to the loaded tensor leaves the file alone.
  Tensor(view).fill_(0);
  EXPECT_TRUE(equal(ember::load(path).at("w").to_tensor(), weights));
  std::remove(path.c_str());
  EXPECT_NE(message_of([&] { ember::load(path); }).find("No such file"), std::string::npos);
}

TEST(Checkpoint, ModuleAndOptimizerRoundTrip) {
  manual_seed(0);
  nn::Linear net(3, 2);
  optim::Adam adam(net->parameters(), optim::AdamOptions(0.1).betas(std::make_tuple(0.8, 0.9)));
  net->forward(ones({4, 3})).sum().backward();
  adam.step();
  const std::string module_path = temp_path("module.ckpt");
  const std::string optimizer_path = temp_path("optimizer.ckpt");
  ember::save(net, module_path);
  ember::save(adam, optimizer_path);

  nn::Linear other(3, 2);
  optim::Adam other_adam(other->parameters(), optim::AdamOptions(0.5));
  ember::load(other, module_path);
  ember::load(other_adam, optimizer_path);
  EXPECT_TRUE(equal(other->weight, net->weight));
  EXPECT_TRUE(equal(other->bias, net->bias));
  const Value saved = ember::load(optimizer_path);
  EXPECT_EQ(saved.at("param_groups").elements()[0].at("betas").kind(), Value::Kind::Tuple);
  EXPECT_EQ(saved.at("state").items().size(), 2U);
  const auto restored = other_adam.state_dict();
  EXPECT_EQ(std::get<double>(restored.param_groups[0].at("lr")), 0.1);
  EXPECT_TRUE(
      equal(restored.state.at(0).at("exp_avg"), adam.state_dict().state.at(0).at("exp_avg")));

  nn::Linear wrong(4, 2);
  EXPECT_NE(message_of([&] { ember::load(wrong, module_path); }).find("of shape"),
            std::string::npos);
  std::remove(module_path.c_str());
  std::remove(optimizer_path.c_str());
}

// The keys of a C++ optimizer's state dict in PyTorch's order (ember.optim's in Python, so both
// languages write the same bytes): options as the Python class's defaults, "params" last, and
// each parameter's state in the order a step creates it.
TEST(Checkpoint, OptimizerKeysFollowPyTorchsOrder) {
  const auto keys_of = [](const Value& dict) {
    std::vector<std::string> keys;
    for (const auto& item : dict.items()) keys.push_back(std::get<std::string>(item.first));
    return keys;
  };
  nn::Linear net(3, 2);
  optim::Adam adam(net->parameters(), optim::AdamOptions(0.1).amsgrad(true));
  net->forward(ones({4, 3})).sum().backward();
  adam.step();
  const Value saved = to_value(adam);
  EXPECT_EQ(keys_of(saved.at("param_groups").elements()[0]),
            (std::vector<std::string>{"lr", "betas", "eps", "weight_decay", "amsgrad", "maximize",
                                      "foreach", "capturable", "differentiable", "fused",
                                      "decoupled_weight_decay", "params"}));
  EXPECT_EQ(keys_of(saved.at("state").items()[0].second),
            (std::vector<std::string>{"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}));

  optim::SGD sgd(net->parameters(), optim::SGDOptions(0.1).momentum(0.9));
  sgd.step();
  EXPECT_EQ(keys_of(to_value(sgd).at("param_groups").elements()[0]),
            (std::vector<std::string>{"lr", "momentum", "dampening", "weight_decay", "nesterov",
                                      "maximize", "foreach", "differentiable", "fused", "params"}));
}

// LBFGS's history (lists of tensors in its state) goes through the file: the restored optimizer
// continues bit for bit, where one restored without the lists would not (lbfgs_state_test.cpp).
TEST(Checkpoint, LbfgsHistoryRoundTripsThroughTheFile) {
  const auto options = optim::LBFGSOptions(1).max_iter(3).history_size(4);
  const auto run = [](optim::LBFGS& optimizer, const Tensor& p) {
    for (int i = 0; i < 2; ++i) {
      optimizer.step([&] {
        optimizer.zero_grad();
        Tensor loss = (1 - p[0]).pow(2) + 100 * (p[1] - p[0] * p[0]).pow(2);
        loss.backward();
        return loss;
      });
    }
  };
  Tensor p = ember::testing::tensor_of({-1.5, 2.0}, {2}).requires_grad_();
  optim::LBFGS optimizer(std::vector<Tensor>{p}, options);
  run(optimizer, p);
  const std::string path = temp_path("lbfgs.ckpt");
  ember::save(optimizer, path);
  const Value saved = ember::load(path);
  EXPECT_EQ(saved.at("state").items()[0].second.at("old_dirs").kind(), Value::Kind::List);

  Tensor resumed = p.detach().clone().requires_grad_();
  optim::LBFGS restored(std::vector<Tensor>{resumed}, options);
  ember::load(restored, path);
  EXPECT_EQ(restored.state_dict().state_lists.at(0).at("old_dirs").size(),
            optimizer.state_dict().state_lists.at(0).at("old_dirs").size());
  run(optimizer, p);
  run(restored, resumed);
  EXPECT_TRUE(resumed.equal(p));
  std::remove(path.c_str());
}

}  // namespace
}  // namespace ember::serialize
