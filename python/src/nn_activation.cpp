// Bindings of nn's activation family (ember/ops/nn_activation.h, nn_dropout.h, nn_distance.h):
// ember.softmax/log_softmax and their Tensor methods, and nn.functional's activations, dropouts
// and distances in ember._C._nn, with PyTorch's signatures (inplace= picks the in-place op);
// python/ember/nn/_activation_functional.py re-exports them.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>

#include <nanobind/stl/string_view.h>

#include "convert.h"
#include "ember/ops/nn_activation.h"
#include "ember/ops/nn_distance.h"
#include "ember/ops/nn_dropout.h"

namespace ember::python {
namespace {

// Binds a softmax-like op in `module` as (input, dim, dtype=None), and as a Tensor method when
// `tensor` is given.
template <typename F>
void def_softmax_like(nb::module_& module, nb::class_<Tensor>* tensor, const char* name, F f,
                      const char* function_sig, const char* method_sig, const char* doc) {
  auto call = [f](const Tensor& x, int64_t dim, nb::handle dtype) {
    return f(x, dim, to_dtype(dtype));
  };
  module.def(name, call, nb::arg("input"), nb::arg("dim"), nb::arg("dtype") = nb::none(),
             nb::sig(function_sig), doc);
  if (tensor != nullptr) {
    tensor->def(name, call, nb::arg("dim"), nb::arg("dtype") = nb::none(), nb::sig(method_sig),
                doc);
  }
}

Tensor softmax_op(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  return ember::softmax(x, dim, dtype);
}
Tensor log_softmax_op(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  return ember::log_softmax(x, dim, dtype);
}
Tensor softmin_op(const Tensor& x, int64_t dim, std::optional<ScalarType> dtype) {
  return ember::softmin(x, dim, dtype);
}

constexpr const char* kSoftmaxDoc =
    "exp(x) / sum(exp(x)) along dim, computed stably (the input is cast to dtype first).";
constexpr const char* kLogSoftmaxDoc =
    "x - log(sum(exp(x))) along dim, computed stably (the input is cast to dtype first).";
constexpr const char* kSoftminDoc = "softmax(-x) along dim (the input is cast to dtype first).";

void init_nn_activation_functions(nb::module_& nn) {
  nn.def(
      "relu", [](Tensor x, bool inplace) { return inplace ? Tensor(relu_(x)) : relu(x); },
      nb::arg("input"), nb::arg("inplace") = false,
      nb::sig("def relu(input, inplace=False) -> Tensor"), "max(x, 0).");
  nn.def(
      "relu_", [](Tensor x) { return Tensor(relu_(x)); }, nb::arg("input"),
      nb::sig("def relu_(input) -> Tensor"), "In-place relu().");
  nn.def(
      "relu6", [](Tensor x, bool inplace) { return inplace ? Tensor(relu6_(x)) : relu6(x); },
      nb::arg("input"), nb::arg("inplace") = false,
      nb::sig("def relu6(input, inplace=False) -> Tensor"), "min(max(x, 0), 6).");
  nn.def(
      "leaky_relu",
      [](Tensor x, double slope, bool inplace) {
        return inplace ? Tensor(leaky_relu_(x, slope)) : leaky_relu(x, slope);
      },
      nb::arg("input"), nb::arg("negative_slope") = 0.01, nb::arg("inplace") = false,
      nb::sig("def leaky_relu(input, negative_slope=0.01, inplace=False) -> Tensor"),
      "x where x > 0, else negative_slope * x.");
  nn.def(
      "leaky_relu_", [](Tensor x, double slope) { return Tensor(leaky_relu_(x, slope)); },
      nb::arg("input"), nb::arg("negative_slope") = 0.01,
      nb::sig("def leaky_relu_(input, negative_slope=0.01) -> Tensor"), "In-place leaky_relu().");
  nn.def(
      "elu",
      [](Tensor x, double alpha, bool inplace) {
        return inplace ? Tensor(elu_(x, alpha)) : elu(x, alpha);
      },
      nb::arg("input"), nb::arg("alpha") = 1.0, nb::arg("inplace") = false,
      nb::sig("def elu(input, alpha=1.0, inplace=False) -> Tensor"),
      "x where x > 0, else alpha * (exp(x) - 1).");
  nn.def(
      "elu_", [](Tensor x, double alpha) { return Tensor(elu_(x, alpha)); }, nb::arg("input"),
      nb::arg("alpha") = 1.0, nb::sig("def elu_(input, alpha=1.0) -> Tensor"), "In-place elu().");
  nn.def(
      "selu", [](Tensor x, bool inplace) { return inplace ? Tensor(selu_(x)) : selu(x); },
      nb::arg("input"), nb::arg("inplace") = false,
      nb::sig("def selu(input, inplace=False) -> Tensor"),
      "scale * elu(x, alpha) with SELU's self-normalizing constants.");
  nn.def(
      "selu_", [](Tensor x) { return Tensor(selu_(x)); }, nb::arg("input"),
      nb::sig("def selu_(input) -> Tensor"), "In-place selu().");
  nn.def(
      "celu",
      [](Tensor x, double alpha, bool inplace) {
        return inplace ? Tensor(celu_(x, alpha)) : celu(x, alpha);
      },
      nb::arg("input"), nb::arg("alpha") = 1.0, nb::arg("inplace") = false,
      nb::sig("def celu(input, alpha=1.0, inplace=False) -> Tensor"),
      "x where x > 0, else alpha * (exp(x / alpha) - 1).");
  nn.def(
      "celu_", [](Tensor x, double alpha) { return Tensor(celu_(x, alpha)); }, nb::arg("input"),
      nb::arg("alpha") = 1.0, nb::sig("def celu_(input, alpha=1.0) -> Tensor"), "In-place celu().");
  nn.def(
      "gelu", [](const Tensor& x, std::string_view approximate) { return gelu(x, approximate); },
      nb::arg("input"), nb::arg("approximate") = "none",
      nb::sig("def gelu(input, approximate='none') -> Tensor"),
      "x * Phi(x) (approximate='tanh': its tanh approximation).");
  nn.def(
      "silu", [](Tensor x, bool inplace) { return inplace ? Tensor(silu_(x)) : silu(x); },
      nb::arg("input"), nb::arg("inplace") = false,
      nb::sig("def silu(input, inplace=False) -> Tensor"), "x * sigmoid(x).");
  nn.def(
      "mish", [](Tensor x, bool inplace) { return inplace ? Tensor(mish_(x)) : mish(x); },
      nb::arg("input"), nb::arg("inplace") = false,
      nb::sig("def mish(input, inplace=False) -> Tensor"), "x * tanh(softplus(x)).");
  nn.def(
      "hardtanh",
      [](Tensor x, double min_val, double max_val, bool inplace) {
        return inplace ? Tensor(hardtanh_(x, min_val, max_val)) : hardtanh(x, min_val, max_val);
      },
      nb::arg("input"), nb::arg("min_val") = -1.0, nb::arg("max_val") = 1.0,
      nb::arg("inplace") = false,
      nb::sig("def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False) -> Tensor"),
      "x clamped to [min_val, max_val].");
  nn.def(
      "hardtanh_",
      [](Tensor x, double min_val, double max_val) {
        return Tensor(hardtanh_(x, min_val, max_val));
      },
      nb::arg("input"), nb::arg("min_val") = -1.0, nb::arg("max_val") = 1.0,
      nb::sig("def hardtanh_(input, min_val=-1.0, max_val=1.0) -> Tensor"), "In-place hardtanh().");
  nn.def(
      "hardsigmoid",
      [](Tensor x, bool inplace) { return inplace ? Tensor(hardsigmoid_(x)) : hardsigmoid(x); },
      nb::arg("input"), nb::arg("inplace") = false,
      nb::sig("def hardsigmoid(input, inplace=False) -> Tensor"), "relu6(x + 3) / 6.");
  nn.def(
      "hardswish",
      [](Tensor x, bool inplace) { return inplace ? Tensor(hardswish_(x)) : hardswish(x); },
      nb::arg("input"), nb::arg("inplace") = false,
      nb::sig("def hardswish(input, inplace=False) -> Tensor"), "x * relu6(x + 3) / 6.");
  nn.def(
      "softplus",
      [](const Tensor& x, double beta, double threshold) { return softplus(x, beta, threshold); },
      nb::arg("input"), nb::arg("beta") = 1.0, nb::arg("threshold") = 20.0,
      nb::sig("def softplus(input, beta=1.0, threshold=20.0) -> Tensor"),
      "log(1 + exp(beta x)) / beta; x where beta x > threshold.");
  nn.def(
      "softsign", [](const Tensor& x) { return softsign(x); }, nb::arg("input"),
      nb::sig("def softsign(input) -> Tensor"), "x / (1 + |x|).");
  nn.def(
      "softshrink", [](const Tensor& x, double lambd) { return softshrink(x, lambd); },
      nb::arg("input"), nb::arg("lambd") = 0.5,
      nb::sig("def softshrink(input, lambd=0.5) -> Tensor"),
      "x - lambd where x > lambd, x + lambd where x < -lambd, else 0.");
  nn.def(
      "hardshrink", [](const Tensor& x, double lambd) { return hardshrink(x, lambd); },
      nb::arg("input"), nb::arg("lambd") = 0.5,
      nb::sig("def hardshrink(input, lambd=0.5) -> Tensor"), "x where |x| > lambd, else 0.");
  nn.def(
      "tanhshrink", [](const Tensor& x) { return tanhshrink(x); }, nb::arg("input"),
      nb::sig("def tanhshrink(input) -> Tensor"), "x - tanh(x).");
  nn.def(
      "threshold",
      [](Tensor x, double threshold, double value, bool inplace) {
        return inplace ? Tensor(threshold_(x, threshold, value))
                       : ember::threshold(x, threshold, value);
      },
      nb::arg("input"), nb::arg("threshold"), nb::arg("value"), nb::arg("inplace") = false,
      nb::sig("def threshold(input, threshold, value, inplace=False) -> Tensor"),
      "x where x > threshold, else value.");
  nn.def(
      "threshold_",
      [](Tensor x, double threshold, double value) {
        return Tensor(threshold_(x, threshold, value));
      },
      nb::arg("input"), nb::arg("threshold"), nb::arg("value"),
      nb::sig("def threshold_(input, threshold, value) -> Tensor"), "In-place threshold().");
  nn.def(
      "logsigmoid", [](const Tensor& x) { return log_sigmoid(x); }, nb::arg("input"),
      nb::sig("def logsigmoid(input) -> Tensor"), "log(sigmoid(x)), computed stably.");
  nn.def(
      "glu", [](const Tensor& x, int64_t dim) { return glu(x, dim); }, nb::arg("input"),
      nb::arg("dim") = -1, nb::sig("def glu(input, dim=-1) -> Tensor"),
      "a * sigmoid(b) for the halves a, b of the input along dim.");
  nn.def(
      "prelu", [](const Tensor& x, const Tensor& weight) { return prelu(x, weight); },
      nb::arg("input"), nb::arg("weight"), nb::sig("def prelu(input, weight) -> Tensor"),
      "x where x > 0, else weight * x (one weight, or one per channel: dim 1).");
  nn.def(
      "rrelu",
      [](Tensor x, double lower, double upper, bool training, bool inplace) {
        return inplace ? Tensor(rrelu_(x, lower, upper, training))
                       : rrelu(x, lower, upper, training);
      },
      nb::arg("input"), nb::arg("lower") = 1.0 / 8.0, nb::arg("upper") = 1.0 / 3.0,
      nb::arg("training") = false, nb::arg("inplace") = false,
      nb::sig("def rrelu(input, lower=0.125, upper=0.3333333333333333, training=False, "
              "inplace=False) -> Tensor"),
      "leaky_relu with a random slope in [lower, upper] per element in training, else their "
      "mean.");
  nn.def(
      "rrelu_",
      [](Tensor x, double lower, double upper, bool training) {
        return Tensor(rrelu_(x, lower, upper, training));
      },
      nb::arg("input"), nb::arg("lower") = 1.0 / 8.0, nb::arg("upper") = 1.0 / 3.0,
      nb::arg("training") = false,
      nb::sig("def rrelu_(input, lower=0.125, upper=0.3333333333333333, training=False) -> "
              "Tensor"),
      "In-place rrelu().");
  nn.def(
      "sigmoid", [](const Tensor& x) { return sigmoid(x); }, nb::arg("input"),
      nb::sig("def sigmoid(input) -> Tensor"), "1 / (1 + exp(-x)).");
  nn.def(
      "tanh", [](const Tensor& x) { return tanh(x); }, nb::arg("input"),
      nb::sig("def tanh(input) -> Tensor"), "The hyperbolic tangent.");
}

// dropout and its variants: name(input, p=0.5, training=..., inplace=False).
template <typename F, typename G>
void def_dropout(nb::module_& nn, const char* name, F f, G g, bool training_default,
                 const char* sig, const char* doc) {
  nn.def(
      name,
      [f, g](Tensor x, double p, bool training, bool inplace) {
        return inplace ? Tensor(g(x, p, training)) : f(x, p, training);
      },
      nb::arg("input"), nb::arg("p") = 0.5, nb::arg("training") = training_default,
      nb::arg("inplace") = false, nb::sig(sig), doc);
}

void init_nn_dropout(nb::module_& nn) {
  def_dropout(
      nn, "dropout", [](const Tensor& x, double p, bool t) { return dropout(x, p, t); },
      [](Tensor& x, double p, bool t) -> Tensor& { return dropout_(x, p, t); }, true,
      "def dropout(input, p=0.5, training=True, inplace=False) -> Tensor",
      "Zeroes each element with probability p (from the Philox generator) and scales the rest "
      "by 1 / (1 - p).");
  def_dropout(
      nn, "alpha_dropout", [](const Tensor& x, double p, bool t) { return alpha_dropout(x, p, t); },
      [](Tensor& x, double p, bool t) -> Tensor& { return alpha_dropout_(x, p, t); }, false,
      "def alpha_dropout(input, p=0.5, training=False, inplace=False) -> Tensor",
      "Dropout that keeps zero mean and unit variance (for SELU networks).");
  def_dropout(
      nn, "feature_alpha_dropout",
      [](const Tensor& x, double p, bool t) { return feature_alpha_dropout(x, p, t); },
      [](Tensor& x, double p, bool t) -> Tensor& { return feature_alpha_dropout_(x, p, t); }, false,
      "def feature_alpha_dropout(input, p=0.5, training=False, inplace=False) -> Tensor",
      "alpha_dropout of whole channels (dim 1).");
  nn.def(
      "dropout1d",
      [](const Tensor& x, double p, bool training, bool inplace) {
        return dropout1d(x, p, training, inplace);
      },
      nb::arg("input"), nb::arg("p") = 0.5, nb::arg("training") = true, nb::arg("inplace") = false,
      nb::sig("def dropout1d(input, p=0.5, training=True, inplace=False) -> Tensor"),
      "Zeroes whole channels of (N, C, L) or (C, L) inputs with probability p.");
  nn.def(
      "dropout2d",
      [](const Tensor& x, double p, bool training, bool inplace) {
        return dropout2d(x, p, training, inplace);
      },
      nb::arg("input"), nb::arg("p") = 0.5, nb::arg("training") = true, nb::arg("inplace") = false,
      nb::sig("def dropout2d(input, p=0.5, training=True, inplace=False) -> Tensor"),
      "Zeroes whole channels of (N, C, H, W) or (C, H, W) inputs with probability p.");
  nn.def(
      "dropout3d",
      [](const Tensor& x, double p, bool training, bool inplace) {
        return dropout3d(x, p, training, inplace);
      },
      nb::arg("input"), nb::arg("p") = 0.5, nb::arg("training") = true, nb::arg("inplace") = false,
      nb::sig("def dropout3d(input, p=0.5, training=True, inplace=False) -> Tensor"),
      "Zeroes whole channels of (N, C, D, H, W) or (C, D, H, W) inputs with probability p.");
}

void init_nn_distance(nb::module_& nn) {
  nn.def(
      "normalize",
      [](const Tensor& x, double p, int64_t dim, double eps) { return normalize(x, p, dim, eps); },
      nb::arg("input"), nb::arg("p") = 2.0, nb::arg("dim") = 1, nb::arg("eps") = 1e-12,
      nb::sig("def normalize(input, p=2.0, dim=1, eps=1e-12) -> Tensor"),
      "input / max(||input||_p along dim, eps).");
  nn.def(
      "cosine_similarity",
      [](const Tensor& x1, const Tensor& x2, int64_t dim, double eps) {
        return cosine_similarity(x1, x2, dim, eps);
      },
      nb::arg("x1"), nb::arg("x2"), nb::arg("dim") = 1, nb::arg("eps") = 1e-8,
      nb::sig("def cosine_similarity(x1, x2, dim=1, eps=1e-08) -> Tensor"),
      "The cosine similarity of x1 and x2 (broadcast) along dim.");
  nn.def(
      "pairwise_distance",
      [](const Tensor& x1, const Tensor& x2, double p, double eps, bool keepdim) {
        return pairwise_distance(x1, x2, p, eps, keepdim);
      },
      nb::arg("x1"), nb::arg("x2"), nb::arg("p") = 2.0, nb::arg("eps") = 1e-6,
      nb::arg("keepdim") = false,
      nb::sig("def pairwise_distance(x1, x2, p=2.0, eps=1e-06, keepdim=False) -> Tensor"),
      "||x1 - x2 + eps||_p along the last dim.");
  nn.def(
      "pdist", [](const Tensor& x, double p) { return pdist(x, p); }, nb::arg("input"),
      nb::arg("p") = 2.0, nb::sig("def pdist(input, p=2) -> Tensor"),
      "The p-norm distances between the rows i < j of a 2-D input.");
  nn.def(
      "one_hot", [](const Tensor& x, int64_t num_classes) { return one_hot(x, num_classes); },
      nb::arg("tensor"), nb::arg("num_classes") = -1,
      nb::sig("def one_hot(tensor, num_classes=-1) -> Tensor"),
      "int64 one-hot encoding of class indices along a new last dim.");
  nn.def(
      "gumbel_softmax",
      // eps: unused, as in PyTorch (deprecated there).
      [](const Tensor& logits, double tau, bool hard, double /*eps*/, int64_t dim) {
        return gumbel_softmax(logits, tau, hard, dim);
      },
      nb::arg("logits"), nb::arg("tau") = 1.0, nb::arg("hard") = false, nb::arg("eps") = 1e-10,
      nb::arg("dim") = -1,
      nb::sig("def gumbel_softmax(logits, tau=1.0, hard=False, eps=1e-10, dim=-1) -> Tensor"),
      "A sample of the Gumbel-softmax distribution (hard: its one-hot, straight-through).");
}

}  // namespace

void init_nn_activation(nb::module_& module, nb::class_<Tensor>& tensor_class,
                        nb::module_& nn_module) {
  def_softmax_like(module, &tensor_class, "softmax", softmax_op,
                   "def softmax(input, dim, dtype=None) -> Tensor",
                   "def softmax(self, dim, dtype=None) -> Tensor", kSoftmaxDoc);
  def_softmax_like(module, &tensor_class, "log_softmax", log_softmax_op,
                   "def log_softmax(input, dim, dtype=None) -> Tensor",
                   "def log_softmax(self, dim, dtype=None) -> Tensor", kLogSoftmaxDoc);
  def_softmax_like(nn_module, nullptr, "softmax", softmax_op,
                   "def softmax(input, dim, dtype=None) -> Tensor", "", kSoftmaxDoc);
  def_softmax_like(nn_module, nullptr, "log_softmax", log_softmax_op,
                   "def log_softmax(input, dim, dtype=None) -> Tensor", "", kLogSoftmaxDoc);
  def_softmax_like(nn_module, nullptr, "softmin", softmin_op,
                   "def softmin(input, dim, dtype=None) -> Tensor", "", kSoftminDoc);
  init_nn_activation_functions(nn_module);
  init_nn_dropout(nn_module);
  init_nn_distance(nn_module);
}

}  // namespace ember::python
