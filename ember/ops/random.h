// Random ops with libtorch's overloads taking a Generator (`std::nullopt`: the default one), the
// samplers over tensors of parameters (multinomial, poisson, normal with tensor mean/std), and the
// global generator's state. The generator-less factories (rand, randn, ...) are in ops.h.
#pragma once

#include <cstdint>
#include <optional>

#include "ember/tensor/generator.h"
#include "ember/tensor/tensor.h"

namespace ember {

// The default generator: seeded non-deterministically (returns the seed), its state and back.
uint64_t seed();
Tensor get_rng_state();
void set_rng_state(const Tensor& state);

Tensor rand(IntArrayRef size, std::optional<Generator> generator, TensorOptions options = {});
Tensor randn(IntArrayRef size, std::optional<Generator> generator, TensorOptions options = {});
Tensor randint(int64_t high, IntArrayRef size, std::optional<Generator> generator,
               TensorOptions options = {});
Tensor randint(int64_t low, int64_t high, IntArrayRef size, std::optional<Generator> generator,
               TensorOptions options = {});
Tensor randint_like(const Tensor& self, int64_t high,
                    std::optional<TensorOptions> options = std::nullopt);
Tensor randint_like(const Tensor& self, int64_t low, int64_t high,
                    std::optional<TensorOptions> options = std::nullopt);
// A random permutation of 0..n-1 (int64 unless options say otherwise).
Tensor randperm(int64_t n, TensorOptions options = kInt64);
Tensor randperm(int64_t n, std::optional<Generator> generator, TensorOptions options = kInt64);
Tensor normal(double mean, double std, IntArrayRef size, std::optional<Generator> generator,
              TensorOptions options = {});
// Samples of N(mean, std^2) with mean and/or std tensors, broadcast together. No gradient flows
// to mean or std (PyTorch gives them zero gradients; ember records no graph).
Tensor normal(const Tensor& mean, double std = 1.0,
              std::optional<Generator> generator = std::nullopt);
Tensor normal(double mean, const Tensor& std, std::optional<Generator> generator = std::nullopt);
Tensor normal(const Tensor& mean, const Tensor& std,
              std::optional<Generator> generator = std::nullopt);
Tensor bernoulli(const Tensor& probabilities, std::optional<Generator> generator);
Tensor bernoulli(const Tensor& self, double p, std::optional<Generator> generator = std::nullopt);
// Category indices drawn from the rows of `probabilities` (1-D or 2-D non-negative weights).
Tensor multinomial(const Tensor& probabilities, int64_t num_samples, bool replacement = false,
                   std::optional<Generator> generator = std::nullopt);
// Samples of Poisson(rates), in rates' dtype.
Tensor poisson(const Tensor& rates, std::optional<Generator> generator = std::nullopt);
// Samples of Gamma(alpha, 1) in alpha's dtype (alpha finite and > 0). Differentiable w.r.t. alpha
// by implicit reparameterisation: d sample / d alpha = _standard_gamma_grad(alpha, sample).
Tensor _standard_gamma(const Tensor& alpha, std::optional<Generator> generator = std::nullopt);
// d x / d alpha of x ~ Gamma(alpha, 1) at fixed CDF value (not differentiable itself).
Tensor _standard_gamma_grad(const Tensor& alpha, const Tensor& x);
// Samples of Dirichlet(alpha) over the last dim: standard gammas over their sum, so the gradient
// flows through _standard_gamma's.
Tensor _sample_dirichlet(const Tensor& alpha, std::optional<Generator> generator = std::nullopt);
// Samples of Binomial(count, prob), count and prob broadcast together (count integral >= 0,
// prob in [0, 1]); the result has their floating result type.
Tensor binomial(const Tensor& count, const Tensor& prob,
                std::optional<Generator> generator = std::nullopt);

}  // namespace ember
