// libtorch's serialization calls: torch::save / torch::load of a tensor, a vector of tensors, a
// module (ModuleHolder) and an optimizer, through the installed package and ember/ember.h only.
#include <ember/ember.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "check.h"

namespace torch = ember;

int main() {
  const std::string directory = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
  const std::string path = directory + "/ember_cpp_api_checkpoint.pt";
  torch::manual_seed(0);

  torch::Tensor tensor = torch::randn({3, 4});
  torch::save(tensor, path);
  torch::Tensor loaded;
  torch::load(loaded, path);
  CHECK(torch::equal(loaded, tensor));

  std::vector<torch::Tensor> tensors = {torch::arange(5), torch::ones({2, 2})};
  torch::save(tensors, path);
  std::vector<torch::Tensor> loaded_tensors;
  torch::load(loaded_tensors, path);
  CHECK(loaded_tensors.size() == 2 && torch::equal(loaded_tensors[1], tensors[1]));

  torch::nn::Sequential model(torch::nn::Linear(3, 8), torch::nn::ReLU(), torch::nn::Linear(8, 1));
  torch::optim::Adam adam(model->parameters(), torch::optim::AdamOptions(0.01));
  torch::mse_loss(model->forward(torch::randn({4, 3})), torch::zeros({4, 1})).backward();
  adam.step();
  torch::save(model, path);
  torch::nn::Sequential copy(torch::nn::Linear(3, 8), torch::nn::ReLU(), torch::nn::Linear(8, 1));
  torch::load(copy, path);
  const auto params = model->parameters();
  const auto copied = copy->parameters();
  for (size_t index = 0; index < params.size(); ++index) {
    CHECK(torch::equal(params[index], copied[index]));
  }
  torch::save(adam, path);
  torch::optim::Adam restored(copy->parameters(), torch::optim::AdamOptions(0.5));
  torch::load(restored, path);
  CHECK(restored.param_groups()[0].options().get_lr() == 0.01);
  std::remove(path.c_str());
  std::cout << "checkpoint: ok\n";
  return 0;
}
