// nn.functional's embedding ops with libtorch's names: the lookup (a primitive, with the dense
// gradient as its own kernel), the max_norm renormalisation, embedding_bag (a composite of the
// lookup, index_add and scatter_reduce) and the argument handling of F.embedding and
// F.embedding_bag that both languages share.
#pragma once

#include <optional>
#include <string_view>
#include <tuple>

#include "ember/tensor/tensor.h"

namespace ember {

// weight[indices]: indices (int32 or int64, any shape, each in [0, weight.size(0))) -> indices'
// shape + (weight.size(1),). The row padding_idx (-1: none) gets no gradient; with
// scale_grad_by_freq each row's gradient is divided by how often it occurs in indices.
// sparse=true raises NotImplementedError (ember has no sparse gradients).
Tensor embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx = -1,
                 bool scale_grad_by_freq = false, bool sparse = false);
// embedding's gradient with respect to weight: (num_weights, grad_output.size(-1)).
Tensor embedding_dense_backward(const Tensor& grad_output, const Tensor& indices,
                                int64_t num_weights, int64_t padding_idx, bool scale_grad_by_freq);
// Rescales in place, outside autograd (as PyTorch's), each row of weight that indices names whose
// norm_type-norm exceeds max_norm, to the norm max_norm (/ (norm + 1e-7) exactly).
Tensor& embedding_renorm_(Tensor& weight, const Tensor& indices, double max_norm, double norm_type);
// Sums, means or maxima of bags of looked-up rows -> (bags, weight.size(1)): a 2-D input is one
// bag per row; a 1-D input is cut into bags at `offsets` (their starts; with
// include_last_offset the last offset is the end of the last bag). per_sample_weights (input's
// shape) scale the rows (mode "sum" only); entries equal to padding_idx (-1: none) are left out,
// and an empty bag gives zeros. In mode "max" each output element is the first maximum of its
// bag's column, and only that row receives its gradient (as PyTorch's max_indices).
Tensor embedding_bag(const Tensor& weight, const Tensor& input,
                     const std::optional<Tensor>& offsets, std::string_view mode = "mean",
                     const std::optional<Tensor>& per_sample_weights = std::nullopt,
                     bool include_last_offset = false, int64_t padding_idx = -1,
                     bool scale_grad_by_freq = false, bool sparse = false);

// torch.embedding_bag / torch._embedding_bag: embedding_bag with mode 0 (sum), 1 (mean) or 2
// (max), a negative padding_idx counted from the end, and PyTorch's four results: the output;
// offset2bag (int64, one per input position: its bag; positions past the last offset with
// include_last_offset get the number of bags); bag_size (int64, (bags,): the entries counted in
// modes mean and max, zeros in mode sum); max_indices (int64: in mode max (bags, dim) the row
// of each maximum, 0 for an empty bag; bag_size again in mode mean; zeros in mode sum).
std::tuple<Tensor, Tensor, Tensor, Tensor> _embedding_bag(
    const Tensor& weight, const Tensor& indices, const Tensor& offsets,
    bool scale_grad_by_freq = false, int64_t mode = 0, bool sparse = false,
    const std::optional<Tensor>& per_sample_weights = std::nullopt,
    bool include_last_offset = false, std::optional<int64_t> padding_idx = std::nullopt);

// F.embedding(input, weight, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse):
// a negative padding_idx counts from the end; max_norm renormalises the looked-up rows of weight
// in place first.
Tensor embedding_functional(const Tensor& input, const Tensor& weight,
                            std::optional<int64_t> padding_idx = std::nullopt,
                            std::optional<double> max_norm = std::nullopt, double norm_type = 2.0,
                            bool scale_grad_by_freq = false, bool sparse = false);
// F.embedding_bag, with the same padding_idx and max_norm handling.
Tensor embedding_bag_functional(const Tensor& input, const Tensor& weight,
                                const std::optional<Tensor>& offsets = std::nullopt,
                                std::optional<double> max_norm = std::nullopt,
                                double norm_type = 2.0, bool scale_grad_by_freq = false,
                                std::string_view mode = "mean", bool sparse = false,
                                const std::optional<Tensor>& per_sample_weights = std::nullopt,
                                bool include_last_offset = false,
                                std::optional<int64_t> padding_idx = std::nullopt);

}  // namespace ember
