// RandomFill's Multinomial draws as a composite of ember ops (multinomial_composite.h).
#include "ember/backend/cuda/multinomial_composite.h"

#include <limits>
#include <tuple>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/scan.h"

namespace ember::cuda {
namespace {

using Distribution = RandomFill::Distribution;

// Category indices (rows, samples) drawn with replacement.
Tensor draw_with_replacement(const Tensor& weights, int64_t samples, PhiloxState state) {
  const int64_t rows = weights.size(0), categories = weights.size(1);
  Tensor uniforms = empty({rows, samples}, TensorOptions(kFloat64).device(weights.device()));
  run(RandomFill(Distribution::Uniform, 0.0, 1.0, state), {}, {uniforms});
  // (m + 0.5) 2^-53, the CPU's uniform_open01_f64, rounds as m 2^-53 + 2^-54 does.
  const Tensor open_uniforms = add(uniforms, 0x1p-54);
  const Tensor cumulative = cumsum(weights, 1);
  const Tensor targets = mul(open_uniforms, narrow(cumulative, 1, categories - 1, 1));
  const Tensor found = searchsorted(cumulative, targets, false, true);
  const Tensor columns = arange(categories, TensorOptions(kInt64).device(weights.device()));
  const Tensor last_positive = amax(where(gt(weights, 0.0), columns, -1), {1}, true);
  return where(eq(found, categories), last_positive, found);
}

// Category indices (rows, samples) drawn without replacement.
Tensor draw_without_replacement(const Tensor& weights, int64_t samples, PhiloxState state) {
  Tensor exponentials = empty(weights.shape(), TensorOptions(kFloat64).device(weights.device()));
  run(RandomFill(Distribution::Exponential, 1.0, 0.0, state), {}, {exponentials});
  const Tensor keys = where(gt(weights, 0.0), div(neg(exponentials), weights),
                            -std::numeric_limits<double>::infinity());
  return std::get<1>(topk(keys, samples, 1, true, true));
}

}  // namespace

void multinomial_composite(const RandomFill& fill, const Tensor& weights, const Tensor& out) {
  EMBER_CHECK(weights.dim() == 2 && weights.dtype() == kFloat64 && weights.is_contiguous() &&
                  out.dim() == 2 && out.dtype() == kInt64 && out.is_contiguous() &&
                  out.size(0) == weights.size(0),
              "[multinomial] expects contiguous float64 weights (rows, categories) and int64 "
              "samples (rows, samples)");
  if (out.numel() == 0) return;
  const Tensor w = weights.detach();
  const Tensor drawn = fill.a() != 0 ? draw_with_replacement(w, out.size(1), fill.state())
                                     : draw_without_replacement(w, out.size(1), fill.state());
  run(Copy(), {drawn}, {out});
}

}  // namespace ember::cuda
