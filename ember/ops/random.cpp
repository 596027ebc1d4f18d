// Random ops over one global Philox generator: manual_seed(s) restarts the stream, and each fill
// takes the next offset, so results are reproducible and independent of the thread count.
#include <cmath>
#include <mutex>

#include "ember/base/error.h"
#include "ember/base/philox.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/inplace.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"

namespace ember {
namespace {

using Distribution = RandomFill::Distribution;

class Generator {
 public:
  void seed(uint64_t value) {
    std::lock_guard<std::mutex> lock(mutex_);
    seed_ = value;
    offset_ = 0;
  }
  uint64_t initial_seed() {
    std::lock_guard<std::mutex> lock(mutex_);
    return seed_;
  }
  // Reserves the stream position for one fill of n elements.
  PhiloxState take(int64_t n) {
    std::lock_guard<std::mutex> lock(mutex_);
    const PhiloxState state{seed_, offset_};
    offset_ += counters_used(n);
    return state;
  }

 private:
  std::mutex mutex_;
  uint64_t seed_ = 67280421310721ULL;
  uint64_t offset_ = 0;
};

Generator& default_generator() {
  static Generator generator;
  return generator;
}

// The largest value of `dtype` below `bound`: one step down from `bound` rounded to dtype.
double largest_below(double bound, ScalarType dtype) {
  const Tensor rounded = scalar_tensor(bound, dtype);
  const double value = rounded.item().to_double();
  if (value < bound) return value;
  const uint16_t bits = *static_cast<const uint16_t*>(rounded.data_ptr());
  // 16-bit floats: stepping the magnitude bits moves one ulp toward zero (positive) or away.
  const uint16_t stepped = value > 0 ? bits - 1 : (value == 0 ? 0x8001 : bits + 1);
  Tensor result = empty({}, dtype);
  *static_cast<uint16_t*>(result.data_ptr()) = stepped;
  return result.item().to_double();
}

// Fills `target` from the distribution: directly when it is contiguous and of the kernel's
// type, otherwise through a contiguous buffer of that type and a casting copy.
Tensor& fill_random(Tensor& target, Distribution distribution, double a, double b,
                    ScalarType kernel_dtype) {
  check_no_internal_overlap("random", target);
  if (target.numel() == 0) return target;
  const bool direct = target.is_contiguous() && target.dtype() == kernel_dtype;
  Tensor buffer = direct ? target : empty(target.shape(), kernel_dtype);
  const PhiloxState state = default_generator().take(buffer.numel());
  run(RandomFill(distribution, a, b, state.seed, state.offset), {}, {buffer});
  if (!direct) run(Copy(), {buffer}, {target});
  // A float32 draw just below `b` can round up to `b` in a 16-bit type; keep [a, b) half-open.
  if (distribution == Distribution::Uniform && !direct && is_floating_point(target.dtype())) {
    const Tensor high = scalar_tensor(b, target.dtype());
    const Tensor below = scalar_tensor(largest_below(b, target.dtype()), target.dtype());
    run(Copy(), {where(ge(target, high), below, target)}, {target});
  }
  return target;
}

ScalarType float_kernel_type(ScalarType dtype, std::string_view op) {
  EMBER_CHECK(is_floating_point(dtype), "[", op, "] expects a floating point dtype; got ", dtype);
  return dtype == kFloat64 ? kFloat64 : kFloat32;
}

}  // namespace

void manual_seed(uint64_t seed) { default_generator().seed(seed); }
uint64_t initial_seed() { return default_generator().initial_seed(); }

Tensor rand(IntArrayRef shape, TensorOptions options) {
  Tensor result = empty(shape, options.requires_grad(false));
  return with_requires_grad(result.uniform_(0.0, 1.0), options, "rand");
}

Tensor randn(IntArrayRef shape, TensorOptions options) {
  Tensor result = empty(shape, options.requires_grad(false));
  return with_requires_grad(result.normal_(0.0, 1.0), options, "randn");
}

Tensor normal(double mean, double std, IntArrayRef shape, TensorOptions options) {
  Tensor result = empty(shape, options.requires_grad(false));
  return with_requires_grad(result.normal_(mean, std), options, "normal");
}

Tensor randint(int64_t high, IntArrayRef shape, TensorOptions options) {
  return randint(0, high, shape, options);
}

Tensor randint(int64_t low, int64_t high, IntArrayRef shape, TensorOptions options) {
  EMBER_CHECK(low < high,
              "[randint] random_ expects 'from' to be less than 'to', but got from=", low,
              " >= to=", high);
  Tensor result =
      empty(shape, options.dtype(options.dtype_opt().value_or(kInt64)).requires_grad(false));
  fill_random(result, Distribution::RandInt, static_cast<double>(low), static_cast<double>(high),
              kInt64);
  return with_requires_grad(result, options, "randint");
}

Tensor rand_like(const Tensor& like, std::optional<TensorOptions> options) {
  const TensorOptions chosen = options.value_or(TensorOptions());
  Tensor result = empty_like(like, chosen.requires_grad(false));
  return with_requires_grad(result.uniform_(0.0, 1.0), chosen, "rand_like");
}
Tensor randn_like(const Tensor& like, std::optional<TensorOptions> options) {
  const TensorOptions chosen = options.value_or(TensorOptions());
  Tensor result = empty_like(like, chosen.requires_grad(false));
  return with_requires_grad(result.normal_(0.0, 1.0), chosen, "randn_like");
}

Tensor bernoulli(const Tensor& probabilities) {
  EMBER_CHECK(is_floating_point(probabilities.dtype()),
              "[bernoulli] expects a floating point tensor of probabilities; got ",
              probabilities.dtype());
  Tensor uniform = empty(probabilities.shape(), kFloat32);
  fill_random(uniform, Distribution::Uniform, 0.0, 1.0, kFloat32);
  return lt(uniform, probabilities).to(probabilities.dtype());
}

Tensor& Tensor::uniform_(double from, double to) {
  EMBER_CHECK(from <= to && std::isfinite(from) && std::isfinite(to),
              "[uniform_] expects from <= to, both finite; got from=", from, " to=", to);
  return fill_random(*this, Distribution::Uniform, from, to,
                     float_kernel_type(dtype(), "uniform_"));
}

Tensor& Tensor::normal_(double mean, double std) {
  EMBER_CHECK(std >= 0 && std::isfinite(std), "[normal_] expects std >= 0.0, but found std ", std);
  return fill_random(*this, Distribution::Normal, mean, std, float_kernel_type(dtype(), "normal_"));
}

Tensor& Tensor::bernoulli_(double p) {
  EMBER_CHECK(p >= 0 && p <= 1, "[bernoulli_] expects p to be in [0, 1], but got p=", p);
  return fill_random(*this, Distribution::Bernoulli, p, 0.0, kFloat32);
}

Tensor Tensor::bernoulli() const { return ember::bernoulli(*this); }

}  // namespace ember
