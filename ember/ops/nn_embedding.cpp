// embedding, its dense gradient, embedding_renorm_, embedding_bag and the F.embedding /
// F.embedding_bag argument handling (nn_embedding.h).
#include "ember/ops/nn_embedding.h"

#include <algorithm>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/dispatch.h"
#include "ember/ops/math.h"
#include "ember/ops/ops.h"
#include "ember/ops/primitives_nn_embedding.h"
#include "ember/ops/scatter.h"

namespace ember {
namespace {

// indices as contiguous int64, each checked against the table's rows (an IndexError naming the
// index and the size). Indices on a CUDA device are checked by the kernels instead, which report
// a bad one at the next synchronisation (Note [CUDA indexing]): reading them here would copy
// them to the host and wait for the device.
Tensor checked_indices(std::string_view op, const Tensor& indices, const Tensor& weight) {
  EMBER_CHECK(indices.dtype() == kInt64 || indices.dtype() == kInt32, "[", op,
              "] expected indices of dtype int64 or int32; got ", indices.dtype());
  Tensor flat = indices.to(kInt64).contiguous();
  if (!flat.device().is_cpu()) return flat;
  const int64_t rows = weight.size(0);
  const int64_t* data = flat.data_ptr<int64_t>();
  for (int64_t i = 0; i < flat.numel(); ++i) {
    EMBER_CHECK_INDEX(data[i] >= 0 && data[i] < rows, "[", op, "] index ", data[i],
                      " is out of range for an embedding table of ", rows,
                      " rows (weight of shape ", weight.shape(), ")");
  }
  return flat;
}

void check_weight(std::string_view op, const Tensor& weight) {
  EMBER_CHECK(weight.defined() && weight.dim() == 2, "[", op,
              "] 'weight' must be 2-D (num_embeddings, embedding_dim); got shape ",
              weight.defined() ? weight.shape() : Shape{});
}

void check_not_sparse(std::string_view op, bool sparse) {
  EMBER_CHECK_TYPED(!sparse, NotImplementedError, "[", op,
                    "] sparse=True is not supported: ember has no sparse gradients; use "
                    "sparse=False (dense gradients)");
}

// padding_idx of F.embedding: in range, a negative one counted from the end; -1 for none.
int64_t normalized_padding_idx(std::optional<int64_t> padding_idx, const Tensor& weight) {
  if (!padding_idx) return -1;
  const int64_t rows = weight.size(0);
  EMBER_CHECK_VALUE(*padding_idx < rows && *padding_idx >= -rows,
                    "[embedding] Padding_idx must be within num_embeddings: got padding_idx ",
                    *padding_idx, " for a table of ", rows, " rows");
  return *padding_idx < 0 ? *padding_idx + rows : *padding_idx;
}

// The host walks indices and offsets, so those of a CUDA tensor come over in one copy (a sync).
std::vector<int64_t> values_of(const Tensor& t) {
  const Tensor flat = t.to(TensorOptions(kInt64).device(Device(kCPU))).contiguous();
  return {flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel()};
}

Tensor int64_tensor(const std::vector<int64_t>& values, const Tensor& like) {
  return from_blob_copy(values.data(), {static_cast<int64_t>(values.size())}, kInt64)
      .to(like.device());
}

// The bag of each position of a flattened input, and the number of bags.
std::pair<std::vector<int64_t>, int64_t> bags_of(const Tensor& input,
                                                 const std::optional<Tensor>& offsets,
                                                 bool include_last_offset) {
  const int64_t n = input.numel();
  std::vector<int64_t> bag(static_cast<size_t>(n));
  if (input.dim() == 2) {
    const int64_t length = input.size(1);
    for (int64_t i = 0; i < n; ++i) bag[static_cast<size_t>(i)] = i / length;
    return {bag, input.size(0)};
  }
  const std::vector<int64_t> starts = values_of(*offsets);
  const auto count = static_cast<int64_t>(starts.size());
  const int64_t bags = include_last_offset ? std::max<int64_t>(count - 1, 0) : count;
  EMBER_CHECK(count == 0 || starts[0] == 0,
              "[embedding_bag] offsets[0] has to be 0, i.e., the first sequence in the mini-batch "
              "has to start from position 0. However, got ",
              count == 0 ? 0 : starts[0]);
  for (int64_t b = 0; b < count; ++b) {
    EMBER_CHECK(starts[b] <= n && (b == 0 || starts[b] >= starts[b - 1]),
                "[embedding_bag] offsets must be non-decreasing and at most the input's length ", n,
                "; got offsets[", b, "] = ", starts[b]);
  }
  for (int64_t b = 0; b < bags; ++b) {
    const int64_t end = b + 1 < count ? starts[b + 1] : n;
    for (int64_t i = starts[b]; i < end; ++i) bag[static_cast<size_t>(i)] = b;
  }
  // With include_last_offset, positions past the last offset belong to no bag.
  if (include_last_offset && count > 0) {
    for (int64_t i = starts[count - 1]; i < n; ++i) bag[static_cast<size_t>(i)] = -1;
  }
  return {bag, bags};
}

void check_bag_arguments(const Tensor& weight, const Tensor& input,
                         const std::optional<Tensor>& offsets, std::string_view mode,
                         const std::optional<Tensor>& per_sample_weights, bool scale_grad_by_freq) {
  constexpr std::string_view op = "embedding_bag";
  check_weight(op, weight);
  EMBER_CHECK_VALUE(mode == "sum" || mode == "mean" || mode == "max",
                    "[embedding_bag] mode has to be one of sum, mean or max; got '", mode, "'");
  EMBER_CHECK_VALUE(input.dim() == 1 || input.dim() == 2,
                    "[embedding_bag] input has to be 1D or 2D Tensor, but got Tensor of dimension ",
                    input.dim(), " (shape ", input.shape(), ")");
  if (input.dim() == 2) {
    EMBER_CHECK_VALUE(!offsets || !offsets->defined(),
                      "[embedding_bag] if input is 2D, then offsets has to be None, as input is "
                      "treated is a mini-batch of fixed length sequences. However, found offsets "
                      "of shape ",
                      offsets->shape());
  } else {
    EMBER_CHECK_VALUE(offsets && offsets->defined() && offsets->dim() == 1,
                      "[embedding_bag] offsets has to be a 1D Tensor with a 1D input of shape ",
                      input.shape(), "; got ",
                      offsets && offsets->defined() ? "one of shape" : "None",
                      offsets && offsets->defined() ? offsets->shape() : Shape{});
    EMBER_CHECK(offsets->dtype() == kInt64 || offsets->dtype() == kInt32,
                "[embedding_bag] expected offsets of dtype int64 or int32; got ", offsets->dtype());
  }
  EMBER_CHECK(!(mode == "max" && scale_grad_by_freq),
              "[embedding_bag] max mode does not support scaling the gradient by the frequency");
  if (per_sample_weights && per_sample_weights->defined()) {
    EMBER_CHECK_TYPED(mode == "sum", NotImplementedError,
                      "[embedding_bag] per_sample_weights was not None. per_sample_weights is only "
                      "supported for mode='sum' (got mode='",
                      mode, "'). Please open a feature request on GitHub.");
    EMBER_CHECK_VALUE(per_sample_weights->shape() == input.shape(),
                      "[embedding_bag] If per_sample_weights (", per_sample_weights->shape(),
                      ") is not None, then it must have the same shape as the input (",
                      input.shape(), ")");
    EMBER_CHECK(per_sample_weights->dtype() == weight.dtype(),
                "[embedding_bag] expected per_sample_weights of weight's dtype ", weight.dtype(),
                "; got ", per_sample_weights->dtype());
  }
}

}  // namespace

Tensor embedding(const Tensor& weight, const Tensor& indices, int64_t padding_idx,
                 bool scale_grad_by_freq, bool sparse) {
  check_weight("embedding", weight);
  check_not_sparse("embedding", sparse);
  check_same_device("embedding", {&weight, &indices});
  const Tensor flat = checked_indices("embedding", indices, weight);
  Shape shape = indices.shape();
  shape.push_back(weight.size(1));
  Tensor out = empty(shape, TensorOptions(weight.dtype()).device(weight.device()));
  run_unless_empty(Embedding(padding_idx, scale_grad_by_freq), {weight.contiguous(), flat}, {out});
  return out;
}

Tensor embedding_dense_backward(const Tensor& grad_output, const Tensor& indices,
                                int64_t num_weights, int64_t padding_idx, bool scale_grad_by_freq) {
  const ScalarType dtype = grad_output.dtype();
  if (dtype == kFloat16 || dtype == kBFloat16) {
    return embedding_dense_backward(grad_output.to(kFloat32), indices, num_weights, padding_idx,
                                    scale_grad_by_freq)
        .to(dtype);
  }
  const int64_t dim = grad_output.dim() == 0 ? 1 : grad_output.size(-1);
  const Tensor flat = indices.to(kInt64).contiguous().reshape({-1});
  EMBER_CHECK(grad_output.numel() == flat.numel() * dim,
              "[embedding_dense_backward] expected grad_output of shape indices.shape + (dim,); "
              "got grad_output of shape ",
              grad_output.shape(), " for indices of shape ", indices.shape());
  Tensor out = empty({num_weights, dim}, TensorOptions(dtype).device(grad_output.device()));
  run(EmbeddingBackward(padding_idx, scale_grad_by_freq),
      {grad_output.contiguous().reshape({flat.numel(), dim}), flat}, {out});
  return out;
}

Tensor& embedding_renorm_(Tensor& weight, const Tensor& indices, double max_norm,
                          double norm_type) {
  check_weight("embedding_renorm_", weight);
  std::vector<int64_t> rows = values_of(checked_indices("embedding_renorm_", indices, weight));
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  if (rows.empty()) return weight;
  Tensor table = weight.detach();
  const Tensor index = int64_tensor(rows, weight);
  const Tensor looked_up = index_select(table, 0, index);
  const Tensor norms = norm(looked_up, norm_type, {1}, /*keepdim=*/true);
  const Tensor scale = where(gt(norms, max_norm), div(full_like(norms, max_norm), add(norms, 1e-7)),
                             ones_like(norms));
  table.index_copy_(0, index, mul(looked_up, scale));
  return weight;
}

namespace {

// embedding_bag's four results (see _embedding_bag in nn_embedding.h).
struct BagResults {
  Tensor output, offset2bag, bag_size, max_indices;
};

// The first maximum of every (bag, column) over the looked-up rows (in input order; a later
// value replaces it only when greater, as PyTorch's loop): the weight row it came from, 0 for an
// empty bag.
Tensor bag_argmax(const Tensor& rows, const std::vector<int64_t>& kept_rows,
                  const std::vector<int64_t>& kept_bag, int64_t bags) {
  const int64_t dim = rows.size(1);
  const Tensor values = rows.detach().to(TensorOptions(kFloat64).device(Device(kCPU))).contiguous();
  const double* value = values.data_ptr<double>();
  std::vector<int64_t> argmax(static_cast<size_t>(bags * dim), 0);
  std::vector<double> best(static_cast<size_t>(bags * dim), 0.0);
  std::vector<bool> seen(static_cast<size_t>(bags), false);
  for (size_t i = 0; i < kept_bag.size(); ++i) {
    const auto bag = static_cast<size_t>(kept_bag[i]);
    for (int64_t d = 0; d < dim; ++d) {
      const size_t at = bag * static_cast<size_t>(dim) + static_cast<size_t>(d);
      const double candidate = value[static_cast<int64_t>(i) * dim + d];
      if (!seen[bag] || candidate > best[at]) {
        best[at] = candidate;
        argmax[at] = kept_rows[i];
      }
    }
    seen[bag] = true;
  }
  return from_blob_copy(argmax.data(), {bags, dim}, kInt64).to(rows.device());
}

BagResults bag_forward(const Tensor& weight, const Tensor& input,
                       const std::optional<Tensor>& offsets, std::string_view mode,
                       const std::optional<Tensor>& per_sample_weights, bool include_last_offset,
                       int64_t padding_idx, bool scale_grad_by_freq, bool sparse) {
  check_bag_arguments(weight, input, offsets, mode, per_sample_weights, scale_grad_by_freq);
  check_not_sparse("embedding_bag", sparse);
  const std::vector<int64_t> index = values_of(checked_indices("embedding_bag", input, weight));
  auto [bag, bags] = bags_of(input, offsets, include_last_offset);
  // The positions that count: in a bag and not padding.
  std::vector<int64_t> kept, kept_bag, kept_rows;
  std::vector<int64_t> counts(static_cast<size_t>(bags), 0);
  for (size_t i = 0; i < index.size(); ++i) {
    if (bag[i] < 0 || index[i] == padding_idx) continue;
    kept.push_back(static_cast<int64_t>(i));
    kept_bag.push_back(bag[i]);
    kept_rows.push_back(index[i]);
    ++counts[static_cast<size_t>(bag[i])];
  }
  for (int64_t& b : bag) b = b < 0 ? bags : b;
  const int64_t dim = weight.size(1);
  const TensorOptions options = TensorOptions(weight.dtype()).device(weight.device());
  BagResults results;
  results.offset2bag = int64_tensor(bag, weight);
  results.bag_size = mode == "sum" ? zeros({bags}, TensorOptions(kInt64).device(weight.device()))
                                   : int64_tensor(counts, weight);
  const Tensor rows_index = int64_tensor(kept_rows, weight);
  Tensor rows = embedding(weight, rows_index, -1, scale_grad_by_freq);
  if (mode == "max") {
    // Gathering each maximum from weight sends its gradient to that row alone.
    results.max_indices = bag_argmax(rows, kept_rows, kept_bag, bags);
    // An empty bag gives zeros, whatever row 0 holds (where, not a product: inf * 0 is NaN).
    const Tensor nonempty = gt(int64_tensor(counts, weight), 0).unsqueeze(1);
    const Tensor maxima = gather(weight, 0, results.max_indices);
    results.output = where(nonempty, maxima, zeros_like(maxima));
    return results;
  }
  results.max_indices = results.bag_size.clone();
  if (per_sample_weights && per_sample_weights->defined()) {
    const Tensor positions = int64_tensor(kept, weight);
    rows = mul(rows, index_select(per_sample_weights->reshape({-1}), 0, positions).unsqueeze(1));
  }
  const Tensor target = int64_tensor(kept_bag, weight);
  const Tensor sums = index_add(zeros({bags, dim}, options), 0, target, rows);
  if (mode == "sum") {
    results.output = sums;
    return results;
  }
  std::vector<double> divisors(counts.begin(), counts.end());
  for (double& size : divisors) size = std::max(size, 1.0);
  results.output = div(sums, from_blob_copy(divisors.data(), {bags, 1}, kFloat64).to(options));
  return results;
}

}  // namespace

Tensor embedding_bag(const Tensor& weight, const Tensor& input,
                     const std::optional<Tensor>& offsets, std::string_view mode,
                     const std::optional<Tensor>& per_sample_weights, bool include_last_offset,
                     int64_t padding_idx, bool scale_grad_by_freq, bool sparse) {
  return bag_forward(weight, input, offsets, mode, per_sample_weights, include_last_offset,
                     padding_idx, scale_grad_by_freq, sparse)
      .output;
}

std::tuple<Tensor, Tensor, Tensor, Tensor> _embedding_bag(
    const Tensor& weight, const Tensor& indices, const Tensor& offsets, bool scale_grad_by_freq,
    int64_t mode, bool sparse, const std::optional<Tensor>& per_sample_weights,
    bool include_last_offset, std::optional<int64_t> padding_idx) {
  check_weight("embedding_bag", weight);
  EMBER_CHECK_VALUE(mode >= 0 && mode <= 2,
                    "[embedding_bag] mode has to be 0 (sum), 1 (mean) or 2 (max); got ", mode);
  constexpr std::string_view modes[] = {"sum", "mean", "max"};
  const std::optional<Tensor> offsets_given =
      offsets.defined() ? std::optional<Tensor>(offsets) : std::nullopt;
  BagResults results = bag_forward(weight, indices, offsets_given, modes[mode], per_sample_weights,
                                   include_last_offset, normalized_padding_idx(padding_idx, weight),
                                   scale_grad_by_freq, sparse);
  return {results.output, results.offset2bag, results.bag_size, results.max_indices};
}

Tensor embedding_functional(const Tensor& input, const Tensor& weight,
                            std::optional<int64_t> padding_idx, std::optional<double> max_norm,
                            double norm_type, bool scale_grad_by_freq, bool sparse) {
  check_weight("embedding", weight);
  const int64_t padding = normalized_padding_idx(padding_idx, weight);
  if (max_norm) {
    Tensor table = weight;
    embedding_renorm_(table, input, *max_norm, norm_type);
  }
  return embedding(weight, input, padding, scale_grad_by_freq, sparse);
}

Tensor embedding_bag_functional(const Tensor& input, const Tensor& weight,
                                const std::optional<Tensor>& offsets,
                                std::optional<double> max_norm, double norm_type,
                                bool scale_grad_by_freq, std::string_view mode, bool sparse,
                                const std::optional<Tensor>& per_sample_weights,
                                bool include_last_offset, std::optional<int64_t> padding_idx) {
  check_weight("embedding_bag", weight);
  const int64_t padding = normalized_padding_idx(padding_idx, weight);
  if (max_norm) {
    Tensor table = weight;
    embedding_renorm_(table, input, *max_norm, norm_type);
  }
  return embedding_bag(weight, input, offsets, mode, per_sample_weights, include_last_offset,
                       padding, scale_grad_by_freq, sparse);
}

}  // namespace ember
