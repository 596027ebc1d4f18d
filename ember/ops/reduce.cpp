// Reduction op functions and their Tensor methods: dim lists, result dtypes and the B9 empty-input
// rules of PyTorch. sum, prod, amax, amin, all and any run the Reduce primitive; max/min over a dim
// and argmax/argmin run ArgReduce; mean, var, std, norm and logsumexp are composites.
#include <algorithm>
#include <cmath>
#include <limits>

#include "ember/base/error.h"
#include "ember/ops/autocast.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives.h"
#include "ember/tensor/tensor_impl.h"

namespace ember {
namespace {

using DimMask = uint64_t;

// PyTorch's ScalarType names, which its dtype messages print ("Got: Long").
std::string_view torch_type_name(ScalarType dtype) {
  switch (dtype) {
    case kBool:
      return "Bool";
    case kUInt8:
      return "Byte";
    case kInt8:
      return "Char";
    case kInt16:
      return "Short";
    case kInt32:
      return "Int";
    case kInt64:
      return "Long";
    case kFloat16:
      return "Half";
    case kBFloat16:
      return "BFloat16";
    case kFloat32:
      return "Float";
    case kFloat64:
      return "Double";
  }
  return "Unknown";
}

// The dims to reduce as a bit set: every dim when `dims` is empty; negative dims wrap (B6) and a
// repeated dim is an error, as in PyTorch.
DimMask reduced_dims(std::string_view op, const Tensor& x, IntArrayRef dims) {
  const int64_t ndim = x.dim();
  EMBER_CHECK(ndim <= 64, "[", op, "] only tensors with up to 64 dims are supported; got ", ndim);
  if (dims.empty()) return ndim == 64 ? ~DimMask{0} : (DimMask{1} << ndim) - 1;
  DimMask mask = 0;
  for (const int64_t dim : dims) {
    const int64_t d = wrap_dim(dim, ndim, op);
    EMBER_CHECK(((mask >> d) & 1) == 0, "[", op, "] dim ", d,
                " appears multiple times in the list of dims");
    mask |= DimMask{1} << d;
  }
  return mask;
}

DimMask single_dim(std::string_view op, const Tensor& x, std::optional<int64_t> dim) {
  return dim ? reduced_dims(op, x, {*dim}) : reduced_dims(op, x, {});
}

bool is_reduced(DimMask mask, int64_t d) { return ((mask >> d) & 1) != 0; }

Shape reduced_shape(const Tensor& x, DimMask mask, bool keepdim) {
  Shape shape;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (!is_reduced(mask, d)) {
      shape.push_back(x.shape()[d]);
    } else if (keepdim) {
      shape.push_back(1);
    }
  }
  return shape;
}

int64_t reduced_numel(const Tensor& x, DimMask mask) {
  int64_t count = 1;
  for (int64_t d = 0; d < x.dim(); ++d) {
    if (is_reduced(mask, d)) count *= x.shape()[d];
  }
  return count;
}

// Runs the Reduce primitive into a fresh `dtype` tensor and returns it in its final shape.
Tensor reduce(ReduceOp op, const Tensor& x, DimMask mask, bool keepdim, ScalarType dtype) {
  Tensor out = empty(reduced_shape(x, mask, true), TensorOptions(dtype).device(x.device()));
  run_unless_empty(Reduce(op), {x}, {out});
  return keepdim ? out : named_reshape(out, reduced_shape(x, mask, false), Reduce(op).name());
}

// A reduction with a dtype= argument casts its input first, as PyTorch does; the cast is skipped
// when the kernel's accumulate type already is `dtype` (integers to int64, float16/bfloat16 to
// float32), which gives the same result without a copy.
Tensor cast_for_reduction(const Tensor& x, std::optional<ScalarType> dtype) {
  if (!dtype || *dtype == x.dtype()) return x;
  const bool accumulates_as_dtype = (*dtype == kInt64 && is_integral(x.dtype(), true)) ||
                                    (*dtype == kFloat32 && is_reduced_float(x.dtype()));
  return accumulates_as_dtype ? x : to(x, std::nullopt, *dtype);
}

ScalarType sum_dtype(ScalarType dtype) { return is_integral(dtype, true) ? kInt64 : dtype; }

// B9: max-like reductions have no identity, so they refuse to fold zero elements.
void check_nonempty(std::string_view op, const Tensor& x, DimMask mask, bool dims_given) {
  if (x.numel() != 0) return;
  EMBER_CHECK(dims_given, "[", op,
              "] Expected reduction dim to be specified for input.numel() == 0. Specify the "
              "reduction dim with the 'dim' argument.");
  for (int64_t d = 0; d < x.dim(); ++d) {
    EMBER_CHECK_INDEX(!is_reduced(mask, d) || x.shape()[d] != 0, "[", op,
                      "] Expected reduction dim ", d, " to have non-zero size.");
  }
}

std::tuple<Tensor, Tensor> arg_reduce(std::string_view op, bool is_max, const Tensor& x,
                                      int64_t dim, bool keepdim) {
  const int64_t d = wrap_dim(dim, x.dim(), op);
  EMBER_CHECK_INDEX(x.numel() != 0 || x.shape()[d] != 0, "[", op, "] Expected reduction dim ", d,
                    " to have non-zero size.");
  // A 0-d input is treated as one element along dim 0 and keeps its 0-d shape.
  const Tensor input = x.dim() == 0 ? x.reshape({1}) : x;
  Shape shape = input.shape();
  shape[d] = 1;
  Tensor values = empty(shape, TensorOptions(x.dtype()).device(x.device()));
  Tensor indices = empty(shape, TensorOptions(kInt64).device(x.device()));
  run_unless_empty(ArgReduce(is_max, d), {input}, {values, indices});
  if (keepdim && x.dim() > 0) return {values, indices};
  shape.erase(static_cast<size_t>(d));
  return {values.view(shape), indices.view(shape)};
}

Tensor arg_index(std::string_view op, bool is_max, const Tensor& x, std::optional<int64_t> dim,
                 bool keepdim) {
  EMBER_CHECK(x.dtype() != kBool, "[", op, "] \"", op, "_cpu\" not implemented for 'Bool'");
  if (dim) return std::get<1>(arg_reduce(op, is_max, x, *dim, keepdim));
  EMBER_CHECK_INDEX(x.numel() != 0, "[", op,
                    "] Expected reduction dim to be specified for input.numel() == 0.");
  // Over all dims: the index into the flattened input; keepdim keeps every dim at size 1.
  Tensor index = std::get<1>(arg_reduce(op, is_max, x.reshape({-1}), 0, false));
  return keepdim ? index.view(Shape(static_cast<size_t>(x.dim()), 1)) : index;
}

Tensor extremum(std::string_view op, ReduceOp reduce_op, const Tensor& x) {
  EMBER_CHECK(x.numel() != 0, "[", op,
              "] Expected reduction dim to be specified for input.numel() == 0. Specify the "
              "reduction dim with the 'dim' argument.");
  return reduce(reduce_op, x, reduced_dims(op, x, {}), false, x.dtype());
}

// f(x), with a zero gradient where x == 0 (value there: value_at_zero): PyTorch's norm and std
// backward mask the points where the root's or power's derivative is infinite, which a zero
// gradient upstream would turn into NaN. Without autograd it is just f(x).
template <typename F>
Tensor flat_at_zero(const Tensor& x, double value_at_zero, F f) {
  if (!x.requires_grad()) return f(x);
  const Tensor zero = eq(x, 0);
  return where(zero, value_at_zero, f(where(zero, 1, x)));
}

Tensor sqrt_flat_at_zero(const Tensor& x) {
  return flat_at_zero(x, 0.0, [](const Tensor& t) { return sqrt(t); });
}

// var = scale^2 * normalized, with PyTorch's correction: sum((x - mean)^2) / max(0, N -
// correction), two passes so that a large mean does not cancel the variance. float16/bfloat16
// compute in float32. When the squares overflow (|x - mean| above sqrt of the dtype's max) they
// are summed again divided by the slice's largest |x - mean|, which keeps std finite; scale is
// undefined (1) otherwise.
struct Variance {
  Tensor normalized;
  Tensor scale;
};

Variance variance(std::string_view op, const Tensor& x, IntArrayRef dims, double correction,
                  bool keepdim) {
  EMBER_CHECK(is_floating_point(x.dtype()), "[", op,
              "] std and var only support floating point and complex dtypes; got ", x.dtype());
  const DimMask mask = reduced_dims(op, x, dims);
  const Tensor input = is_reduced_float(x.dtype()) ? to(x, std::nullopt, kFloat32) : x;
  const auto count = static_cast<double>(reduced_numel(x, mask));
  const double denominator = std::max(0.0, count - correction);
  const Tensor mean_value = div(reduce(ReduceOp::Sum, input, mask, true, input.dtype()), count);
  const Tensor centered = sub(input, mean_value);
  const Tensor squares =
      reduce(ReduceOp::Sum, mul(centered, centered), mask, keepdim, input.dtype());
  const double infinity = std::numeric_limits<double>::infinity();
  // A host read of the (reduced) result; the common case pays only this check.
  if (squares.numel() == 0 || eq(squares, infinity).any().item().to_int64() == 0) {
    return {div(squares, denominator), Tensor()};
  }
  const Tensor largest =
      reduce(ReduceOp::Amax, abs(centered.detach()) /* a constant scale for the gradient */, mask,
             true, input.dtype());
  const Tensor scale = where(eq(largest, 0), 1, largest);
  const Tensor scaled = div(centered, scale);
  const Tensor normalized =
      reduce(ReduceOp::Sum, mul(scaled, scaled), mask, keepdim, input.dtype());
  return {div(normalized, denominator), scale.reshape(normalized.shape())};
}

}  // namespace

Tensor sum(const Tensor& x, IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype) {
  const DimMask mask = reduced_dims("sum", x, dims);
  return reduce(ReduceOp::Sum, cast_for_reduction(x, dtype), mask, keepdim,
                dtype.value_or(sum_dtype(x.dtype())));
}

// PyTorch's CPU mean for float16/bfloat16: sum in float32, divide, round once at the end.
Tensor mean(const Tensor& x, IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype) {
  const ScalarType result_dtype = dtype.value_or(x.dtype());
  EMBER_CHECK(is_floating_point(result_dtype), "[mean] mean(): could not infer output dtype. ",
              dtype ? "Optional" : "Input",
              " dtype must be either a floating point or complex dtype. Got: ",
              torch_type_name(result_dtype));
  const DimMask mask = reduced_dims("mean", x, dims);
  const bool widen = is_reduced_float(result_dtype);
  const Tensor total = reduce(ReduceOp::Sum, cast_for_reduction(x, result_dtype), mask, keepdim,
                              widen ? kFloat32 : result_dtype);
  const Tensor result = div(total, static_cast<double>(reduced_numel(x, mask)));
  return widen ? to(result, std::nullopt, result_dtype) : result;
}

Tensor prod(const Tensor& x, std::optional<int64_t> dim, bool keepdim,
            std::optional<ScalarType> dtype) {
  if (autocast::active()) {
    return autocast::float32({x}, [&](const auto& in) { return prod(in[0], dim, keepdim, dtype); });
  }
  const DimMask mask = single_dim("prod", x, dim);
  return reduce(ReduceOp::Prod, cast_for_reduction(x, dtype), mask, keepdim,
                dtype.value_or(sum_dtype(x.dtype())));
}

Tensor amax(const Tensor& x, IntArrayRef dims, bool keepdim) {
  const DimMask mask = reduced_dims("amax", x, dims);
  check_nonempty("amax", x, mask, !dims.empty());
  return reduce(ReduceOp::Amax, x, mask, keepdim, x.dtype());
}

Tensor amin(const Tensor& x, IntArrayRef dims, bool keepdim) {
  const DimMask mask = reduced_dims("amin", x, dims);
  check_nonempty("amin", x, mask, !dims.empty());
  return reduce(ReduceOp::Amin, x, mask, keepdim, x.dtype());
}

Tensor max(const Tensor& x) { return extremum("max", ReduceOp::Amax, x); }
Tensor min(const Tensor& x) { return extremum("min", ReduceOp::Amin, x); }

std::tuple<Tensor, Tensor> max(const Tensor& x, int64_t dim, bool keepdim) {
  return arg_reduce("max", true, x, dim, keepdim);
}
std::tuple<Tensor, Tensor> min(const Tensor& x, int64_t dim, bool keepdim) {
  return arg_reduce("min", false, x, dim, keepdim);
}

Tensor argmax(const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  return arg_index("argmax", true, x, dim, keepdim);
}
Tensor argmin(const Tensor& x, std::optional<int64_t> dim, bool keepdim) {
  return arg_index("argmin", false, x, dim, keepdim);
}

Tensor var(const Tensor& x, IntArrayRef dims, double correction, bool keepdim) {
  const auto [normalized, scale] = variance("var", x, dims, correction, keepdim);
  const Tensor result = scale.defined() ? mul(normalized, mul(scale, scale)) : normalized;
  return result.dtype() == x.dtype() ? result : to(result, std::nullopt, x.dtype());
}

Tensor std(const Tensor& x, IntArrayRef dims, double correction, bool keepdim) {
  const auto [normalized, scale] = variance("std", x, dims, correction, keepdim);
  Tensor result = sqrt_flat_at_zero(normalized);
  if (scale.defined()) result = mul(result, scale);
  return result.dtype() == x.dtype() ? result : to(result, std::nullopt, x.dtype());
}

// linalg.vector_norm: max/min of |x| for p = +/-inf, the count of non-zeros for p = 0, and
// (sum |x|^p)^(1/p) otherwise, with p = 1 and 2 spelled without pow.
Tensor norm(const Tensor& x, double p, IntArrayRef dims, bool keepdim) {
  EMBER_CHECK(is_floating_point(x.dtype()),
              "[norm] Expected a floating point or complex tensor as input. Got ",
              torch_type_name(x.dtype()));
  EMBER_CHECK_VALUE(!std::isnan(p), "[norm] expected p to be a number or +/-inf; got nan");
  const DimMask mask = reduced_dims("norm", x, dims);
  if (x.numel() == 0 && (p < 0 || std::isinf(p))) {
    EMBER_CHECK(!dims.empty(), "[norm] linalg.vector_norm cannot compute the ", p,
                " norm on an empty tensor because the operation does not have an identity");
    for (int64_t d = 0; d < x.dim(); ++d) {
      EMBER_CHECK(!is_reduced(mask, d) || x.shape()[d] != 0,
                  "[norm] linalg.vector_norm cannot compute the ", p, " norm on the dimension ", d,
                  " because this dimension is empty and the operation does not have an identity");
    }
  }
  const Tensor input = is_reduced_float(x.dtype()) ? to(x, std::nullopt, kFloat32) : x;
  const ScalarType dtype = input.dtype();
  Tensor result;
  if (std::isinf(p)) {
    result = reduce(p > 0 ? ReduceOp::Amax : ReduceOp::Amin, abs(input), mask, keepdim, dtype);
  } else if (p == 0) {
    // The count of non-zeros; with autograd it keeps the input's history with a zero gradient
    // (PyTorch's result requires grad and backward through it succeeds).
    const Tensor nonzero = ne(input, 0);
    result =
        reduce(ReduceOp::Sum, input.requires_grad() ? where(nonzero, 1, mul(input, 0)) : nonzero,
               mask, keepdim, dtype);
  } else if (p == 1) {
    result = reduce(ReduceOp::Sum, abs(input), mask, keepdim, dtype);
  } else if (p == 2) {
    result = sqrt_flat_at_zero(reduce(ReduceOp::SumSquares, input, mask, keepdim, dtype));
  } else {
    const auto power = [p](const Tensor& t) { return pow(t, p); };
    const Tensor powers = flat_at_zero(abs(input), std::pow(0.0, p), power);
    const Tensor total = reduce(ReduceOp::Sum, powers, mask, keepdim, dtype);
    const auto root = [p](const Tensor& t) { return pow(t, 1.0 / p); };
    // p < 0: a zero element makes the total inf and the norm 0, whose gradient is 0 already.
    result = p > 0 ? flat_at_zero(total, 0.0, root) : root(total);
  }
  return result.dtype() == x.dtype() ? result : to(result, std::nullopt, x.dtype());
}

// amax + log(sum(exp(x - amax))), with an infinite amax replaced by 0 so that all -inf gives
// -inf and +inf gives +inf instead of NaN (PyTorch's rule). Integers compute in the default
// float type; float16/bfloat16 in float32.
Tensor logsumexp(const Tensor& x, IntArrayRef dims, bool keepdim) {
  const DimMask mask = reduced_dims("logsumexp", x, dims);
  const ScalarType dtype = is_floating_point(x.dtype()) ? x.dtype() : default_dtype();
  const ScalarType compute = is_reduced_float(dtype) ? kFloat32 : dtype;
  const Tensor input = x.dtype() == compute ? x : to(x, std::nullopt, compute);
  Tensor result;
  if (input.numel() == 0) {
    result = log(reduce(ReduceOp::Sum, exp(input), mask, keepdim, compute));
  } else {
    Tensor maxes = reduce(ReduceOp::Amax, input, mask, true, compute);
    maxes = where(eq(abs(maxes), std::numeric_limits<double>::infinity()), 0.0, maxes);
    const Tensor total = reduce(ReduceOp::Sum, exp(sub(input, maxes)), mask, keepdim, compute);
    result = add(log(total), keepdim ? maxes : maxes.view(reduced_shape(x, mask, false)));
  }
  return compute == dtype ? result : to(result, std::nullopt, dtype);
}

namespace {
// PyTorch keeps uint8 for uint8 inputs (a legacy it preserves); every other dtype gives bool.
ScalarType logical_result(const Tensor& x) { return x.dtype() == kUInt8 ? kUInt8 : kBool; }
}  // namespace

Tensor all(const Tensor& x) { return all(x, IntArrayRef{}, false); }
Tensor all(const Tensor& x, int64_t dim, bool keepdim) {
  return reduce(ReduceOp::All, x, single_dim("all", x, dim), keepdim, logical_result(x));
}
Tensor all(const Tensor& x, IntArrayRef dims, bool keepdim) {
  return reduce(ReduceOp::All, x, reduced_dims("all", x, dims), keepdim, logical_result(x));
}
Tensor any(const Tensor& x) { return any(x, IntArrayRef{}, false); }
Tensor any(const Tensor& x, int64_t dim, bool keepdim) {
  return reduce(ReduceOp::Any, x, single_dim("any", x, dim), keepdim, logical_result(x));
}
Tensor any(const Tensor& x, IntArrayRef dims, bool keepdim) {
  return reduce(ReduceOp::Any, x, reduced_dims("any", x, dims), keepdim, logical_result(x));
}

// ---------------------------------------------------------------- Tensor methods

Tensor Tensor::sum(std::optional<ScalarType> dtype) const {
  return ember::sum(*this, {}, false, dtype);
}
Tensor Tensor::sum(IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype) const {
  return ember::sum(*this, dims, keepdim, dtype);
}
Tensor Tensor::mean(std::optional<ScalarType> dtype) const {
  return ember::mean(*this, {}, false, dtype);
}
Tensor Tensor::mean(IntArrayRef dims, bool keepdim, std::optional<ScalarType> dtype) const {
  return ember::mean(*this, dims, keepdim, dtype);
}
Tensor Tensor::prod(std::optional<ScalarType> dtype) const {
  return ember::prod(*this, std::nullopt, false, dtype);
}
Tensor Tensor::prod(int64_t dim, bool keepdim, std::optional<ScalarType> dtype) const {
  return ember::prod(*this, dim, keepdim, dtype);
}
Tensor Tensor::amax(IntArrayRef dims, bool keepdim) const {
  return ember::amax(*this, dims, keepdim);
}
Tensor Tensor::amin(IntArrayRef dims, bool keepdim) const {
  return ember::amin(*this, dims, keepdim);
}
Tensor Tensor::max() const { return ember::max(*this); }
Tensor Tensor::min() const { return ember::min(*this); }
std::tuple<Tensor, Tensor> Tensor::max(int64_t dim, bool keepdim) const {
  return ember::max(*this, dim, keepdim);
}
std::tuple<Tensor, Tensor> Tensor::min(int64_t dim, bool keepdim) const {
  return ember::min(*this, dim, keepdim);
}
Tensor Tensor::argmax(std::optional<int64_t> dim, bool keepdim) const {
  return ember::argmax(*this, dim, keepdim);
}
Tensor Tensor::argmin(std::optional<int64_t> dim, bool keepdim) const {
  return ember::argmin(*this, dim, keepdim);
}
Tensor Tensor::var(IntArrayRef dims, double correction, bool keepdim) const {
  return ember::var(*this, dims, correction, keepdim);
}
Tensor Tensor::std(IntArrayRef dims, double correction, bool keepdim) const {
  return ember::std(*this, dims, correction, keepdim);
}
Tensor Tensor::norm(double p, IntArrayRef dims, bool keepdim) const {
  return ember::norm(*this, p, dims, keepdim);
}
Tensor Tensor::logsumexp(IntArrayRef dims, bool keepdim) const {
  return ember::logsumexp(*this, dims, keepdim);
}
Tensor Tensor::all() const { return ember::all(*this); }
Tensor Tensor::all(int64_t dim, bool keepdim) const { return ember::all(*this, dim, keepdim); }
Tensor Tensor::any() const { return ember::any(*this); }
Tensor Tensor::any(int64_t dim, bool keepdim) const { return ember::any(*this, dim, keepdim); }
Tensor Tensor::all(IntArrayRef dims, bool keepdim) const {
  return ember::all(*this, dims, keepdim);
}
Tensor Tensor::any(IntArrayRef dims, bool keepdim) const {
  return ember::any(*this, dims, keepdim);
}

}  // namespace ember
