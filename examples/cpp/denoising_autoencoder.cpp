// A denoising autoencoder (the C++ twin of examples/python/denoising_autoencoder.py): clean points
// x = sin(z A) on a 2-D surface in 16-D, generated from a seed, are reconstructed from inputs
// with fresh Gaussian noise each step by an MLP 16 -> 32 -> 4 -> 32 -> 16 trained with
// hand-written SGD. Usage: denoising_autoencoder [steps]; the exit code says whether it learned
// (the held-out reconstruction error below 40% of the noisy inputs' own error, noise^2).
#include <cstdlib>
#include <iostream>

#include "ember/ember.h"

namespace nn = ember::nn;

// `count` clean points sin(z mixing) for latent z uniform in [-1, 1]^2, drawn after manual_seed.
ember::Tensor manifold_data(int64_t count, const ember::Tensor& mixing, uint64_t seed) {
  ember::manual_seed(seed);
  const ember::Tensor latent = ember::rand({count, mixing.size(0)}) * 2 - 1;
  return ember::sin(latent.matmul(mixing));
}

int main(int argc, char** argv) {
  const int steps = argc > 1 ? std::atoi(argv[1]) : 1500;
  const int64_t batch = 128;
  const double learning_rate = 0.3;
  const double noise = 0.3;
  ember::manual_seed(0);
  const ember::Tensor mixing = ember::randn({2, 16});
  const ember::Tensor clean = manifold_data(2048, mixing, 1);
  const ember::Tensor test_clean = manifold_data(512, mixing, 2);
  ember::manual_seed(3);
  nn::Sequential model(nn::Linear(16, 32), nn::Tanh(), nn::Linear(32, 4), nn::Tanh(),
                       nn::Linear(4, 32), nn::Tanh(), nn::Linear(32, 16));

  for (int step = 0; step < steps; ++step) {
    const ember::Tensor target = clean.narrow(0, (step * batch) % clean.size(0), batch);
    const ember::Tensor noisy = target + ember::randn(target.sizes()) * noise;
    const ember::Tensor loss = (model->forward(noisy) - target).pow(2).mean();
    model->zero_grad();
    loss.backward();
    {
      ember::autograd::NoGradGuard no_grad;
      for (ember::Tensor& parameter : model->parameters()) {
        parameter.sub_(parameter.grad() * learning_rate);
      }
    }
    if (step % 250 == 0) {
      std::cout << "step " << step << ": reconstruction loss " << loss.item<double>() << "\n";
    }
  }
  ember::autograd::NoGradGuard no_grad;
  const ember::Tensor test_noisy = test_clean + ember::randn(test_clean.sizes()) * noise;
  const double test_loss = (model->forward(test_noisy) - test_clean).pow(2).mean().item<double>();
  const double baseline = (test_noisy - test_clean).pow(2).mean().item<double>();
  std::cout << *model << "\nheld-out reconstruction loss " << test_loss
            << "; the noisy inputs' own loss " << baseline << "\n";
  return test_loss < 0.4 * baseline ? EXIT_SUCCESS : EXIT_FAILURE;
}
