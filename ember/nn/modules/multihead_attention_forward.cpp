// multi_head_attention_forward (functional/multihead_attention.h), PyTorch's algorithm: project,
// append bias_k/bias_v and the zero key, split the heads, merge the masks into one additive mask,
// attend, join the heads and project out.
#include <cmath>
#include <limits>
#include <string_view>
#include <tuple>

#include "ember/base/error.h"
#include "ember/nn/functional/multihead_attention.h"
#include "ember/ops/attention.h"
#include "ember/ops/nn_activation.h"
#include "ember/ops/nn_dropout.h"
#include "ember/ops/nn_linear.h"
#include "ember/ops/nn_pad.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"

namespace ember::nn::functional {
namespace {

constexpr std::string_view kOp = "multi_head_attention_forward";

// PyTorch's _mha_shape_check: whether the inputs are batched (query (L, N, E)) or not
// (query (L, E)), with the ranks of the other inputs checked against it.
bool check_ranks(const Tensor& query, const Tensor& key, const Tensor& value,
                 const Tensor& key_padding_mask, const Tensor& attn_mask, int64_t num_heads) {
  EMBER_CHECK(query.defined() && key.defined() && value.defined(), "[", kOp,
              "] expected defined query, key and value");
  EMBER_CHECK(query.dim() == 2 || query.dim() == 3, "[", kOp,
              "] expected query of 3 dims (L, N, E) or 2 dims (L, E, unbatched); got shape ",
              query.shape());
  const int64_t rank = query.dim();
  EMBER_CHECK(key.dim() == rank && value.dim() == rank, "[", kOp, "] expected key and value of ",
              rank, " dims as the query of shape ", query.shape(), "; got shapes ", key.shape(),
              " and ", value.shape());
  EMBER_CHECK(!key_padding_mask.defined() || key_padding_mask.dim() == rank - 1, "[", kOp,
              "] expected key_padding_mask of ", rank - 1, " dims for a query of shape ",
              query.shape(), "; got shape ", key_padding_mask.shape());
  if (attn_mask.defined()) {
    EMBER_CHECK(attn_mask.dim() == 2 || attn_mask.dim() == 3, "[", kOp,
                "] expected attn_mask of 2 dims (L, S) or 3 dims (N * num_heads, L, S); got shape ",
                attn_mask.shape());
    EMBER_CHECK(rank == 3 || attn_mask.dim() == 2 || attn_mask.size(0) == num_heads, "[", kOp,
                "] expected a 3-dim attn_mask of an unbatched query to be (num_heads = ", num_heads,
                ", L, S); got shape ", attn_mask.shape());
  }
  return rank == 3;
}

// A bool mask (True = not attended) as an additive float mask of the query's dtype.
Tensor as_additive_mask(const Tensor& mask, std::string_view name, ScalarType dtype) {
  if (!mask.defined() || mask.dtype() != ScalarType::Bool) {
    EMBER_CHECK_TYPE(!mask.defined() || mask.dtype() == dtype, "[", kOp, "] expected ", name,
                     " to be bool or of the query's dtype ", dtype, "; got ", mask.dtype());
    return mask;
  }
  return zeros(mask.shape(), TensorOptions().dtype(dtype))
      .masked_fill(mask, -std::numeric_limits<double>::infinity());
}

// The q, k, v projections: one GEMM for self-attention (query, key and value the same tensor),
// else one per input with the rows of the packed weight.
std::tuple<Tensor, Tensor, Tensor> project(const Tensor& query, const Tensor& key,
                                           const Tensor& value,
                                           const MultiheadAttentionForwardFuncOptions& options) {
  const Tensor& bias = options.in_proj_bias();
  std::vector<Tensor> biases =
      bias.defined() ? bias.chunk(3) : std::vector<Tensor>{Tensor(), Tensor(), Tensor()};
  if (options.use_separate_proj_weight()) {
    EMBER_CHECK(options.q_proj_weight().defined() && options.k_proj_weight().defined() &&
                    options.v_proj_weight().defined(),
                "[", kOp,
                "] expected q_proj_weight, k_proj_weight and v_proj_weight with "
                "use_separate_proj_weight=True; got one undefined");
    return {linear(query, options.q_proj_weight(), biases[0]),
            linear(key, options.k_proj_weight(), biases[1]),
            linear(value, options.v_proj_weight(), biases[2])};
  }
  const Tensor& weight = options.in_proj_weight();
  EMBER_CHECK(weight.defined(), "[", kOp,
              "] expected in_proj_weight with use_separate_proj_weight=False; got none");
  if (query.is_same(key) && key.is_same(value)) {
    std::vector<Tensor> qkv = linear(query, weight, bias).chunk(3, -1);
    return {qkv[0], qkv[1], qkv[2]};
  }
  std::vector<Tensor> weights = weight.chunk(3);
  return {linear(query, weights[0], biases[0]), linear(key, weights[1], biases[1]),
          linear(value, weights[2], biases[2])};
}

// Splits (S, N, E) into heads: (N * num_heads, S, head_dim), or takes the given static one.
Tensor split_heads(const Tensor& projected, const Tensor& given, std::string_view name,
                   int64_t batch_heads, int64_t head_dim) {
  if (!given.defined()) {
    return projected.reshape({projected.size(0), batch_heads, head_dim}).transpose(0, 1);
  }
  EMBER_CHECK(given.dim() == 3 && given.size(0) == batch_heads && given.size(2) == head_dim, "[",
              kOp, "] expected ", name, " of shape (N * num_heads = ", batch_heads,
              ", S, head_dim = ", head_dim, "); got shape ", given.shape());
  return given;
}

Tensor pad_last(const Tensor& mask) { return mask.defined() ? pad(mask, {0, 1}) : mask; }

}  // namespace

std::tuple<Tensor, Tensor> multi_head_attention_forward(
    const Tensor& query_in, const Tensor& key_in, const Tensor& value_in,
    const MultiheadAttentionForwardFuncOptions& options) {
  const int64_t num_heads = options.num_heads();
  const bool batched = check_ranks(query_in, key_in, value_in, options.key_padding_mask(),
                                   options.attn_mask(), num_heads);
  const Tensor query = batched ? query_in : query_in.unsqueeze(1);
  const Tensor key = batched ? key_in : key_in.unsqueeze(1);
  const Tensor value = batched ? value_in : value_in.unsqueeze(1);
  const int64_t tgt_len = query.size(0);
  const int64_t bsz = query.size(1);
  const int64_t embed_dim = query.size(2);
  EMBER_CHECK_VALUE(embed_dim == options.embed_dim_to_check(), "[", kOp,
                    "] expected query of embed_dim_to_check = ", options.embed_dim_to_check(),
                    " features; got shape ", query_in.shape());
  EMBER_CHECK_VALUE(num_heads > 0 && embed_dim % num_heads == 0, "[", kOp,
                    "] expected embed_dim divisible by num_heads; got embed_dim ", embed_dim,
                    " and num_heads ", num_heads);
  EMBER_CHECK(key.size(0) == value.size(0) && key.size(1) == bsz && value.size(1) == bsz, "[", kOp,
              "] expected key and value of the same length and the query's batch; got query ",
              query_in.shape(), ", key ", key_in.shape(), ", value ", value_in.shape());
  EMBER_CHECK(options.use_separate_proj_weight() || key.shape() == value.shape(), "[", kOp,
              "] expected key and value of the same shape with a packed in_proj_weight; got ",
              key_in.shape(), " and ", value_in.shape());
  const int64_t head_dim = embed_dim / num_heads;
  const int64_t batch_heads = bsz * num_heads;
  const ScalarType dtype = query.dtype();

  Tensor key_padding_mask = options.key_padding_mask();
  if (key_padding_mask.defined() && !batched) key_padding_mask = key_padding_mask.unsqueeze(0);
  key_padding_mask = as_additive_mask(key_padding_mask, "key_padding_mask", dtype);
  Tensor attn_mask = as_additive_mask(options.attn_mask(), "attn_mask", dtype);
  EMBER_CHECK(!options.is_causal() || attn_mask.defined(), "[", kOp,
              "] is_causal is a hint that attn_mask is the causal mask: expected attn_mask; got "
              "none");
  if (attn_mask.defined()) {
    const int64_t src_len = key.size(0);
    const bool fits = attn_mask.dim() == 2
                          ? attn_mask.size(0) == tgt_len && attn_mask.size(1) == src_len
                          : attn_mask.size(0) == batch_heads && attn_mask.size(1) == tgt_len &&
                                attn_mask.size(2) == src_len;
    EMBER_CHECK(fits, "[", kOp, "] expected attn_mask of shape (L, S) = (", tgt_len, ", ", src_len,
                ") or (N * num_heads, L, S) = (", batch_heads, ", ", tgt_len, ", ", src_len,
                "); got shape ", attn_mask.shape());
    if (attn_mask.dim() == 2) attn_mask = attn_mask.unsqueeze(0);
  }
  // PyTorch's rule: without weights or key padding, the causal hint replaces the mask (the
  // attention kernel then skips the masked blocks instead of adding -inf).
  const bool causal_kernel =
      options.is_causal() && !key_padding_mask.defined() && !options.need_weights();
  if (causal_kernel) attn_mask = Tensor();

  auto [q, k, v] = project(query, key, value, options);
  const Tensor& bias_k = options.bias_k();
  const Tensor& bias_v = options.bias_v();
  EMBER_CHECK(bias_k.defined() == bias_v.defined(), "[", kOp,
              "] expected bias_k and bias_v both given or both none");
  if (bias_k.defined()) {
    EMBER_CHECK(!options.static_k().defined() && !options.static_v().defined(), "[", kOp,
                "] expected no static_k/static_v with bias_k and bias_v; got both");
    k = cat({k, repeat(bias_k, {1, bsz, 1})});
    v = cat({v, repeat(bias_v, {1, bsz, 1})});
    attn_mask = pad_last(attn_mask);
    key_padding_mask = pad_last(key_padding_mask);
  }
  q = q.reshape({tgt_len, batch_heads, head_dim}).transpose(0, 1);
  k = split_heads(k, options.static_k(), "static_k", batch_heads, head_dim);
  v = split_heads(v, options.static_v(), "static_v", batch_heads, head_dim);
  if (options.add_zero_attn()) {
    k = cat({k, zeros({batch_heads, 1, head_dim}, TensorOptions().dtype(dtype))}, 1);
    v = cat({v, zeros({batch_heads, 1, v.size(2)}, TensorOptions().dtype(dtype))}, 1);
    attn_mask = pad_last(attn_mask);
    key_padding_mask = pad_last(key_padding_mask);
  }
  const int64_t src_len = k.size(1);
  if (key_padding_mask.defined()) {
    EMBER_CHECK(key_padding_mask.size(0) == bsz && key_padding_mask.size(1) == src_len, "[", kOp,
                "] expected key_padding_mask of shape (N, S) = (", bsz, ", ",
                src_len - (bias_k.defined() ? 1 : 0) - (options.add_zero_attn() ? 1 : 0),
                "); got shape ", options.key_padding_mask().shape());
    const Tensor per_head = key_padding_mask.view({bsz, 1, 1, src_len})
                                .expand({bsz, num_heads, 1, src_len})
                                .reshape({batch_heads, 1, src_len});
    attn_mask = attn_mask.defined() ? attn_mask + per_head : per_head;
  }
  const double dropout_p = options.training() ? options.dropout_p() : 0.0;

  if (!options.need_weights()) {
    // (N * num_heads, ., head_dim) as (N, num_heads, ., head_dim) for the attention kernel.
    if (attn_mask.defined()) {
      attn_mask = attn_mask.size(0) == 1 ? attn_mask.unsqueeze(0)
                                         : attn_mask.view({bsz, num_heads, -1, src_len});
    }
    const Tensor attended = scaled_dot_product_attention(
        q.reshape({bsz, num_heads, tgt_len, head_dim}),
        k.reshape({bsz, num_heads, src_len, head_dim}),
        v.reshape({bsz, num_heads, src_len, head_dim}), attn_mask, dropout_p, causal_kernel);
    Tensor output = attended.permute({2, 0, 1, 3}).reshape({tgt_len * bsz, embed_dim});
    output =
        linear(output, options.out_proj_weight(), options.out_proj_bias()).view({tgt_len, bsz, -1});
    return {batched ? output : output.squeeze(1), Tensor()};
  }
  Tensor scores = bmm(q * (1.0 / std::sqrt(static_cast<double>(head_dim))), k.transpose(1, 2));
  if (attn_mask.defined()) scores = scores + attn_mask;
  Tensor weights = softmax(scores, -1);
  if (dropout_p > 0.0) weights = dropout(weights, dropout_p, /*train=*/true);
  const Tensor attended = bmm(weights, v);  // (N * num_heads, L, head_dim)
  Tensor output = attended.transpose(0, 1).reshape({tgt_len * bsz, embed_dim});
  output =
      linear(output, options.out_proj_weight(), options.out_proj_bias()).view({tgt_len, bsz, -1});
  weights = weights.view({bsz, num_heads, tgt_len, src_len});
  if (options.average_attn_weights()) weights = weights.mean({1});
  if (!batched) return {output.squeeze(1), weights.squeeze(0)};
  return {output, weights};
}

}  // namespace ember::nn::functional
