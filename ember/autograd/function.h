// Custom differentiable functions from C++, as torch::autograd::Function: a class with static
// forward(FunctionContext*, args...) and backward(FunctionContext*, TensorList grads), used
// through T::apply(args...). Forward runs without recording; apply then makes the node whose
// backward is T::backward the history of the outputs.
#pragma once

#include <any>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "ember/autograd/grad_mode.h"
#include "ember/autograd/node.h"

namespace ember::autograd {

class FunctionContext {
 public:
  // Saved tensors are version-checked when read back, like the built-in ops' (B20).
  void save_for_backward(const TensorList& tensors);
  TensorList saved_tensors() const;
  // Inputs modified in place by forward: their own history is rebased onto this function.
  void mark_dirty(const TensorList& tensors) { dirty_ = tensors; }
  // Outputs that carry no gradient (indices, masks).
  void mark_non_differentiable(const TensorList& tensors) { non_differentiable_ = tensors; }
  bool needs_input_grad(size_t input) const {
    return input < needs_input_grad_.size() && needs_input_grad_[input];
  }
  // Anything else backward needs (sizes, flags, options).
  std::map<std::string, std::any> saved_data;

  void set_needs_input_grad(std::vector<bool> needs) { needs_input_grad_ = std::move(needs); }
  const TensorList& dirty() const { return dirty_; }
  const TensorList& non_differentiable() const { return non_differentiable_; }
  void release_saved();

 private:
  std::vector<SavedTensor> saved_;
  bool released_ = false;
  TensorList dirty_, non_differentiable_;
  std::vector<bool> needs_input_grad_;
  friend class FunctionNodeBase;
};

// The node of one custom-function call; backward_ calls the user's static backward.
class FunctionNodeBase : public Node {
 public:
  FunctionNodeBase(std::string name, std::shared_ptr<FunctionContext> context)
      : name_(std::move(name)), context_(std::move(context)) {}
  std::string name() const override { return name_; }
  void release_saved() override { context_->release_saved(); }

 protected:
  FunctionContext& context() { return *context_; }

 private:
  std::string name_;
  std::shared_ptr<FunctionContext> context_;
};

// Connects a finished forward: edges from `node` to the tensor inputs, and the outputs'
// history (a returned input is replaced by a fresh alias unless it was marked dirty).
void attach_function_node(const std::shared_ptr<Node>& node, const TensorList& inputs,
                          TensorList& outputs, const TensorList& dirty,
                          const TensorList& non_differentiable);

template <typename Derived>
class Function {
 public:
  template <typename... Args>
  static auto apply(Args&&... args) {
    auto context = std::make_shared<FunctionContext>();
    TensorList inputs;
    (collect(inputs, args), ...);
    std::vector<bool> needs;
    bool any_requires_grad = false;
    for (const Tensor& input : inputs) {
      needs.push_back(input.requires_grad());
      any_requires_grad |= input.requires_grad();
    }
    context->set_needs_input_grad(needs);
    using Result = decltype(Derived::forward(context.get(), std::forward<Args>(args)...));
    Result result;
    {
      NoGradGuard no_grad;
      result = Derived::forward(context.get(), std::forward<Args>(args)...);
    }
    if (!any_requires_grad || !is_grad_enabled()) return result;
    TensorList outputs = as_list(result);
    auto node = std::make_shared<Node_>(context);
    attach_function_node(node, inputs, outputs, context->dirty(), context->non_differentiable());
    return from_list<Result>(outputs);
  }

 private:
  class Node_ final : public FunctionNodeBase {
   public:
    explicit Node_(std::shared_ptr<FunctionContext> context)
        : FunctionNodeBase(std::string(Derived::name()) + "Backward", std::move(context)) {}
    TensorList apply(TensorList&& grads) override {
      return Derived::backward(&context(), std::move(grads));
    }
  };

  template <typename T>
  static void collect(TensorList& inputs, const T& argument) {
    if constexpr (std::is_same_v<std::decay_t<T>, Tensor>) inputs.push_back(argument);
  }
  static TensorList as_list(const Tensor& result) { return {result}; }
  static TensorList as_list(const TensorList& result) { return result; }
  template <typename Result>
  static Result from_list(const TensorList& outputs) {
    if constexpr (std::is_same_v<Result, Tensor>) {
      return outputs[0];
    } else {
      return outputs;
    }
  }
};

}  // namespace ember::autograd
