// Tensor and dtype utilities (finfo/iinfo, the default dtype, result_type, clone with a memory
// format) and the reductions of the "util" family (nansum, nanmean, aminmax, var_mean, std_mean,
// dist, cdist, trace, cross), with libtorch's names. The reductions are composites of the ops in
// ops.h: they run on every device and autograd differentiates them.
#pragma once

#include <optional>
#include <tuple>

#include "ember/ops/ops.h"

namespace ember {

// ---------------------------------------------------------------- dtype utilities (util.cpp)
// torch.finfo: the limits of a floating-point dtype.
struct FInfo {
  int bits;
  double eps;              // the distance from 1 to the next larger value
  double max, min;         // the largest and smallest (most negative) finite values
  double tiny;             // the smallest positive normal value (= smallest_normal)
  double smallest_normal;  // the same, by its newer name
  double resolution;       // 10**-digits, digits = floor(mantissa bits * log10(2))
  ScalarType dtype;
};
FInfo finfo(ScalarType dtype);
// torch.iinfo: the limits of an integer dtype (bool has none).
struct IInfo {
  int bits;
  int64_t max, min;
  ScalarType dtype;
};
IInfo iinfo(ScalarType dtype);

// libtorch's torch::get_default_dtype() returns a caffe2::TypeMeta; ember has ScalarTypes only,
// so this is libtorch's get_default_dtype_as_scalartype(). set_default_dtype (tensor/dtype.h)
// takes the ScalarType; float32 and float64 are the allowed defaults.
inline ScalarType get_default_dtype() { return default_dtype(); }
inline ScalarType get_default_dtype_as_scalartype() { return default_dtype(); }

// torch.result_type with Python-number operands (weak scalars, Note [type promotion]).
ScalarType result_type(const Tensor& tensor, const Scalar& other);
ScalarType result_type(const Scalar& scalar, const Tensor& tensor);
ScalarType result_type(const Scalar& a, const Scalar& b);

// clone(memory_format): Preserve keeps dense non-overlapping strides (PyTorch's rule).
Tensor clone(const Tensor& self, MemoryFormat memory_format);

// ---------------------------------------------------------------- reductions (reduce_util.cpp)
// sum/mean treating NaN as zero / as absent (integer inputs: sum and mean).
Tensor nansum(const Tensor& x, IntArrayRef dims = {}, bool keepdim = false,
              std::optional<ScalarType> dtype = std::nullopt);
Tensor nanmean(const Tensor& x, IntArrayRef dims = {}, bool keepdim = false,
               std::optional<ScalarType> dtype = std::nullopt);
// (amin, amax) over dim, or over every element.
std::tuple<Tensor, Tensor> aminmax(const Tensor& x, std::optional<int64_t> dim = std::nullopt,
                                   bool keepdim = false);
// (var, mean) and (std, mean) of the same reduction.
std::tuple<Tensor, Tensor> var_mean(const Tensor& x, IntArrayRef dims = {}, double correction = 1,
                                    bool keepdim = false);
std::tuple<Tensor, Tensor> std_mean(const Tensor& x, IntArrayRef dims = {}, double correction = 1,
                                    bool keepdim = false);
// The p-norm of a - b (broadcast).
Tensor dist(const Tensor& a, const Tensor& b, const Scalar& p = 2);
// Pairwise p-norm distances between the rows of x1 [*, P, M] and x2 [*, R, M]: [*, P, R].
// compute_mode (libtorch's mm-for-euclid switch) is accepted and has no effect.
Tensor cdist(const Tensor& x1, const Tensor& x2, double p = 2.0,
             std::optional<int64_t> compute_mode = std::nullopt);
// The sum of the main diagonal of a 2-D tensor (integers sum in int64).
Tensor trace(const Tensor& x);
// The cross product along dim (size 3); without dim, the first dim of size 3 of `a` (the legacy
// torch.cross default). a and b broadcast.
Tensor cross(const Tensor& a, const Tensor& b, std::optional<int64_t> dim = std::nullopt);
// torch.linalg.cross: dim defaults to -1.
Tensor linalg_cross(const Tensor& a, const Tensor& b, int64_t dim = -1);

}  // namespace ember
