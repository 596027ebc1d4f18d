// Custom differentiable functions from C++, spelled as libtorch's torch::autograd::Function:
//
//   struct Scale : ember::autograd::Function<Scale> {
//     static Tensor forward(AutogradContext* ctx, const Tensor& x, double factor) {
//       ctx->saved_data["factor"] = factor;
//       return x * factor;
//     }
//     static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
//       return {grad_outputs[0] * ctx->saved_data["factor"].toDouble(), Tensor()};
//     }
//   };
//   Tensor y = Scale::apply(x, 2.0);
//
// forward runs without recording and takes any arguments. As in libtorch, its inputs are
// counted so: a Tensor is one, a defined std::optional<Tensor> is one, a variable_list is one
// per element, anything else (also an empty optional) is one that is not a tensor. backward gets
// one gradient per output of forward (a Tensor or a variable_list) and returns one entry per
// input so counted, an undefined Tensor for each non-tensor one. The node is named after the
// class: its demangled type name, as libtorch's.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ember/autograd/grad_mode.h"
#include "ember/autograd/ivalue.h"
#include "ember/autograd/node.h"
#include "ember/autograd/variable.h"

namespace ember::autograd {

// libtorch's other spelling of variable_list (torch/csrc/autograd/function.h), used by its docs.
using tensor_list = std::vector<Tensor>;

class AutogradContext {
 public:
  AutogradContext() = default;
  AutogradContext(const AutogradContext&) = delete;
  AutogradContext& operator=(const AutogradContext&) = delete;

  // What backward needs besides tensors (sizes, flags, scales, names).
  std::unordered_map<std::string, IValue> saved_data;

  // The tensors are saved when forward returns (as libtorch's), so the versions they have then
  // are the ones backward checks (B20): an in-place change after that raises "modified by an
  // inplace operation".
  void save_for_backward(variable_list to_save) { to_save_ = std::move(to_save); }
  variable_list get_saved_variables() const;
  // Inputs forward modified in place: they must be returned, and take this call as history.
  void mark_dirty(const variable_list& inputs) { dirty_ = inputs; }
  // Outputs that carry no gradient (indices, masks).
  void mark_non_differentiable(const variable_list& outputs) { non_differentiable_ = outputs; }
  // true (the default): an output that got no gradient is passed to backward as zeros;
  // false: as an undefined Tensor.
  void set_materialize_grads(bool value) { materialize_grads_ = value; }
  // Whether tensor input `index` needs a gradient. As libtorch's, the index counts the tensor
  // inputs (the node's edges), not the non-tensor arguments.
  bool needs_input_grad(size_t index) const;

  // ember's bookkeeping, shared by Function::apply and the Python Function's ctx.
  // Turns what save_for_backward got into version-checked SavedTensors; a tensor whose history
  // is `grad_fn` (an output) is kept without it, so that no cycle forms.
  void save_variables(const std::shared_ptr<Node>& grad_fn);
  void release_saved();
  void set_grad_fn(const std::shared_ptr<Node>& grad_fn) { grad_fn_ = grad_fn; }
  // Handed over once, when forward's outputs are attached: kept here, a dirty tensor (whose
  // history becomes this context's node) would hold that node, and so itself, alive.
  variable_list take_dirty() { return std::exchange(dirty_, {}); }
  variable_list take_non_differentiable() { return std::exchange(non_differentiable_, {}); }
  bool materialize_grads() const { return materialize_grads_; }

 private:
  variable_list to_save_;
  std::vector<SavedTensor> saved_;
  bool released_ = false;
  variable_list dirty_, non_differentiable_;
  bool materialize_grads_ = true;
  std::weak_ptr<Node> grad_fn_;
};

// Connects a finished forward: edges from `node` to the tensor inputs, and the outputs'
// history (a returned input is replaced by a fresh alias unless it was marked dirty).
void attach_function_node(const std::shared_ptr<Node>& node, const variable_list& inputs,
                          variable_list& outputs, const variable_list& dirty,
                          const variable_list& non_differentiable);

// abi::__cxa_demangle of a type's name ("MyFunction", "ns::Outer::Inner").
std::string demangle_type_name(const std::type_info& type);

// The node of one custom-Function call (libtorch's CppNode): everything but the call of the
// user's backward, which CppNode<T> adds.
class CppNodeBase : public Node {
 public:
  variable_list apply(variable_list&& grads) final;
  void release_saved() override { ctx_.release_saved(); }

  // Before forward: whether the call records (grad mode on, an input requires grad), and if
  // so the edges, which needs_input_grad reads during forward already.
  bool begin(const variable_list& inputs);
  // After forward: the outputs' history, what materializing their gradients needs, the saves.
  void finish(const variable_list& inputs, variable_list& outputs);

  AutogradContext ctx_;
  // One per input as counted for backward's results: is it a tensor input.
  std::vector<bool> is_variable_input_;

 private:
  virtual variable_list call_backward(variable_list grads) = 0;

  std::vector<Shape> input_shapes_;
  std::vector<Shape> output_shapes_;
  std::vector<ScalarType> output_dtypes_;
  // The user's backward may write ctx state; two graph tasks may run this node at once.
  std::mutex mutex_;
};

template <typename T>
class CppNode final : public CppNodeBase {
 public:
  std::string name() const override {
    static const std::string type_name = demangle_type_name(typeid(T));
    return type_name;
  }

 private:
  variable_list call_backward(variable_list grads) override {
    return T::backward(&ctx_, std::move(grads));
  }
};

namespace function_args {

inline void extract_variable(std::vector<bool>& is_variable, variable_list& inputs,
                             const Tensor& tensor) {
  is_variable.push_back(true);
  inputs.push_back(tensor);
}
inline void extract_variable(std::vector<bool>& is_variable, variable_list& inputs,
                             const std::optional<Tensor>& tensor) {
  const bool present = tensor.has_value() && tensor->defined();
  is_variable.push_back(present);
  if (present) inputs.push_back(*tensor);
}
inline void extract_variable(std::vector<bool>& is_variable, variable_list& inputs,
                             const variable_list& tensors) {
  for (const Tensor& tensor : tensors) extract_variable(is_variable, inputs, tensor);
}
template <typename Other>
void extract_variable(std::vector<bool>& is_variable, variable_list& /*inputs*/,
                      const Other& /*argument*/) {
  is_variable.push_back(false);
}

}  // namespace function_args

template <typename T>
struct Function {
  template <typename X = T, typename... Args>
  static auto apply(Args&&... args)
      -> std::enable_if_t<std::is_same_v<X, T>,
                          decltype(X::forward(nullptr, std::forward<Args>(args)...))> {
    using Result = decltype(X::forward(nullptr, std::forward<Args>(args)...));
    static_assert(std::is_same_v<Result, Tensor> || std::is_same_v<Result, variable_list>,
                  "forward must return a Tensor or a variable_list");
    auto node = std::make_shared<CppNode<T>>();
    variable_list inputs;
    (function_args::extract_variable(node->is_variable_input_, inputs, args), ...);
    const bool records = node->begin(inputs);
    Result result;
    {
      NoGradGuard no_grad;
      result = T::forward(&node->ctx_, std::forward<Args>(args)...);
    }
    if (!records) return result;
    if constexpr (std::is_same_v<Result, Tensor>) {
      variable_list outputs{std::move(result)};
      node->finish(inputs, outputs);
      return outputs[0];
    } else {
      node->finish(inputs, result);
      return result;
    }
  }
};

}  // namespace ember::autograd
