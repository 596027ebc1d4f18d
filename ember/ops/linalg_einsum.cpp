// einsum, tensordot and kron. einsum takes repeated subscripts of one operand as a diagonal
// (a strided view), sums a subscript out as soon as no later operand or the output needs it,
// and contracts operands pairwise, the cheapest pair first (greedy by flops), each pair as one
// bmm over permuted and reshaped views (no copy when the layout allows).
#include <algorithm>
#include <numeric>

#include "ember/base/error.h"
#include "ember/ops/linalg.h"
#include "ember/ops/ops.h"

namespace ember {
namespace {

// Subscripts: 'A'-'Z' -> 0-25, 'a'-'z' -> 26-51, ellipsis dims from 52 on.
constexpr int kLetters = 52;

int letter_label(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  return -1;
}

char label_char(int label) {
  return label < 26 ? static_cast<char>('A' + label) : static_cast<char>('a' + label - 26);
}

// One term of the equation: its subscripts, with -1 standing for the ellipsis.
struct Term {
  std::vector<int> labels;
  bool ellipsis = false;
};

Term parse_term(std::string_view text, size_t start) {
  Term term;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.') {
      EMBER_CHECK_VALUE(!term.ellipsis && text.substr(i, 3) == "...", "[einsum] found '.' for ",
                        "operand at index ", start + i,
                        " that is not part of any ellipsis; at most one '...' per operand");
      term.ellipsis = true;
      term.labels.push_back(-1);
      i += 2;
      continue;
    }
    const int label = letter_label(text[i]);
    EMBER_CHECK_VALUE(label >= 0, "[einsum] invalid subscript given at index ", start + i,
                      " in the equation string, subscripts must be in [a-zA-Z]");
    term.labels.push_back(label);
  }
  return term;
}

// An operand during the contraction: its tensor and one distinct label per dim.
struct Operand {
  Tensor tensor;
  std::vector<int> labels;
};

// Sums out the labels of `operand` that no one else needs (`needed` counts the other users).
void sum_unneeded(Operand& operand, const std::vector<int>& needed) {
  std::vector<int64_t> dims;
  std::vector<int> kept;
  for (size_t d = 0; d < operand.labels.size(); ++d) {
    if (needed[static_cast<size_t>(operand.labels[d])] == 0) {
      dims.push_back(static_cast<int64_t>(d));
    } else {
      kept.push_back(operand.labels[d]);
    }
  }
  if (dims.empty()) return;
  operand.tensor = sum(operand.tensor, dims);
  operand.labels = kept;
}

// The dims of `operand` in the order of `labels` (absent ones as size 1), expanded to `sizes`.
Tensor arrange(const Operand& operand, const std::vector<int>& labels,
               const std::vector<int64_t>& sizes) {
  std::vector<int64_t> order;
  Shape shape;
  for (int label : labels) {
    const auto at = std::find(operand.labels.begin(), operand.labels.end(), label);
    if (at != operand.labels.end()) order.push_back(at - operand.labels.begin());
  }
  Tensor t = operand.tensor.permute(order);
  for (size_t i = 0; i < labels.size(); ++i) {
    if (std::find(operand.labels.begin(), operand.labels.end(), labels[i]) ==
        operand.labels.end()) {
      t = t.unsqueeze(static_cast<int64_t>(i));
    }
  }
  return t.expand(sizes);
}

int64_t product(const std::vector<int64_t>& sizes) {
  return std::accumulate(sizes.begin(), sizes.end(), int64_t{1}, std::multiplies<>());
}

// a and b contracted over their shared labels that nothing else needs: one bmm of
// (batch, a-only, shared) by (batch, shared, b-only).
Operand contract(const Operand& a, const Operand& b, const std::vector<int>& needed,
                 const std::vector<int64_t>& label_sizes) {
  std::vector<int> batch, left, summed, right;
  for (int label : a.labels) {
    const bool in_b = std::count(b.labels.begin(), b.labels.end(), label) > 0;
    // needed counts a and b themselves: more than two users means a later one.
    if (!in_b) {
      left.push_back(label);
    } else if (needed[static_cast<size_t>(label)] > 2) {
      batch.push_back(label);
    } else {
      summed.push_back(label);
    }
  }
  for (int label : b.labels) {
    if (std::count(a.labels.begin(), a.labels.end(), label) == 0) right.push_back(label);
  }
  const auto sizes = [&](const std::vector<int>& labels) {
    std::vector<int64_t> found;
    for (int label : labels) found.push_back(label_sizes[static_cast<size_t>(label)]);
    return found;
  };
  const std::vector<int64_t> batch_sizes = sizes(batch), left_sizes = sizes(left),
                             summed_sizes = sizes(summed), right_sizes = sizes(right);
  std::vector<int> a_order = batch, b_order = batch;
  a_order.insert(a_order.end(), left.begin(), left.end());
  a_order.insert(a_order.end(), summed.begin(), summed.end());
  b_order.insert(b_order.end(), summed.begin(), summed.end());
  b_order.insert(b_order.end(), right.begin(), right.end());
  std::vector<int64_t> a_sizes = batch_sizes, b_sizes = batch_sizes;
  a_sizes.insert(a_sizes.end(), left_sizes.begin(), left_sizes.end());
  a_sizes.insert(a_sizes.end(), summed_sizes.begin(), summed_sizes.end());
  b_sizes.insert(b_sizes.end(), summed_sizes.begin(), summed_sizes.end());
  b_sizes.insert(b_sizes.end(), right_sizes.begin(), right_sizes.end());
  // a's own size-1 dims keep size 1 where a broadcasts: expand them to the label's size.
  const Tensor a_arranged = arrange(a, a_order, a_sizes);
  const Tensor b_arranged = arrange(b, b_order, b_sizes);
  const int64_t nb = product(batch_sizes), m = product(left_sizes), k = product(summed_sizes),
                n = product(right_sizes);
  const Tensor result = bmm(a_arranged.reshape({nb, m, k}), b_arranged.reshape({nb, k, n}));
  std::vector<int64_t> shape = batch_sizes;
  shape.insert(shape.end(), left_sizes.begin(), left_sizes.end());
  shape.insert(shape.end(), right_sizes.begin(), right_sizes.end());
  std::vector<int> labels = batch;
  labels.insert(labels.end(), left.begin(), left.end());
  labels.insert(labels.end(), right.begin(), right.end());
  return {result.reshape(shape), labels};
}

}  // namespace

Tensor einsum(std::string_view equation, const std::vector<Tensor>& operands) {
  std::string text;
  for (char c : equation) {
    if (c != ' ') text += c;
  }
  const size_t arrow = text.find("->");
  const std::string_view inputs = std::string_view(text).substr(0, arrow);
  std::vector<Term> terms;
  for (size_t start = 0;;) {
    const size_t comma = inputs.find(',', start);
    terms.push_back(parse_term(inputs.substr(start, comma - start), start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  EMBER_CHECK_VALUE(!operands.empty(), "[einsum] must provide at least one operand");
  EMBER_CHECK_VALUE(terms.size() == operands.size(), "[einsum] ",
                    terms.size() < operands.size() ? "more" : "fewer",
                    " operands were provided than specified in the equation (", terms.size(),
                    " terms, ", operands.size(), " operands)");
  // The ellipsis covers the dims the letters leave; its dims broadcast right-aligned.
  int64_t ellipsis_dims = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    const int64_t letters = static_cast<int64_t>(terms[i].labels.size()) - terms[i].ellipsis;
    const int64_t rank = operands[i].dim();
    EMBER_CHECK_VALUE(terms[i].ellipsis ? rank >= letters : rank == letters, "[einsum] the ",
                      "number of subscripts in the equation (", letters,
                      ") does not match the number of dimensions (", rank, ") for operand ", i,
                      terms[i].ellipsis ? "" : " and no ellipsis was given");
    if (terms[i].ellipsis) ellipsis_dims = std::max(ellipsis_dims, rank - letters);
    EMBER_CHECK_TYPE(operands[i].dtype() == operands[0].dtype(), "[einsum] expected all ",
                     "operands to have the same dtype; got ", operands[0].dtype(), " (operand 0) ",
                     "and ", operands[i].dtype(), " (operand ", i, ")");
  }
  const auto expand_ellipsis = [&](const Term& term, int64_t covered) {
    std::vector<int> labels;
    for (int label : term.labels) {
      if (label >= 0) {
        labels.push_back(label);
        continue;
      }
      for (int64_t d = ellipsis_dims - covered; d < ellipsis_dims; ++d) {
        labels.push_back(kLetters + static_cast<int>(d));
      }
    }
    return labels;
  };
  const size_t label_count = static_cast<size_t>(kLetters + ellipsis_dims);
  std::vector<int64_t> label_sizes(label_count, 1);
  std::vector<int> uses(label_count, 0);  // operands using each label
  std::vector<Operand> pending;
  for (size_t i = 0; i < terms.size(); ++i) {
    const int64_t letters = static_cast<int64_t>(terms[i].labels.size()) - terms[i].ellipsis;
    std::vector<int> labels = expand_ellipsis(terms[i], operands[i].dim() - letters);
    // Repeated subscripts: one dim of the diagonal view (strides summed).
    Operand operand;
    std::vector<int64_t> sizes, strides;
    for (size_t d = 0; d < labels.size(); ++d) {
      const int64_t size = operands[i].size(static_cast<int64_t>(d));
      const int64_t stride = operands[i].stride(static_cast<int64_t>(d));
      const auto seen = std::find(operand.labels.begin(), operand.labels.end(), labels[d]);
      if (seen != operand.labels.end()) {
        const size_t at = static_cast<size_t>(seen - operand.labels.begin());
        EMBER_CHECK_VALUE(sizes[at] == size, "[einsum] subscript ", label_char(labels[d]),
                          " is repeated for operand ", i, " but the sizes don't match, ", sizes[at],
                          " != ", size);
        strides[at] += stride;
        continue;
      }
      operand.labels.push_back(labels[d]);
      sizes.push_back(size);
      strides.push_back(stride);
    }
    operand.tensor = sizes.size() == static_cast<size_t>(operands[i].dim())
                         ? operands[i]
                         : operands[i].as_strided(sizes, strides, operands[i].storage_offset());
    for (size_t d = 0; d < operand.labels.size(); ++d) {
      int64_t& seen = label_sizes[static_cast<size_t>(operand.labels[d])];
      EMBER_CHECK_VALUE(seen == 1 || sizes[d] == 1 || seen == sizes[d], "[einsum] subscript ",
                        operand.labels[d] < kLetters ? std::string(1, label_char(operand.labels[d]))
                                                     : std::string("..."),
                        " has size ", sizes[d], " for operand ", i,
                        " which does not broadcast with previously seen size ", seen);
      if (sizes[d] != 1) seen = sizes[d];
      ++uses[static_cast<size_t>(operand.labels[d])];
    }
    pending.push_back(std::move(operand));
  }
  // The output: given after "->", else the ellipsis then the letters used once, sorted.
  std::vector<int> output;
  if (arrow != std::string::npos) {
    const Term term = parse_term(std::string_view(text).substr(arrow + 2), arrow + 2);
    output = expand_ellipsis(term, ellipsis_dims);
    for (size_t i = 0; i < term.labels.size(); ++i) {
      const int label = term.labels[i];
      if (label < 0) continue;
      EMBER_CHECK_VALUE(std::count(term.labels.begin(), term.labels.end(), label) == 1,
                        "[einsum] output subscript ", label_char(label),
                        " appears more than once in the output");
      EMBER_CHECK_VALUE(uses[static_cast<size_t>(label)] > 0, "[einsum] output subscript ",
                        label_char(label),
                        " does not appear in the equation for any input operand");
    }
  } else {
    // Letters written once in the whole equation ("ii" is a trace, not a diagonal).
    std::vector<int> written(kLetters, 0);
    for (const Term& term : terms) {
      for (int label : term.labels) {
        if (label >= 0) ++written[static_cast<size_t>(label)];
      }
    }
    for (int64_t d = 0; d < ellipsis_dims; ++d) output.push_back(kLetters + static_cast<int>(d));
    for (int label = 0; label < kLetters; ++label) {
      if (written[static_cast<size_t>(label)] == 1) output.push_back(label);
    }
  }
  // needed[label]: operands using it, plus one if the output keeps it.
  std::vector<int> needed = uses;
  for (int label : output) ++needed[static_cast<size_t>(label)];
  for (Operand& operand : pending) {
    std::vector<int> others = needed;
    for (int label : operand.labels) --others[static_cast<size_t>(label)];
    sum_unneeded(operand, others);
  }
  while (pending.size() > 1) {
    // The pair whose product costs the fewest multiply-adds.
    size_t best_i = 0, best_j = 1;
    double best_cost = -1;
    for (size_t i = 0; i < pending.size(); ++i) {
      for (size_t j = i + 1; j < pending.size(); ++j) {
        double cost = 1;
        std::vector<int> all = pending[i].labels;
        all.insert(all.end(), pending[j].labels.begin(), pending[j].labels.end());
        std::sort(all.begin(), all.end());
        all.erase(std::unique(all.begin(), all.end()), all.end());
        for (int label : all) cost *= static_cast<double>(label_sizes[static_cast<size_t>(label)]);
        if (best_cost < 0 || cost < best_cost) {
          best_cost = cost;
          best_i = i;
          best_j = j;
        }
      }
    }
    Operand merged = contract(pending[best_i], pending[best_j], needed, label_sizes);
    for (int label : pending[best_i].labels) --needed[static_cast<size_t>(label)];
    for (int label : pending[best_j].labels) --needed[static_cast<size_t>(label)];
    for (int label : merged.labels) ++needed[static_cast<size_t>(label)];
    pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(best_j));
    pending[best_i] = std::move(merged);
  }
  Operand& last = pending.front();
  std::vector<int> others = needed;
  for (int label : last.labels) --others[static_cast<size_t>(label)];
  sum_unneeded(last, others);
  std::vector<int64_t> output_sizes;
  for (int label : output) output_sizes.push_back(label_sizes[static_cast<size_t>(label)]);
  return arrange(last, output, output_sizes);
}

Tensor tensordot(const Tensor& a, const Tensor& b, IntArrayRef dims_a, IntArrayRef dims_b) {
  EMBER_CHECK(dims_a.size() == dims_b.size(), "[tensordot] both dimension lists should have ",
              "same length; got ", dims_a.size(), " and ", dims_b.size());
  std::vector<int64_t> a_summed, b_summed;
  int64_t k = 1;
  for (size_t i = 0; i < dims_a.size(); ++i) {
    const int64_t da = dims_a[i] < 0 ? dims_a[i] + a.dim() : dims_a[i];
    const int64_t db = dims_b[i] < 0 ? dims_b[i] + b.dim() : dims_b[i];
    EMBER_CHECK_INDEX(da >= 0 && da < a.dim() && db >= 0 && db < b.dim(), "[tensordot] ",
                      "dimension out of range: ", dims_a[i], " for a of shape ", a.shape(), " or ",
                      dims_b[i], " for b of shape ", b.shape());
    EMBER_CHECK(a.size(da) == b.size(db), "[tensordot] contracted dimensions need to match, but ",
                "first has size ", a.size(da), " in dim ", da, " and second has size ", b.size(db),
                " in dim ", db);
    a_summed.push_back(da);
    b_summed.push_back(db);
    k *= a.size(da);
  }
  std::vector<int64_t> a_order, b_order, shape;
  int64_t m = 1, n = 1;
  for (int64_t d = 0; d < a.dim(); ++d) {
    if (std::count(a_summed.begin(), a_summed.end(), d) == 0) {
      a_order.push_back(d);
      shape.push_back(a.size(d));
      m *= a.size(d);
    }
  }
  a_order.insert(a_order.end(), a_summed.begin(), a_summed.end());
  b_order = b_summed;
  for (int64_t d = 0; d < b.dim(); ++d) {
    if (std::count(b_summed.begin(), b_summed.end(), d) == 0) {
      b_order.push_back(d);
      shape.push_back(b.size(d));
      n *= b.size(d);
    }
  }
  return mm(a.permute(a_order).reshape({m, k}), b.permute(b_order).reshape({k, n})).reshape(shape);
}

Tensor tensordot(const Tensor& a, const Tensor& b, int64_t dims) {
  EMBER_CHECK(dims >= 0 && dims <= std::min(a.dim(), b.dim()), "[tensordot] dims must be ",
              "between 0 and the smaller rank; got ", dims, " for shapes ", a.shape(), " and ",
              b.shape());
  std::vector<int64_t> dims_a, dims_b;
  for (int64_t i = 0; i < dims; ++i) {
    dims_a.push_back(a.dim() - dims + i);
    dims_b.push_back(i);
  }
  return tensordot(a, b, dims_a, dims_b);
}

Tensor kron(const Tensor& a, const Tensor& b) {
  const int64_t rank = std::max(a.dim(), b.dim());
  // Interleave: a's dim i at 2i, b's at 2i + 1, then merge each pair.
  std::vector<int64_t> a_shape, b_shape, shape;
  for (int64_t d = 0; d < rank; ++d) {
    const int64_t sa = d < rank - a.dim() ? 1 : a.size(d - (rank - a.dim()));
    const int64_t sb = d < rank - b.dim() ? 1 : b.size(d - (rank - b.dim()));
    a_shape.insert(a_shape.end(), {sa, 1});
    b_shape.insert(b_shape.end(), {1, sb});
    shape.push_back(sa * sb);
  }
  return (a.reshape(a_shape) * b.reshape(b_shape)).reshape(shape);
}

Tensor Tensor::kron(const Tensor& other) const { return ember::kron(*this, other); }

}  // namespace ember
