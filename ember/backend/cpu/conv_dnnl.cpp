// float32 convolution through oneDNN (conv.h). oneDNN picks its own blocked layouts ("any"), so
// each call reorders ember's plain tensors in and the result out; the primitives and reorders
// of a geometry are built once and cached by shape, so a repeated call costs only the
// execution. oneDNN runs on OpenMP's thread count, which set_num_threads sets.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "ember/backend/cpu/conv.h"
#include "ember/backend/cpu/gemm.h"
#include "ember/base/error.h"

namespace ember::cpu {
namespace {

using dnnl::memory;
using Tag = memory::format_tag;

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

// One tensor of a pass: ember's plain layout, the primitive's, and the reorder between them
// (none where the two agree).
struct Operand {
  memory::desc plain;
  memory::desc chosen;
  std::optional<dnnl::reorder> reorder;
};

struct Cached {
  dnnl::primitive primitive;
  Operand src, weights, dst;  // x, w, y whatever the pass
};

Tag plain_tag(int dims, bool grouped) {
  switch (dims) {
    case 3:
      return Tag::ncw;
    case 4:
      return grouped ? Tag::goiw : Tag::nchw;
    case 5:
      return grouped ? Tag::goihw : Tag::ncdhw;
    default:
      return Tag::goidhw;
  }
}

// Reorder plain -> chosen for an input of the pass, chosen -> plain for its output.
Operand operand(const memory::desc& plain, const memory::desc& chosen, bool is_output) {
  Operand result{plain, chosen, std::nullopt};
  if (plain != chosen) {
    const dnnl::engine& engine = cpu_engine();
    result.reorder = is_output ? dnnl::reorder(memory(chosen, engine), memory(plain, engine))
                               : dnnl::reorder(memory(plain, engine), memory(chosen, engine));
  }
  return result;
}

// The cache key: the pass, the groups, the three shapes and the geometry.
std::vector<int64_t> key_of(ConvPass pass, const ConvGeometry& g, const Tensor& x, const Tensor& w,
                            const Tensor& y) {
  std::vector<int64_t> key{static_cast<int64_t>(pass), g.groups};
  for (const Tensor* t : {&x, &w, &y}) {
    key.push_back(t->dim());
    for (int64_t size : t->shape()) key.push_back(size);
  }
  for (const Shape* s : {&g.stride, &g.dilation, &g.pad_before, &g.pad_after}) {
    key.insert(key.end(), s->begin(), s->end());
  }
  return key;
}

// oneDNN derives the output size from the input size, so it takes only geometries where that
// holds: out = (in + pads - dilation * (kernel - 1) - 1) / stride + 1.
bool output_size_determined(const ConvGeometry& g, const Tensor& x, const Tensor& w,
                            const Tensor& y) {
  for (size_t d = 0; d < g.stride.size(); ++d) {
    const auto dim = static_cast<int64_t>(d) + 2;
    const int64_t span =
        x.size(dim) + g.pad_before[d] + g.pad_after[d] - g.dilation[d] * (w.size(dim) - 1) - 1;
    if (span < 0 || span / g.stride[d] + 1 != y.size(dim)) return false;
  }
  return true;
}

Cached build(ConvPass pass, const ConvGeometry& g, const Tensor& x, const Tensor& w,
             const Tensor& y) {
  const dnnl::engine& engine = cpu_engine();
  const auto f32 = memory::data_type::f32;
  const memory::dims x_dims(x.shape().begin(), x.shape().end());
  const memory::dims y_dims(y.shape().begin(), y.shape().end());
  memory::dims w_dims(w.shape().begin(), w.shape().end());
  const bool grouped = g.groups > 1;
  if (grouped) {
    w_dims[0] /= g.groups;
    w_dims.insert(w_dims.begin(), g.groups);
  }
  const int data_dims = static_cast<int>(x_dims.size());
  const memory::desc x_plain(x_dims, f32, plain_tag(data_dims, false));
  const memory::desc y_plain(y_dims, f32, plain_tag(data_dims, false));
  const memory::desc w_plain(w_dims, f32, plain_tag(static_cast<int>(w_dims.size()), grouped));
  const memory::desc x_any(x_dims, f32, Tag::any);
  const memory::desc y_any(y_dims, f32, Tag::any);
  const memory::desc w_any(w_dims, f32, Tag::any);
  const memory::dims strides(g.stride.begin(), g.stride.end());
  memory::dims dilates(g.dilation.begin(), g.dilation.end());
  for (auto& d : dilates) d -= 1;  // oneDNN counts the gaps
  const memory::dims pad_l(g.pad_before.begin(), g.pad_before.end());
  const memory::dims pad_r(g.pad_after.begin(), g.pad_after.end());
  const auto algorithm = dnnl::algorithm::convolution_direct;
  const dnnl::convolution_forward::desc forward_desc(dnnl::prop_kind::forward_training, algorithm,
                                                     x_any, w_any, y_any, strides, dilates, pad_l,
                                                     pad_r);
  const dnnl::convolution_forward::primitive_desc forward_pd(forward_desc, engine);
  switch (pass) {
    case ConvPass::Forward:
      return {dnnl::convolution_forward(forward_pd), operand(x_plain, forward_pd.src_desc(), false),
              operand(w_plain, forward_pd.weights_desc(), false),
              operand(y_plain, forward_pd.dst_desc(), true)};
    case ConvPass::BackwardData: {
      const dnnl::convolution_backward_data::desc desc(algorithm, x_any, w_any, y_any, strides,
                                                       dilates, pad_l, pad_r);
      const dnnl::convolution_backward_data::primitive_desc pd(desc, engine, forward_pd);
      return {dnnl::convolution_backward_data(pd), operand(x_plain, pd.diff_src_desc(), true),
              operand(w_plain, pd.weights_desc(), false),
              operand(y_plain, pd.diff_dst_desc(), false)};
    }
    case ConvPass::BackwardWeight: {
      const dnnl::convolution_backward_weights::desc desc(algorithm, x_any, w_any, y_any, strides,
                                                          dilates, pad_l, pad_r);
      const dnnl::convolution_backward_weights::primitive_desc pd(desc, engine, forward_pd);
      return {dnnl::convolution_backward_weights(pd), operand(x_plain, pd.src_desc(), false),
              operand(w_plain, pd.diff_weights_desc(), true),
              operand(y_plain, pd.diff_dst_desc(), false)};
    }
  }
  detail::raise<RuntimeError>("[convolution] unknown pass");
}

// The cached primitives of a geometry, built on first use; null where oneDNN declines it. Shared,
// so that a call keeps its entry while another thread clears the cache.
std::shared_ptr<const Cached> cached(ConvPass pass, const ConvGeometry& g, const Tensor& x,
                                     const Tensor& w, const Tensor& y) {
  static std::mutex mutex;
  static std::map<std::vector<int64_t>, std::shared_ptr<const Cached>> cache;
  constexpr size_t kMaxEntries = 256;  // bounds memory for programs cycling through many shapes
  std::vector<int64_t> key = key_of(pass, g, x, w, y);
  const std::lock_guard<std::mutex> lock(mutex);
  auto found = cache.find(key);
  if (found == cache.end()) {
    if (cache.size() >= kMaxEntries) cache.clear();
    std::shared_ptr<const Cached> built;
    try {
      built = std::make_shared<const Cached>(build(pass, g, x, w, y));
    } catch (const dnnl::error&) {
      built = nullptr;  // unimplemented here: the reference kernel computes it
    }
    found = cache.emplace(std::move(key), std::move(built)).first;
  }
  return found->second;
}

// Per-thread buffers for the operands in oneDNN's layout, kept across calls: fresh pages for
// every call would cost a page fault each, a sizeable part of a convolution's time.
void* scratch(int operand, size_t bytes) {
  thread_local std::vector<float> buffers[3];
  std::vector<float>& buffer = buffers[operand];
  if (buffer.size() * sizeof(float) < bytes) buffer.resize(bytes / sizeof(float) + 1);
  return buffer.data();
}

}  // namespace

bool conv_dnnl(ConvPass pass, const ConvGeometry& geometry, const Tensor& x, const Tensor& w,
               const Tensor& y) {
  if (!output_size_determined(geometry, x, w, y)) return false;
  follow_dnnl_capability();
  const std::shared_ptr<const Cached> primitives = cached(pass, geometry, x, w, y);
  if (primitives == nullptr) return false;
  const dnnl::engine& engine = cpu_engine();
  dnnl::stream stream(engine);
  const bool writes[] = {pass == ConvPass::BackwardData, pass == ConvPass::BackwardWeight,
                         pass == ConvPass::Forward};
  const Operand* operands[] = {&primitives->src, &primitives->weights, &primitives->dst};
  const Tensor* tensors[] = {&x, &w, &y};
  memory bound[3];
  for (int i = 0; i < 3; ++i) {
    const Operand& op = *operands[i];
    memory plain(op.plain, engine, tensors[i]->data_ptr());
    if (!op.reorder) {
      bound[i] = plain;
      continue;
    }
    bound[i] = memory(op.chosen, engine, scratch(i, op.chosen.get_size()));
    if (!writes[i]) {
      op.reorder->execute(stream, {{DNNL_ARG_FROM, plain}, {DNNL_ARG_TO, bound[i]}});
    }
  }
  const bool forward = pass == ConvPass::Forward;
  const bool data = pass == ConvPass::BackwardData;
  const bool weight = pass == ConvPass::BackwardWeight;
  primitives->primitive.execute(stream,
                                {{data ? DNNL_ARG_DIFF_SRC : DNNL_ARG_SRC, bound[0]},
                                 {weight ? DNNL_ARG_DIFF_WEIGHTS : DNNL_ARG_WEIGHTS, bound[1]},
                                 {forward ? DNNL_ARG_DST : DNNL_ARG_DIFF_DST, bound[2]}});
  for (int i = 0; i < 3; ++i) {
    if (writes[i] && operands[i]->reorder) {
      memory plain(operands[i]->plain, engine, tensors[i]->data_ptr());
      operands[i]->reorder->execute(stream, {{DNNL_ARG_FROM, bound[i]}, {DNNL_ARG_TO, plain}});
    }
  }
  stream.wait();
  return true;
}

}  // namespace ember::cpu
