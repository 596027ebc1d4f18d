#include "ember/checkpoint/archive.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>
#include <string>

#include "ember/nn/modules/linear.h"
#include "ember/ops/ops.h"
#include "ember/optim/adam.h"
#include "ember/tensor/generator.h"
#include "tests/test_support.h"

namespace ember::serialize {
namespace {

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "ember_archive_" + std::to_string(::getpid()) + "_" + name;
}

TEST(Archive, TensorsValuesModulesAndNestedArchivesRoundTrip) {
  manual_seed(0);
  nn::Linear net(3, 2);
  optim::Adam adam(net->parameters(), optim::AdamOptions(0.1));
  net->forward(ones({4, 3})).sum().backward();
  adam.step();

  OutputArchive archive;
  archive.write("weights", arange(6).to(kFloat32).view({2, 3}));
  archive.write("epoch", Value(3));
  OutputArchive nested;
  nested.write("model", *net);
  nested.write("optimizer", adam);
  archive.write("training", nested);
  EXPECT_EQ(archive.keys(), (std::vector<std::string>{"weights", "epoch", "training"}));
  const std::string path = temp_path("archive.ckpt");
  archive.save_to(path);

  InputArchive loaded;
  loaded.load_from(path);
  EXPECT_EQ(loaded.keys(), archive.keys());
  Tensor weights;  // undefined: becomes the saved tensor
  loaded.read("weights", weights);
  EXPECT_TRUE(equal(weights, arange(6).to(kFloat32).view({2, 3})));
  Tensor into = zeros({2, 3}).requires_grad_();  // defined: filled in place, outside autograd
  const void* address = into.data_ptr();
  loaded.read("weights", into);
  EXPECT_EQ(into.data_ptr(), address);
  EXPECT_TRUE(equal(into.detach(), weights));
  Value epoch;
  loaded.read("epoch", epoch);
  EXPECT_EQ(epoch.to_int(), 3);

  InputArchive training;
  loaded.read("training", training);
  nn::Linear other(3, 2);
  optim::Adam other_adam(other->parameters(), optim::AdamOptions(0.5));
  training.read("model", *other);
  training.read("optimizer", other_adam);
  EXPECT_TRUE(equal(other->weight, net->weight));
  EXPECT_EQ(std::get<double>(other_adam.state_dict().param_groups[0].at("lr")), 0.1);
  // The file is an ordinary checkpoint.
  EXPECT_EQ(ember::load(path).at("training").at("model").items().size(), 2U);
  std::remove(path.c_str());
}

TEST(Archive, StreamsAndMissingKeys) {
  OutputArchive archive;
  archive.write("x", ones({2}));
  std::stringstream stream;
  archive.save_to(stream);
  InputArchive loaded;
  loaded.load_from(stream);
  Tensor x;
  EXPECT_TRUE(loaded.try_read("x", x));
  EXPECT_TRUE(equal(x, ones({2})));
  EXPECT_FALSE(loaded.try_read("y", x));
  const std::string missing = ember::testing::message_of([&] { loaded.read("y", x); });
  EXPECT_NE(missing.find("[InputArchive::read] expected the key 'y' in the archive; it holds 'x'"),
            std::string::npos)
      << missing;
  EXPECT_THROW(InputArchive::from_value(Value(1)), ValueError);
}

}  // namespace
}  // namespace ember::serialize
