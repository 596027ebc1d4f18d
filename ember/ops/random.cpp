// Random ops over Philox generators (Note [random numbers]): each fill reserves one offset of its
// generator (the default one unless a Generator is passed), so results are reproducible from the
// generator's state and independent of the thread count.
#include "ember/ops/random.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/inplace.h"
#include "ember/ops/math.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"
#include "ember/ops/primitives_sampling.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember {
namespace {

using Distribution = RandomFill::Distribution;

// 64 bits from the OS's entropy source, mixed with the clock where that source is deterministic.
uint64_t nondeterministic_seed() {
  std::random_device device;
  const auto ticks =
      static_cast<uint64_t>(std::chrono::high_resolution_clock::now().time_since_epoch().count());
  return ((static_cast<uint64_t>(device()) << 32) | device()) ^ (ticks * 0x9E3779B97F4A7C15ULL);
}

const char* device_type_name(Device device) { return device.is_cuda() ? "cuda" : "cpu"; }

// The generator a fill on `device` draws from: the one given, which must serve that device type
// (PyTorch's check), or the device's default generator.
const Generator& chosen(const std::optional<Generator>& generator, Device device,
                        std::string_view op) {
  if (!generator) {
    return device.is_cuda() ? cuda::detail::getDefaultCUDAGenerator(device.index())
                            : detail::getDefaultCPUGenerator();
  }
  EMBER_CHECK(generator->defined(), "[", op, "] got an undefined Generator");
  EMBER_CHECK(generator->device().type() == device.type(), "[", op, "] Expected a '",
              device_type_name(device), "' device type for generator but found '",
              device_type_name(generator->device()), "'");
  return *generator;
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

// Fills `target` with make(state) (a RandomFill) on one reserved stream position of `generator`:
// directly when it is contiguous and of the kernel's type, otherwise through a contiguous buffer
// of that type and a casting copy.
template <class Make>
Tensor& fill_random(Tensor& target, const Generator& generator, ScalarType kernel_dtype,
                    const Make& make) {
  check_no_internal_overlap("random", target);
  if (target.numel() == 0) return target;
  const bool direct = target.is_contiguous() && target.dtype() == kernel_dtype;
  Tensor buffer =
      direct ? target : empty(target.shape(), TensorOptions(kernel_dtype).device(target.device()));
  run(make(generator.take(buffer.numel())), {}, {buffer});
  if (!direct) run(Copy(), {buffer}, {target});
  return target;
}

Tensor& fill_distribution(Tensor& target, const std::optional<Generator>& generator,
                          Distribution distribution, double a, double b, ScalarType kernel_dtype,
                          std::string_view op) {
  return fill_random(target, chosen(generator, target.device(), op), kernel_dtype,
                     [&](PhiloxState state) { return RandomFill(distribution, a, b, state); });
}

ScalarType float_kernel_type(ScalarType dtype, std::string_view op) {
  EMBER_CHECK(is_floating_point(dtype), "[", op, "] expects a floating point dtype; got ", dtype);
  return dtype == kFloat64 ? kFloat64 : kFloat32;
}

// Integers in [low, high) into `target` of any dtype (high may be 2^63, passed wrapped).
Tensor& fill_integers(Tensor& target, const std::optional<Generator>& generator, int64_t low,
                      int64_t high, std::string_view op) {
  return fill_random(target, chosen(generator, target.device(), op), kInt64,
                     [&](PhiloxState state) { return RandomFill::integers(low, high, state); });
}

// The values of `x` as a contiguous float64 tensor with no history, for samplers and checks.
Tensor float64_values(const Tensor& x) { return x.detach().to(kFloat64).contiguous(); }

// The inclusive upper bound of random_() on `dtype`: its largest value, or for floats the
// largest integer up to which every integer is exact (2^digits), as PyTorch.
int64_t random_upper(ScalarType dtype) {
  switch (dtype) {
    case kBool:
      return 1;
    case kUInt8:
      return std::numeric_limits<uint8_t>::max();
    case kInt8:
      return std::numeric_limits<int8_t>::max();
    case kInt16:
      return std::numeric_limits<int16_t>::max();
    case kInt32:
      return std::numeric_limits<int32_t>::max();
    case kInt64:
      return std::numeric_limits<int64_t>::max();
    case kFloat16:
      return int64_t{1} << 11;
    case kBFloat16:
      return int64_t{1} << 8;
    case kFloat32:
      return int64_t{1} << 24;
    case kFloat64:
      return int64_t{1} << 53;
  }
  return 0;
}

int64_t random_lower(ScalarType dtype) {
  switch (dtype) {
    case kInt8:
      return std::numeric_limits<int8_t>::min();
    case kInt16:
      return std::numeric_limits<int16_t>::min();
    case kInt32:
      return std::numeric_limits<int32_t>::min();
    case kInt64:
      return std::numeric_limits<int64_t>::min();
    case kFloat16:
    case kBFloat16:
    case kFloat32:
    case kFloat64:
      return -random_upper(dtype);
    case kBool:
    case kUInt8:
      return 0;
  }
  return 0;
}

}  // namespace

namespace detail {

Generator createCPUGenerator(uint64_t seed) { return make_generator<CPUGeneratorImpl>(seed); }

const Generator& getDefaultCPUGenerator() {
  static const Generator generator = createCPUGenerator(nondeterministic_seed());
  return generator;
}

}  // namespace detail

uint64_t Generator::seed() {
  const uint64_t value = nondeterministic_seed();
  set_current_seed(value);
  return value;
}

Tensor Generator::get_state() const {
  const PhiloxState state = impl_->philox_state();
  Tensor bytes = empty({static_cast<int64_t>(sizeof(PhiloxState))}, kUInt8);
  std::memcpy(bytes.data_ptr(), &state, sizeof(PhiloxState));
  return bytes;
}

void Generator::set_state(const Tensor& state) {
  EMBER_CHECK(state.dtype() == kUInt8 && state.dim() == 1 &&
                  state.numel() == static_cast<int64_t>(sizeof(PhiloxState)),
              "[set_state] RNG state must be a torch.ByteTensor (uint8) of ", sizeof(PhiloxState),
              " bytes (seed, offset), as get_state() returns; got ", state.dtype(), " of shape ",
              state.shape());
  PhiloxState value;
  std::memcpy(&value, state.contiguous().data_ptr(), sizeof(PhiloxState));
  impl_->set_philox_state(value);
}

namespace {
// The default generator as a handle: copies share its state.
Generator default_handle() { return detail::getDefaultCPUGenerator(); }
}  // namespace

// Seeding the default generator seeds every CUDA device's too (silently none without a device),
// as torch.manual_seed and torch.seed do.
void manual_seed(uint64_t seed) {
  {
    Generator generator = default_handle();
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_current_seed(seed);
  }
  cuda::manual_seed_all(seed);
}
uint64_t initial_seed() {
  const Generator generator = default_handle();
  std::lock_guard<std::mutex> lock(generator.mutex());
  return generator.current_seed();
}
uint64_t seed() {
  uint64_t value;
  {
    Generator generator = default_handle();
    std::lock_guard<std::mutex> lock(generator.mutex());
    value = generator.seed();
  }
  cuda::manual_seed_all(value);
  return value;
}
Tensor get_rng_state() {
  const Generator generator = default_handle();
  std::lock_guard<std::mutex> lock(generator.mutex());
  return generator.get_state();
}
void set_rng_state(const Tensor& state) {
  Generator generator = default_handle();
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_state(state);
}

// ---------------------------------------------------------------- factories

Tensor rand(IntArrayRef shape, TensorOptions options) { return rand(shape, std::nullopt, options); }
Tensor rand(IntArrayRef shape, std::optional<Generator> generator, TensorOptions options) {
  Tensor result = empty(shape, options.requires_grad(false));
  return with_requires_grad(result.uniform_(0.0, 1.0, generator), options, "rand");
}

Tensor randn(IntArrayRef shape, TensorOptions options) {
  return randn(shape, std::nullopt, options);
}
Tensor randn(IntArrayRef shape, std::optional<Generator> generator, TensorOptions options) {
  Tensor result = empty(shape, options.requires_grad(false));
  return with_requires_grad(result.normal_(0.0, 1.0, generator), options, "randn");
}

Tensor normal(double mean, double std, IntArrayRef shape, TensorOptions options) {
  return normal(mean, std, shape, std::nullopt, options);
}
Tensor normal(double mean, double std, IntArrayRef shape, std::optional<Generator> generator,
              TensorOptions options) {
  Tensor result = empty(shape, options.requires_grad(false));
  return with_requires_grad(result.normal_(mean, std, generator), options, "normal");
}

Tensor randint(int64_t high, IntArrayRef shape, TensorOptions options) {
  return randint(0, high, shape, std::nullopt, options);
}
Tensor randint(int64_t low, int64_t high, IntArrayRef shape, TensorOptions options) {
  return randint(low, high, shape, std::nullopt, options);
}
Tensor randint(int64_t high, IntArrayRef shape, std::optional<Generator> generator,
               TensorOptions options) {
  return randint(0, high, shape, generator, options);
}
Tensor randint(int64_t low, int64_t high, IntArrayRef shape, std::optional<Generator> generator,
               TensorOptions options) {
  EMBER_CHECK(low < high,
              "[randint] random_ expects 'from' to be less than 'to', but got from=", low,
              " >= to=", high);
  Tensor result =
      empty(shape, options.dtype(options.dtype_opt().value_or(kInt64)).requires_grad(false));
  fill_integers(result, generator, low, high, "randint");
  return with_requires_grad(result, options, "randint");
}

Tensor randint_like(const Tensor& self, int64_t high, std::optional<TensorOptions> options) {
  return randint_like(self, 0, high, options);
}
Tensor randint_like(const Tensor& self, int64_t low, int64_t high,
                    std::optional<TensorOptions> options) {
  EMBER_CHECK(low < high,
              "[randint_like] random_ expects 'from' to be less than 'to', but got from=", low,
              " >= to=", high);
  const TensorOptions given = options.value_or(TensorOptions());
  Tensor result = empty_like(self, given.requires_grad(false));
  fill_integers(result, std::nullopt, low, high, "randint_like");
  return with_requires_grad(result, given, "randint_like");
}

Tensor rand_like(const Tensor& like, std::optional<TensorOptions> options) {
  const TensorOptions chosen_options = options.value_or(TensorOptions());
  Tensor result = empty_like(like, chosen_options.requires_grad(false));
  return with_requires_grad(result.uniform_(0.0, 1.0), chosen_options, "rand_like");
}
Tensor randn_like(const Tensor& like, std::optional<TensorOptions> options) {
  const TensorOptions chosen_options = options.value_or(TensorOptions());
  Tensor result = empty_like(like, chosen_options.requires_grad(false));
  return with_requires_grad(result.normal_(0.0, 1.0), chosen_options, "randn_like");
}

Tensor randperm(int64_t n, TensorOptions options) { return randperm(n, std::nullopt, options); }
Tensor randperm(int64_t n, std::optional<Generator> generator, TensorOptions options) {
  EMBER_CHECK(n >= 0, "[randperm] n must be non-negative, got ", n);
  const ScalarType dtype = options.dtype_opt().value_or(kInt64);
  EMBER_CHECK(dtype != kBool && (n == 0 || n - 1 <= random_upper(dtype)),
              "[randperm] n is too large for result tensor type: '", dtype, "' (n=", n, ")");
  const Device device = options.device_opt().value_or(Device(kCPU));
  const Generator& source = chosen(generator, device, "randperm");
  // Fisher-Yates is sequential, so a CUDA permutation is drawn on the host from the CUDA
  // generator's stream (the CPU's numbers for the same seed) and then moved to the device.
  Tensor result = empty({n}, options.dtype(dtype).device(kCPU).requires_grad(false));
  fill_random(result, source, kInt64, [](PhiloxState state) {
    return RandomFill(Distribution::Permutation, 0.0, 0.0, state);
  });
  if (device.is_cuda()) result = result.to(device, dtype);
  return with_requires_grad(result, options, "randperm");
}

// ---------------------------------------------------------------- samplers over tensors

namespace {

// PyTorch's normal with tensor mean or std records a node whose gradients for them are zeros:
// the sample takes their history through where(true, sample, input), which passes them none.
Tensor with_zero_gradients(Tensor sample, std::initializer_list<const Tensor*> inputs) {
  for (const Tensor* input : inputs) {
    if (input->requires_grad())
      sample = where(full({}, true, TensorOptions(kBool).device(sample.device())), sample, *input);
  }
  return sample;
}

// Runs `check` (which raises the CPU's message at the first invalid value) on the values of a
// contiguous float64 tensor of sampler parameters. A CUDA tensor is screened on the device first:
// `all_valid` reduces it to one bool, read with one synchronising copy (as PyTorch's CUDA samplers
// check), and only an invalid tensor is copied to the host for the message.
template <class AllValid, class Check>
void check_values(const Tensor& values, const AllValid& all_valid, const Check& check) {
  if (!values.device().is_cuda()) return check(values);
  if (all_valid(values).item().toBool()) return;
  check(values.to(kCPU));
}

// multinomial's checks of (rows, categories) float64 weights, row by row as PyTorch's.
void check_multinomial_rows(const double* w, int64_t rows, int64_t categories, int64_t num_samples,
                            bool replacement) {
  for (int64_t r = 0; r < rows; ++r) {
    double total = 0;
    int64_t positive = 0;
    for (int64_t c = 0; c < categories; ++c) {
      const double value = w[r * categories + c];
      EMBER_CHECK(std::isfinite(value) && value >= 0,
                  "[multinomial] probability tensor contains either `inf`, `nan` or element < 0");
      total += value;
      positive += value > 0;
    }
    EMBER_CHECK(total > 0,
                "[multinomial] invalid multinomial distribution (sum of probabilities "
                "<= 0) in row ",
                r);
    EMBER_CHECK(replacement || positive >= num_samples,
                "[multinomial] invalid multinomial distribution (with replacement=False, not "
                "enough non-negative category to sample): row ",
                r, " has ", positive, " positive weights for ", num_samples, " samples");
  }
}

}  // namespace

Tensor normal(const Tensor& mean, double std, std::optional<Generator> generator) {
  EMBER_CHECK(std >= 0.0, "[normal] expects std >= 0.0, but found std ", std);
  EMBER_CHECK(is_floating_point(mean.dtype()), "[normal] expects a floating point mean; got ",
              mean.dtype());
  Tensor noise = empty(mean.shape(), TensorOptions(mean.dtype()).device(mean.device()));
  noise.normal_(0.0, std, generator);
  return with_zero_gradients(add(noise, mean.detach()), {&mean});
}

Tensor normal(double mean, const Tensor& std, std::optional<Generator> generator) {
  return normal(full({}, mean, TensorOptions(std.dtype()).device(std.device())), std, generator);
}

Tensor normal(const Tensor& mean, const Tensor& std, std::optional<Generator> generator) {
  EMBER_CHECK(is_floating_point(mean.dtype()) && is_floating_point(std.dtype()),
              "[normal] expects floating point mean and std; got ", mean.dtype(), " and ",
              std.dtype());
  const Tensor scale = std.detach();
  EMBER_CHECK(all(ge(scale, zeros({}, TensorOptions(scale.dtype()).device(scale.device()))))
                  .item()
                  .toBool(),
              "[normal] expects all elements of std >= 0.0");
  const Shape shape = broadcast_shapes(mean.shape(), std.shape(), "normal");
  Tensor noise = empty(shape, TensorOptions(result_type(mean, std)).device(mean.device()));
  noise.normal_(0.0, 1.0, generator);
  return with_zero_gradients(add(mean.detach(), mul(scale, noise)), {&mean, &std});
}

Tensor bernoulli(const Tensor& probabilities) { return bernoulli(probabilities, std::nullopt); }
Tensor bernoulli(const Tensor& probabilities, std::optional<Generator> generator) {
  EMBER_CHECK(is_floating_point(probabilities.dtype()),
              "[bernoulli] expects a floating point tensor of probabilities; got ",
              probabilities.dtype());
  Tensor uniform =
      empty(probabilities.shape(), TensorOptions(kFloat32).device(probabilities.device()));
  uniform.uniform_(0.0, 1.0, generator);
  return lt(uniform, probabilities.detach()).to(probabilities.dtype());
}
Tensor bernoulli(const Tensor& self, double p, std::optional<Generator> generator) {
  return empty_like(self).bernoulli_(p, generator);
}

Tensor multinomial(const Tensor& probabilities, int64_t num_samples, bool replacement,
                   std::optional<Generator> generator) {
  const int64_t dims = probabilities.dim();
  EMBER_CHECK(dims == 1 || dims == 2, "[multinomial] prob_dist must be 1 or 2 dim; got shape ",
              probabilities.shape());
  EMBER_CHECK(
      is_floating_point(probabilities.dtype()),
      "[multinomial] only supports floating-point dtypes for input, got: ", probabilities.dtype());
  EMBER_CHECK(num_samples > 0, "[multinomial] cannot sample n_sample <= 0 samples (got ",
              num_samples, ")");
  const int64_t categories = probabilities.size(-1);
  EMBER_CHECK(replacement || num_samples <= categories,
              "[multinomial] cannot sample n_sample > prob_dist.size(-1) samples without "
              "replacement (n_sample=",
              num_samples, ", categories=", categories, ")");
  EMBER_CHECK(categories > 0, "[multinomial] prob_dist has no categories (shape ",
              probabilities.shape(), ")");
  const int64_t rows = dims == 2 ? probabilities.size(0) : 1;
  const Tensor weights = float64_values(probabilities).reshape({rows, categories});
  check_values(
      weights,
      [&](const Tensor& w) {
        // Every row's weights finite and >= 0, with a positive sum (so at least one positive
        // weight) and, without replacement, at least num_samples positive ones.
        const Tensor valid = logical_and(isfinite(w), ge(w, 0.0));
        const Tensor positive = gt(w, 0.0).sum({1});
        return logical_and(all(valid), all(ge(positive, replacement ? int64_t{1} : num_samples)));
      },
      [&](const Tensor& host) {
        check_multinomial_rows(host.data_ptr<double>(), rows, categories, num_samples, replacement);
      });
  Tensor result = empty({rows, num_samples}, TensorOptions(kInt64).device(weights.device()));
  const PhiloxState state = chosen(generator, weights.device(), "multinomial").take(result.numel());
  run(RandomFill(Distribution::Multinomial, replacement ? 1.0 : 0.0, 0.0, state), {weights},
      {result});
  return dims == 1 ? result.reshape({num_samples}) : result;
}

Tensor poisson(const Tensor& rates, std::optional<Generator> generator) {
  EMBER_CHECK(is_floating_point(rates.dtype()),
              "[poisson] expects a floating point tensor of rates; got ", rates.dtype());
  const Tensor values = float64_values(rates);
  check_values(
      values, [](const Tensor& r) { return all(logical_and(isfinite(r), ge(r, 0.0))); },
      [](const Tensor& host) {
        const double* r = host.data_ptr<double>();
        for (int64_t i = 0; i < host.numel(); ++i) {
          EMBER_CHECK(std::isfinite(r[i]) && r[i] >= 0,
                      "[poisson] invalid Poisson rate, expected rate to be finite and "
                      "non-negative; got ",
                      r[i]);
        }
      });
  Tensor result = empty(rates.shape(), TensorOptions(kFloat64).device(rates.device()));
  if (result.numel() > 0) {
    const PhiloxState state = chosen(generator, rates.device(), "poisson").take(result.numel());
    run(RandomFill(Distribution::Poisson, 0.0, 0.0, state), {values}, {result});
  }
  return result.to(rates.dtype());
}

namespace {

// The float64 values of a floating tensor of sampler parameters (on its device), each checked by
// `valid` on the host: a CUDA tensor's values are checked on a host copy (one synchronising copy
// per call, the price of the CPU's error messages).
template <class Valid>
Tensor checked_parameters(const Tensor& x, std::string_view op, std::string_view name,
                          std::string_view expected, const Valid& valid) {
  EMBER_CHECK(is_floating_point(x.dtype()), "[", op, "] expects a floating point tensor of ", name,
              "; got ", x.dtype());
  const Tensor values = float64_values(x);
  const Tensor host = values.device().is_cuda() ? values.to(kCPU) : values;
  const double* v = host.data_ptr<double>();
  for (int64_t i = 0; i < values.numel(); ++i) {
    EMBER_CHECK(valid(v[i]), "[", op, "] expects ", name, " ", expected, "; got ", v[i],
                " in a tensor of shape ", x.shape());
  }
  return values;
}

}  // namespace

Tensor _standard_gamma(const Tensor& alpha, std::optional<Generator> generator) {
  checked_parameters(alpha, "_standard_gamma", "alpha", "finite and > 0",
                     [](double a) { return std::isfinite(a) && a > 0; });
  // Through a float64 copy that keeps alpha's history, so the gradient reaches alpha.
  const Tensor alpha64 = alpha.to(kFloat64).contiguous();
  Tensor sample = empty(alpha.shape(), TensorOptions(kFloat64).device(alpha.device()));
  const PhiloxState state =
      chosen(generator, alpha.device(), "_standard_gamma").take(sample.numel());
  run_unless_empty(StandardGamma(state), {alpha64}, {sample});
  return sample.to(alpha.dtype());
}

Tensor _standard_gamma_grad(const Tensor& alpha, const Tensor& x) {
  EMBER_CHECK(is_floating_point(alpha.dtype()) && is_floating_point(x.dtype()),
              "[_standard_gamma_grad] expects floating point alpha and x; got ", alpha.dtype(),
              " and ", x.dtype());
  const Shape shape = broadcast_shapes(alpha.shape(), x.shape(), "_standard_gamma_grad");
  Tensor grad = empty(shape, TensorOptions(kFloat64).device(alpha.device()));
  run_unless_empty(StandardGammaGrad(),
                   {float64_values(alpha.expand(shape)), float64_values(x.expand(shape))}, {grad});
  return grad.to(result_type(alpha, x));
}

Tensor _sample_dirichlet(const Tensor& alpha, std::optional<Generator> generator) {
  EMBER_CHECK(alpha.dim() >= 1,
              "[_sample_dirichlet] expects alpha with at least one dim; got "
              "shape ",
              alpha.shape());
  const Tensor gammas = _standard_gamma(alpha, generator);
  return div(gammas, gammas.sum({-1}, true));
}

Tensor binomial(const Tensor& count, const Tensor& prob, std::optional<Generator> generator) {
  EMBER_CHECK(count.device() == prob.device(),
              "[binomial] expects count and prob on one device; got ", count.device(), " and ",
              prob.device());
  const Shape shape = broadcast_shapes(count.shape(), prob.shape(), "binomial");
  const Tensor counts =
      checked_parameters(count, "binomial", "count", "integral and >= 0",
                         [](double c) { return std::isfinite(c) && c >= 0 && c == std::trunc(c); });
  const Tensor probs = checked_parameters(prob, "binomial", "prob", "in [0, 1]",
                                          [](double p) { return p >= 0 && p <= 1; });
  Tensor result = empty(shape, TensorOptions(kFloat64).device(count.device()));
  if (result.numel() > 0) {
    const PhiloxState state = chosen(generator, count.device(), "binomial").take(result.numel());
    run(Binomial(state), {counts.expand(shape).contiguous(), probs.expand(shape).contiguous()},
        {result});
  }
  return result.to(result_type(count, prob));
}

// ---------------------------------------------------------------- in-place fills

Tensor& Tensor::uniform_(double from, double to, std::optional<Generator> generator) {
  EMBER_CHECK(from <= to && std::isfinite(from) && std::isfinite(to),
              "[uniform_] expects from <= to, both finite; got from=", from, " to=", to);
  const ScalarType kernel = float_kernel_type(dtype(), "uniform_");
  fill_distribution(*this, generator, Distribution::Uniform, from, to, kernel, "uniform_");
  // A float32 draw just below `to` can round up to `to` in a 16-bit type; keep [from, to).
  if (kernel != dtype() && dtype() != kFloat64 && numel() > 0) {
    // Scalars on this tensor's device: ops take operands of one device only.
    const TensorOptions here = TensorOptions(dtype()).device(device());
    const Tensor high = full({}, to, here);
    const Tensor below = full({}, largest_below(to, dtype()), here);
    run(Copy(), {ember::where(ember::ge(*this, high), below, *this)}, {*this});
  }
  return *this;
}

Tensor& Tensor::normal_(double mean, double std, std::optional<Generator> generator) {
  EMBER_CHECK(std >= 0 && std::isfinite(std), "[normal_] expects std >= 0.0, but found std ", std);
  return fill_distribution(*this, generator, Distribution::Normal, mean, std,
                           float_kernel_type(dtype(), "normal_"), "normal_");
}

Tensor& Tensor::bernoulli_(double p, std::optional<Generator> generator) {
  EMBER_CHECK(p >= 0 && p <= 1, "[bernoulli_] expects p to be in [0, 1], but got p=", p);
  return fill_distribution(*this, generator, Distribution::Bernoulli, p, 0.0, kFloat32,
                           "bernoulli_");
}

Tensor& Tensor::bernoulli_(const Tensor& p, std::optional<Generator> generator) {
  check_no_internal_overlap("bernoulli_", *this);
  EMBER_CHECK(broadcast_shapes(shape(), p.shape(), "bernoulli_") == shape(),
              "[bernoulli_] p of shape ", p.shape(), " does not broadcast to self's shape ",
              shape());
  const Tensor draws = ember::bernoulli(p.detach().to(kFloat64).expand(shape()), generator);
  run(Copy(), {draws}, {*this});
  return *this;
}

Tensor Tensor::bernoulli(std::optional<Generator> generator) const {
  return ember::bernoulli(*this, generator);
}
Tensor Tensor::bernoulli(double p, std::optional<Generator> generator) const {
  return ember::bernoulli(*this, p, generator);
}

Tensor& Tensor::exponential_(double lambd, std::optional<Generator> generator) {
  EMBER_CHECK(lambd > 0 && std::isfinite(lambd),
              "[exponential_] expects lambda > 0.0, but found lambda=", lambd);
  return fill_distribution(*this, generator, Distribution::Exponential, lambd, 0.0,
                           float_kernel_type(dtype(), "exponential_"), "exponential_");
}

Tensor& Tensor::geometric_(double p, std::optional<Generator> generator) {
  EMBER_CHECK(p > 0 && p < 1, "[geometric_] expects p to be in (0, 1), but got p=", p);
  EMBER_CHECK(dtype() != kBool, "[geometric_] is not implemented for bool tensors");
  return fill_distribution(*this, generator, Distribution::Geometric, p, 0.0, kFloat64,
                           "geometric_");
}

Tensor& Tensor::log_normal_(double mean, double std, std::optional<Generator> generator) {
  EMBER_CHECK(std > 0 && std::isfinite(std),
              "[log_normal_] expects std > 0.0, but found std=", std);
  return fill_distribution(*this, generator, Distribution::LogNormal, mean, std,
                           float_kernel_type(dtype(), "log_normal_"), "log_normal_");
}

Tensor& Tensor::cauchy_(double median, double sigma, std::optional<Generator> generator) {
  EMBER_CHECK(sigma > 0 && std::isfinite(sigma) && std::isfinite(median),
              "[cauchy_] expects sigma > 0.0 and a finite median, but found median=", median,
              " sigma=", sigma);
  return fill_distribution(*this, generator, Distribution::Cauchy, median, sigma,
                           float_kernel_type(dtype(), "cauchy_"), "cauchy_");
}

Tensor& Tensor::random_(std::optional<Generator> generator) {
  return random_(0, std::nullopt, generator);
}

Tensor& Tensor::random_(int64_t to, std::optional<Generator> generator) {
  return random_(0, to, generator);
}

Tensor& Tensor::random_(int64_t from, std::optional<int64_t> to,
                        std::optional<Generator> generator) {
  const ScalarType type = dtype();
  const int64_t upper = random_upper(type);
  EMBER_CHECK(from >= random_lower(type) && from <= upper, "[random_] from=", from,
              " is out of bounds for ", type);
  if (to) {
    EMBER_CHECK(from < *to,
                "[random_] random_ expects 'from' to be less than 'to', but got from=", from,
                " >= to=", *to);
    EMBER_CHECK(*to - 1 <= upper, "[random_] to - 1 = ", *to - 1, " is out of bounds for ", type);
    return fill_integers(*this, generator, from, *to, "random_");
  }
  // [from, upper]: upper + 1 wraps to -2^63 for int64, which the unsigned range arithmetic of the
  // kernel reads as 2^63.
  const auto high = static_cast<int64_t>(static_cast<uint64_t>(upper) + 1);
  return fill_integers(*this, generator, from, high, "random_");
}

Tensor Tensor::multinomial(int64_t num_samples, bool replacement,
                           std::optional<Generator> generator) const {
  return ember::multinomial(*this, num_samples, replacement, generator);
}

}  // namespace ember
